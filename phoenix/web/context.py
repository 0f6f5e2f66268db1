"""Template context for every page."""

from __future__ import annotations

from django.conf import settings


def web(request) -> dict:
    session = getattr(request, "web_session", None)
    lifetime = int(settings.ACCESS_TOKEN_LIFETIME.total_seconds())
    return {
        "web_signed_in": session is not None,
        # The page renews its access cookie a little before it expires.
        "access_refresh_ms": max(30, lifetime - 120) * 1000,
    }
