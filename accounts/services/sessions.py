"""Sessions: open one per login, rotate its tokens, end it."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework_simplejwt.token_blacklist.models import (
    BlacklistedToken,
    OutstandingToken,
)

from accounts.models import Session, User
from accounts.network import device_label, ip_digest, truncate_ip
from accounts.services import trail
from accounts.services.errors import (
    SessionEnded,
    SessionNotFound,
    TokenReused,
)
from accounts.tokens import SESSION_CLAIM, InvalidToken, TokenPair, decode, issue_pair


@dataclass(frozen=True)
class Client:
    """Where a request comes from (for sessions and throttles)."""

    ip: str
    user_agent: str = ""


@dataclass(frozen=True)
class SignedIn:
    user: User
    session: Session
    tokens: TokenPair


def open_session(user: User, client: Client) -> SignedIn:
    """Start a session (one login) and mint its first token pair."""
    now = timezone.now()
    session = Session.objects.create(
        user=user,
        device_label=device_label(client.user_agent),
        user_agent=client.user_agent[:255],
        ip_display=truncate_ip(client.ip),
        ip_hash=ip_digest(client.ip),
        created_at=now,
        last_seen=now,
        expires_at=now + settings.REFRESH_TOKEN_LIFETIME,
    )
    User.objects.filter(pk=user.pk).update(last_login=now)
    return SignedIn(user=user, session=session, tokens=issue_pair(session))


def revoke_sessions(sessions, reason: str) -> int:
    return sessions.filter(revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revoked_reason=reason
    )


def refresh(*, raw_refresh: str) -> SignedIn:
    """Rotate a refresh token. Reusing a rotated one revokes its whole session."""
    claims = decode(raw_refresh, token_type="refresh")
    try:
        session_id = uuid.UUID(str(claims[SESSION_CLAIM]))
    except ValueError:
        raise InvalidToken(_("The token is invalid.")) from None
    reused = False
    with transaction.atomic():
        session = (
            Session.objects.select_for_update()
            .select_related("user")
            .filter(pk=session_id, user_id=claims["user_id"])
            .first()
        )
        if session is None or not session.is_active or not session.user.is_active:
            raise SessionEnded(_("This session has ended; log in again."))
        outstanding = OutstandingToken.objects.filter(jti=claims["jti"]).first()
        if outstanding is None:
            raise InvalidToken(_("The token is invalid."))
        if BlacklistedToken.objects.filter(token=outstanding).exists():
            revoke_sessions(
                Session.objects.filter(pk=session.pk), Session.RevokedReason.REUSE
            )
            trail.record(session.user, "token_reused", session_id=session.pk)
            reused = True
        else:
            BlacklistedToken.objects.create(token=outstanding)
            tokens = issue_pair(session)
            now = timezone.now()
            Session.objects.filter(pk=session.pk).update(
                last_seen=now, expires_at=tokens.refresh_expires_at
            )
    if reused:
        raise TokenReused(
            _("This refresh token was already used; the session has been closed.")
        )
    return SignedIn(user=session.user, session=session, tokens=tokens)


def session_id_from_refresh(raw_refresh: str) -> uuid.UUID | None:
    """The session a (valid-looking) refresh token belongs to, for logout."""
    try:
        claims = decode(raw_refresh, token_type="refresh")
        return uuid.UUID(str(claims[SESSION_CLAIM]))
    except (InvalidToken, ValueError):
        return None


def logout(*, session_id: uuid.UUID) -> None:
    with transaction.atomic():
        session = Session.objects.select_related("user").filter(pk=session_id).first()
        if session is None:
            return
        reason = Session.RevokedReason.LOGOUT
        if revoke_sessions(Session.objects.filter(pk=session_id), reason):
            trail.record(
                session.user, "session_revoked", session_id=session_id, reason=reason
            )


def logout_all(*, user: User, keep_session_id: uuid.UUID | None) -> int:
    others = Session.objects.filter(user=user).exclude(pk=keep_session_id)
    with transaction.atomic():
        count = revoke_sessions(others, Session.RevokedReason.LOGOUT_ALL)
        trail.record(user, "sessions_revoked", count=count, reason="logout_all")
    return count


def revoke_session(*, user: User, session_id: uuid.UUID) -> None:
    """Revoke one of the user's own sessions; anyone else's is a 404."""
    own = Session.objects.filter(pk=session_id, user=user)
    if not own.exists():
        raise SessionNotFound(_("No such session."))
    with transaction.atomic():
        if revoke_sessions(own, Session.RevokedReason.USER):
            trail.record(user, "session_revoked", session_id=session_id, reason="user")


def revoke_all_sessions(*, user: User, reason: str) -> int:
    with transaction.atomic():
        count = revoke_sessions(Session.objects.filter(user=user), reason)
        trail.record(user, "sessions_revoked", count=count, reason=reason)
    return count
