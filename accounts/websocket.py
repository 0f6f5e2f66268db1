"""Websocket authentication, for consumers behind ``phoenix.asgi``.

Two ways, never the URL query string (which ends up in access logs):

* the HttpOnly access cookie, read by ``CookieJWTAuthMiddleware`` when the
  socket opens (browsers; the origin check in ``phoenix.asgi`` plays the part
  CSRF plays for HTTP);
* a token sent in the first message, ``{"type": "auth", "token": "<access>"}``,
  checked by the consumer with ``authenticate_access_token`` (API clients).

Either way the scope gets ``user`` and ``auth`` (a ``Principal`` or None).
"""

from __future__ import annotations

from channels.db import database_sync_to_async
from channels.middleware import BaseMiddleware
from django.contrib.auth.models import AnonymousUser
from django.http.cookie import parse_cookie

from accounts.authentication import ACCESS_COOKIE, session_for_access_token
from accounts.principals import Principal
from accounts.tokens import InvalidToken


def _authenticate(raw: str):
    try:
        session = session_for_access_token(raw)
    except InvalidToken:
        return AnonymousUser(), None
    principal = Principal(
        kind="user", user=session.user, session_id=session.pk, via="websocket"
    )
    return session.user, principal


async def authenticate_access_token(raw: str):
    """Return ``(user, principal)``; ``(AnonymousUser, None)`` if the token fails."""
    if not isinstance(raw, str) or not raw:
        return AnonymousUser(), None
    return await database_sync_to_async(_authenticate)(raw)


def cookie_from_scope(scope, name: str) -> str:
    for header, value in scope.get("headers", []):
        if header == b"cookie":
            return parse_cookie(value.decode("latin-1")).get(name, "")
    return ""


class CookieJWTAuthMiddleware(BaseMiddleware):
    """Put the user of the access cookie (or AnonymousUser) into the scope."""

    async def __call__(self, scope, receive, send):
        scope = dict(scope)
        raw = cookie_from_scope(scope, ACCESS_COOKIE)
        scope["user"], scope["auth"] = await authenticate_access_token(raw)
        return await super().__call__(scope, receive, send)
