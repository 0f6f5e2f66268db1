"""Who is looking at a page: the session behind the HttpOnly access cookie."""

from __future__ import annotations

from functools import wraps
from urllib.parse import urlencode

from django.shortcuts import redirect
from django.urls import reverse

from accounts.authentication import ACCESS_COOKIE, session_for_access_token
from accounts.models import Session
from accounts.tokens import InvalidToken


def session_from_cookie(request) -> Session | None:
    raw = request.COOKIES.get(ACCESS_COOKIE, "")
    if not raw:
        return None
    try:
        return session_for_access_token(raw)
    except InvalidToken:
        return None


def signed_in(view):
    """Send visitors without a live session to the login page (and back)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if getattr(request, "web_session", None) is None:
            query = urlencode({"next": request.get_full_path()})
            return redirect(f"{reverse('web:login')}?{query}")
        return view(request, *args, **kwargs)

    return wrapper
