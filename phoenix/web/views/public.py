"""Pages for visitors: home, sign-up, login, logout, password reset, language."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts import services as accounts
from accounts.api import clear_auth_cookies, client_of, set_auth_cookies
from billing.models import Pack
from phoenix.web import forms
from phoenix.web.views.common import DOMAIN_ERRORS, safe_next, show_error


def set_language_cookie(response, language: str) -> None:
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=365 * 24 * 3600,
        samesite="Lax",
        secure=not settings.DEBUG,
    )


def signed_in_response(request, signed_in, default: str):
    response = redirect(safe_next(request, default))
    set_auth_cookies(response, signed_in)
    set_language_cookie(response, signed_in.user.language)
    return response


def home(request):
    packs = Pack.objects.active()
    return render(request, "web/home.html", {"packs": packs})


@require_http_methods(["GET", "POST"])
def signup(request):
    form = forms.SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            signed_in = accounts.register(
                **form.cleaned_data,
                language=translation.get_language(),
                client=client_of(request),
            )
        except DOMAIN_ERRORS as error:
            show_error(request, form, error)
        else:
            messages.success(request, _("Welcome! Your energy gauge is full."))
            return signed_in_response(request, signed_in, reverse("web:dashboard"))
    return render(request, "web/signup.html", {"form": form})


@require_http_methods(["GET", "POST"])
def login(request):
    form = forms.LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            signed_in = accounts.login(**form.cleaned_data, client=client_of(request))
        except DOMAIN_ERRORS as error:
            show_error(request, form, error)
        else:
            return signed_in_response(request, signed_in, reverse("web:dashboard"))
    next_url = safe_next(request, "")
    return render(request, "web/login.html", {"form": form, "next": next_url})


@require_http_methods(["GET", "POST"])
def logout(request):
    if request.method == "GET":
        return render(request, "web/logout.html")
    if request.web_session is not None:
        accounts.logout(session_id=request.web_session.pk)
    messages.success(request, _("You are logged out. See you soon."))
    response = redirect("web:login")
    clear_auth_cookies(response)
    return response


@require_http_methods(["GET", "POST"])
def password_reset(request):
    form = forms.ResetRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            accounts.request_password_reset(
                email=form.cleaned_data["email"], client=client_of(request)
            )
        except DOMAIN_ERRORS as error:
            show_error(request, form, error)
        else:
            return render(request, "web/password_reset_sent.html")
    return render(request, "web/password_reset.html", {"form": form})


@require_http_methods(["GET", "POST"])
def password_reset_confirm(request, uid: str, token: str):
    form = forms.NewPasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            accounts.confirm_password_reset(
                uid=uid, token=token, new_password=form.cleaned_data["new_password"]
            )
        except DOMAIN_ERRORS as error:
            show_error(request, form, error)
        else:
            messages.success(request, _("Your password is changed. Log in with it."))
            response = redirect("web:login")
            clear_auth_cookies(response)
            return response
    return render(request, "web/password_reset_confirm.html", {"form": form})


@require_POST
def language(request):
    form = forms.LanguageForm(request.POST)
    if not form.is_valid():
        return redirect(safe_next(request, "/"))
    code = form.cleaned_data["language"]
    if request.web_session is not None:
        accounts.update_profile(user=request.user, language=code)
    response = redirect(safe_next(request, "/"))
    set_language_cookie(response, code)
    return response
