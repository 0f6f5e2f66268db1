"""DRF authentication: JWT by header or HttpOnly cookie, and service API keys.

Order of precedence: ``Authorization: Bearer`` first, then ``Authorization:
Api-Key``, then the access cookie. A token is only as good as its session:
a revoked or expired session (logout, theft detection, password change)
makes its access tokens stop working at once, not when they expire.
Cookie-authenticated unsafe requests must carry Django's CSRF token.
"""

from __future__ import annotations

import hashlib
import hmac
import uuid
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, CSRFCheck

from accounts.models import ServiceClient, Session
from accounts.principals import Principal, ServiceIdentity
from accounts.tokens import SESSION_CLAIM, InvalidToken, decode

ACCESS_COOKIE = "phoenix_access"
REFRESH_COOKIE = "phoenix_refresh"
LAST_SEEN_RESOLUTION = timedelta(minutes=5)
API_KEY_PREFIX = "phx_"


def enforce_csrf(request) -> None:
    """Refuse a cookie-carried unsafe request without Django's CSRF token."""

    def no_response(request):  # CSRFCheck only needs something to wrap
        return None

    check = CSRFCheck(no_response)
    check.process_request(request)
    reason = check.process_view(request, None, (), {})
    if reason:
        raise exceptions.PermissionDenied(
            _("CSRF check failed: %(reason)s") % {"reason": reason},
            code="csrf_failed",
        )


def _failed(error: InvalidToken) -> exceptions.AuthenticationFailed:
    return exceptions.AuthenticationFailed(str(error), code=error.error_code)


def session_for_access_token(raw: str) -> Session:
    """Return the live session an access token belongs to, or raise InvalidToken."""
    claims = decode(raw, token_type="access")
    try:
        session_id = uuid.UUID(str(claims[SESSION_CLAIM]))
        user_id = uuid.UUID(str(claims["user_id"]))
    except ValueError:
        raise InvalidToken(_("The token is invalid.")) from None
    session = (
        Session.objects.active()
        .select_related("user")
        .filter(pk=session_id, user_id=user_id, user__is_active=True)
        .first()
    )
    if session is None:
        error = InvalidToken(_("This session has ended; log in again."))
        error.error_code = "session_revoked"
        raise error
    touch(session)
    return session


def touch(session: Session) -> None:
    """Record activity, writing at most once per LAST_SEEN_RESOLUTION."""
    now = timezone.now()
    if now - session.last_seen >= LAST_SEEN_RESOLUTION:
        Session.objects.filter(
            pk=session.pk, last_seen__lt=now - LAST_SEEN_RESOLUTION
        ).update(last_seen=now)
        session.last_seen = now


class JWTAuthentication(BaseAuthentication):
    """Access token from ``Authorization: Bearer …``, else from the cookie."""

    keyword = "Bearer"

    def authenticate(self, request):
        header = request.META.get("HTTP_AUTHORIZATION", "")
        via = "header"
        if header:
            scheme, _sep, raw = header.partition(" ")
            if scheme.lower() != self.keyword.lower():
                return None  # another scheme (Api-Key): not ours
            raw = raw.strip()
        else:
            raw = request.COOKIES.get(ACCESS_COOKIE, "")
            via = "cookie"
            if not raw:
                return None
        try:
            session = session_for_access_token(raw)
        except InvalidToken as error:
            raise _failed(error) from None
        if via == "cookie":
            enforce_csrf(request)
        principal = Principal(
            kind="user", user=session.user, session_id=session.pk, via=via
        )
        return session.user, principal

    def authenticate_header(self, request):
        return f'{self.keyword} realm="api"'


def hash_api_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def split_api_key(key: str) -> str | None:
    """Return the lookup prefix of a well-formed key, else None."""
    if not key.startswith(API_KEY_PREFIX):
        return None
    prefix, _sep, secret = key[len(API_KEY_PREFIX) :].partition("_")
    if len(prefix) != 8 or len(secret) < 32:
        return None
    return prefix


class ApiKeyAuthentication(BaseAuthentication):
    """``Authorization: Api-Key <key>`` from a satellite back end."""

    keyword = "Api-Key"

    def authenticate(self, request):
        header = request.META.get("HTTP_AUTHORIZATION", "")
        scheme, _sep, key = header.partition(" ")
        if scheme.lower() != self.keyword.lower():
            return None
        client = self.client_for(key.strip())
        return ServiceIdentity(client), Principal(
            kind="service", service=client, via="api_key"
        )

    def client_for(self, key: str) -> ServiceClient:
        prefix = split_api_key(key)
        client = (
            ServiceClient.objects.active().filter(key_prefix=prefix).first()
            if prefix
            else None
        )
        if client is None or not hmac.compare_digest(
            client.key_hash, hash_api_key(key)
        ):
            raise exceptions.AuthenticationFailed(
                _("Invalid or revoked API key."), code="invalid_api_key"
            )
        now = timezone.now()
        if client.last_used_at is None or now - client.last_used_at > timedelta(
            minutes=1
        ):
            ServiceClient.objects.filter(pk=client.pk).update(last_used_at=now)
        return client

    def authenticate_header(self, request):
        return f'{self.keyword} realm="api"'


def cookie_settings() -> dict:
    return {
        "httponly": True,
        "secure": not settings.DEBUG,
        "samesite": "Lax",
    }
