"""Profile, language, sessions, password, data export and account deletion."""

from __future__ import annotations

import json

from django.contrib import messages
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import services as accounts
from accounts.api import clear_auth_cookies
from accounts.models import Session
from phoenix.web import forms
from phoenix.web.auth import signed_in
from phoenix.web.views.common import DOMAIN_ERRORS, show_error
from phoenix.web.views.public import set_language_cookie


def account_context(request, **forms_in_use) -> dict:
    user = request.user
    context = {
        "profile_form": forms.ProfileForm(
            initial={"first_name": user.first_name, "language": user.language}
        ),
        "password_form": forms.PasswordChangeForm(),
        "delete_form": forms.DeleteAccountForm(),
        "sessions": Session.objects.active().for_user(user).order_by("-last_seen"),
        "current_session_id": request.web_session.pk,
    }
    context.update(forms_in_use)
    return context


@signed_in
@require_GET
def account_page(request):
    return render(request, "web/account.html", account_context(request))


@signed_in
@require_POST
def profile(request):
    form = forms.ProfileForm(request.POST)
    if form.is_valid():
        user = accounts.update_profile(user=request.user, **form.cleaned_data)
        messages.success(request, _("Your profile is saved."))
        response = redirect("web:account")
        set_language_cookie(response, user.language)
        return response
    return render(
        request, "web/account.html", account_context(request, profile_form=form)
    )


@signed_in
@require_POST
def revoke_session(request):
    form = forms.SessionForm(request.POST)
    if form.is_valid():
        try:
            accounts.revoke_session(
                user=request.user, session_id=form.cleaned_data["session_id"]
            )
        except DOMAIN_ERRORS as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The session is ended."))
    return redirect("web:account")


@signed_in
@require_POST
def change_password(request):
    form = forms.PasswordChangeForm(request.POST)
    if form.is_valid():
        try:
            count = accounts.change_password(
                user=request.user,
                old_password=form.cleaned_data["old_password"],
                new_password=form.cleaned_data["new_password"],
                keep_session_id=request.web_session.pk,
            )
        except DOMAIN_ERRORS as error:
            show_error(request, form, error)
        else:
            messages.success(
                request,
                _("Your password is changed; %(count)s other session(s) ended.")
                % {"count": count},
            )
            return redirect("web:account")
    return render(
        request, "web/account.html", account_context(request, password_form=form)
    )


@signed_in
@require_GET
def export(request):
    document = accounts.export_account(user=request.user)
    response = HttpResponse(
        json.dumps(document, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="phoenix-export.json"'
    return response


@signed_in
@require_http_methods(["POST"])
def delete_account(request):
    form = forms.DeleteAccountForm(request.POST)
    if form.is_valid():
        try:
            accounts.erase_account(
                user=request.user, password=form.cleaned_data["password"]
            )
        except DOMAIN_ERRORS as error:
            show_error(request, form, error)
        else:
            messages.success(request, _("Your account and its data are erased."))
            response = redirect("web:home")
            clear_auth_cookies(response)
            return response
    return render(
        request, "web/account.html", account_context(request, delete_form=form)
    )
