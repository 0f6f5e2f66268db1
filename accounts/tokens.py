"""JWT pairs bound to a session (claim ``sid``), through simplejwt.

Only the refresh token's ``jti`` is recorded (simplejwt's OutstandingToken,
with an empty ``token`` column: the hub never stores a usable token). Rotation
blacklists the old ``jti``; presenting a blacklisted refresh token is treated
as theft by the caller (``accounts.services.refresh``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext as _
from rest_framework_simplejwt.exceptions import (
    TokenBackendError,
    TokenBackendExpiredToken,
)
from rest_framework_simplejwt.state import token_backend
from rest_framework_simplejwt.token_blacklist.models import OutstandingToken
from rest_framework_simplejwt.tokens import AccessToken, RefreshToken
from rest_framework_simplejwt.utils import datetime_from_epoch

from accounts.models import Session

SESSION_CLAIM = "sid"


class InvalidToken(Exception):
    status_code = 401
    error_code = "token_invalid"


class ExpiredToken(InvalidToken):
    error_code = "token_expired"


@dataclass(frozen=True)
class TokenPair:
    access: str
    refresh: str
    access_expires_at: datetime
    refresh_expires_at: datetime


def issue_pair(session: Session) -> TokenPair:
    """Mint an access/refresh pair for ``session`` and record the refresh jti."""
    refresh = RefreshToken()
    refresh["user_id"] = str(session.user_id)
    refresh[SESSION_CLAIM] = str(session.pk)
    access = refresh.access_token
    refresh_expires_at = datetime_from_epoch(refresh["exp"])
    OutstandingToken.objects.create(
        user_id=session.user_id,
        jti=refresh["jti"],
        token="",
        created_at=refresh.current_time,
        expires_at=refresh_expires_at,
    )
    return TokenPair(
        access=str(access),
        refresh=str(refresh),
        access_expires_at=datetime_from_epoch(access["exp"]),
        refresh_expires_at=refresh_expires_at,
    )


def decode(raw: str, *, token_type: str) -> dict:
    """Verify signature, expiry and type; return the claims or raise."""
    if not isinstance(raw, str) or not raw or len(raw) > 4096:
        raise InvalidToken(_("The token is missing or malformed."))
    try:
        claims = token_backend.decode(raw, verify=True)
    except TokenBackendExpiredToken:
        raise ExpiredToken(_("The token has expired.")) from None
    except TokenBackendError:
        raise InvalidToken(_("The token is invalid.")) from None
    expected = AccessToken.token_type if token_type == "access" else "refresh"
    if claims.get("token_type") != expected:
        raise InvalidToken(_("Wrong kind of token."))
    if (
        not claims.get(SESSION_CLAIM)
        or not claims.get("user_id")
        or not claims.get("jti")
    ):
        raise InvalidToken(_("The token is invalid."))
    return claims
