"""Identity and language for the web pages (not for the API or the admin)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.utils import translation

from phoenix.web.auth import session_from_cookie

WEB_PREFIXES = ("/signup", "/login", "/logout", "/password", "/app", "/language")


def is_page(path: str) -> bool:
    return path == "/" or path.startswith(WEB_PREFIXES)


def page_language(request, user) -> str:
    """French unless the visitor chose otherwise (cookie) or their profile says so.

    The browser's Accept-Language is not consulted: the product speaks French
    first and offers English through the switch.
    """
    codes = {code for code, _name in settings.LANGUAGES}
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
    if chosen in codes:
        return chosen
    if user is not None and user.language in codes:
        return user.language
    return settings.LANGUAGE_CODE


class WebPageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.web_session = None
        if not is_page(request.path):
            return self.get_response(request)
        session = session_from_cookie(request)
        request.web_session = session
        request.user = session.user if session else AnonymousUser()
        language = page_language(request, request.user if session else None)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Cache-Control", "no-store")
        return response
