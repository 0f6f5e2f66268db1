"""Account use cases: registration, login, token rotation, sessions, passwords,
service keys, GDPR export and erasure. Each owns its transaction."""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate, password_validation
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from django.utils.translation import gettext as _
from rest_framework_simplejwt.token_blacklist.models import (
    BlacklistedToken,
    OutstandingToken,
)

from accounts import registry
from accounts.authentication import API_KEY_PREFIX, hash_api_key
from accounts.models import Scope, ServiceClient, Session, User, UserManager
from accounts.network import device_label, ip_digest, truncate_ip
from accounts.throttling import SlidingWindow
from accounts.tokens import SESSION_CLAIM, InvalidToken, TokenPair, decode, issue_pair

# --- Errors (rendered by the project's API error envelope) -------------------


class AccountError(Exception):
    status_code = 400
    error_code = "account_error"

    def __init__(self, message: str, *, fields: dict | None = None):
        super().__init__(message)
        self.fields = fields or {}


class EmailTaken(AccountError):
    status_code = 409
    error_code = "email_taken"


class InvalidCredentials(AccountError):
    status_code = 401
    error_code = "invalid_credentials"


class TooManyAttempts(AccountError):
    status_code = 429
    error_code = "too_many_attempts"

    def __init__(self, retry_after: int):
        super().__init__(
            _("Too many attempts. Try again in %(seconds)s seconds.")
            % {"seconds": retry_after}
        )
        self.extra = {"retry_after": retry_after}
        self.headers = {"Retry-After": str(retry_after)}


class SessionEnded(AccountError):
    status_code = 401
    error_code = "session_revoked"


class TokenReused(AccountError):
    status_code = 401
    error_code = "token_reused"


class SessionNotFound(AccountError):
    status_code = 404
    error_code = "not_found"


class InvalidResetLink(AccountError):
    error_code = "invalid_reset_link"


class WrongPassword(AccountError):
    error_code = "wrong_password"


# --- Helpers -------------------------------------------------------------------


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


def limiter(scope: str, setting: str) -> SlidingWindow:
    limit, window = getattr(settings, setting)
    return SlidingWindow(scope, limit=limit, window=window)


def check_password_rules(password: str, user: User) -> None:
    try:
        password_validation.validate_password(password, user=user)
    except DjangoValidationError as error:
        raise AccountError(
            _("This password is not strong enough."),
            fields={"password": list(error.messages)},
        ) from None


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


# --- Registration and login ----------------------------------------------------


def register(
    *,
    email: str,
    password: str,
    first_name: str = "",
    language: str = "",
    client: Client,
) -> SignedIn:
    attempt = limiter("register-ip", "AUTH_REGISTRATIONS_PER_IP").reserve(client.ip)
    if not attempt:
        raise TooManyAttempts(attempt.retry_after)
    email = UserManager.normalize_email(email)
    check_password_rules(password, User(email=email, first_name=first_name))
    with transaction.atomic():
        user = create_account(
            email=email, password=password, first_name=first_name, language=language
        )
        return open_session(user, client)


def create_account(
    *, email: str, password: str | None, first_name: str = "", language: str = ""
) -> User:
    """Create a user and run the apps' on-user-created hooks (welcome grant…)."""
    email = UserManager.normalize_email(email)
    try:
        with transaction.atomic():
            if User.objects.filter(email=email).exists():
                raise EmailTaken(_("An account already exists with this email."))
            user = User.objects.create_user(
                email,
                password,
                first_name=first_name,
                language=language or settings.LANGUAGE_CODE,
            )
            for hook in registry.user_created_hooks():
                hook(user)
    except IntegrityError:  # a concurrent registration won the race
        raise EmailTaken(_("An account already exists with this email.")) from None
    return user


def login(*, email: str, password: str, client: Client) -> SignedIn:
    """Check credentials under two limits, then open a session.

    At most N failures per window for one (account, IP); at most M per window
    for one account from all IPs, except from an IP that account has already
    signed in from, so an attacker cannot lock the user out of their own IP.
    """
    email = UserManager.normalize_email(email)
    per_ip = limiter("login-ip", "AUTH_LOGIN_FAILURES_PER_IP")
    ip_identity = f"{email}|{client.ip}"
    ip_attempt = per_ip.reserve(ip_identity)
    if not ip_attempt:
        raise TooManyAttempts(ip_attempt.retry_after)
    known = User.objects.filter(email=email).only("pk").first()
    known_ip = (
        known is not None
        and Session.objects.filter(user=known, ip_hash=ip_digest(client.ip)).exists()
    )
    per_account = limiter("login-account", "AUTH_LOGIN_FAILURES_PER_ACCOUNT")
    account_attempt = None
    if not known_ip:
        account_attempt = per_account.reserve(email)
        if not account_attempt:
            per_ip.release(ip_attempt)
            raise TooManyAttempts(account_attempt.retry_after)
    user = authenticate(email=email, password=password)
    if user is None:
        raise InvalidCredentials(_("Incorrect email or password."))
    per_ip.clear(ip_identity)
    if account_attempt:
        per_account.release(account_attempt)
    with transaction.atomic():
        return open_session(user, client)


# --- Tokens and sessions --------------------------------------------------------


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
    revoke_sessions(Session.objects.filter(pk=session_id), Session.RevokedReason.LOGOUT)


def logout_all(*, user: User, keep_session_id: uuid.UUID | None) -> int:
    others = Session.objects.filter(user=user).exclude(pk=keep_session_id)
    return revoke_sessions(others, Session.RevokedReason.LOGOUT_ALL)


def revoke_session(*, user: User, session_id: uuid.UUID) -> None:
    """Revoke one of the user's own sessions; anyone else's is a 404."""
    own = Session.objects.filter(pk=session_id, user=user)
    if not own.exists():
        raise SessionNotFound(_("No such session."))
    revoke_sessions(own, Session.RevokedReason.USER)


def revoke_all_sessions(*, user: User, reason: str) -> int:
    return revoke_sessions(Session.objects.filter(user=user), reason)


# --- Profile and passwords ------------------------------------------------------


def update_profile(
    *, user: User, first_name: str | None = None, language: str | None = None
) -> User:
    changed = []
    if first_name is not None:
        user.first_name = first_name
        changed.append("first_name")
    if language is not None:
        user.language = language
        changed.append("language")
    if changed:
        user.save(update_fields=changed)
    return user


def change_password(
    *,
    user: User,
    old_password: str,
    new_password: str,
    keep_session_id: uuid.UUID | None,
) -> int:
    """Change the password and end every other session. Return how many ended."""
    if not user.check_password(old_password):
        raise WrongPassword(
            _("The current password is incorrect."),
            fields={"old_password": [_("The current password is incorrect.")]},
        )
    check_password_rules(new_password, user)
    with transaction.atomic():
        user.set_password(new_password)
        user.save(update_fields=["password"])
        others = Session.objects.filter(user=user).exclude(pk=keep_session_id)
        return revoke_sessions(others, Session.RevokedReason.PASSWORD)


def request_password_reset(*, email: str, client: Client) -> None:
    """Mail a reset link if the account exists. The caller always answers 202."""
    attempt = limiter("reset-ip", "AUTH_PASSWORD_RESETS_PER_IP").reserve(client.ip)
    if not attempt:
        raise TooManyAttempts(attempt.retry_after)
    user = User.objects.filter(
        email=UserManager.normalize_email(email), is_active=True
    ).first()
    if user is None or not user.has_usable_password():
        return
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    link = f"{settings.PUBLIC_BASE_URL}/password/reset/{uid}/{token}"
    with translation.override(user.language):
        context = {"user": user, "link": link, "uid": uid, "token": token}
        send_mail(
            subject=_("Reset your Phoenix Luna password"),
            message=render_to_string("accounts/email/password_reset.txt", context),
            from_email=None,
            recipient_list=[user.email],
        )


def confirm_password_reset(*, uid: str, token: str, new_password: str) -> User:
    invalid = InvalidResetLink(_("This reset link is invalid or has expired."))
    try:
        pk = uuid.UUID(force_str(urlsafe_base64_decode(uid)))
    except (ValueError, TypeError, UnicodeDecodeError):
        raise invalid from None
    user = User.objects.filter(pk=pk, is_active=True).first()
    if user is None or not default_token_generator.check_token(user, token):
        raise invalid
    check_password_rules(new_password, user)
    with transaction.atomic():
        user.set_password(new_password)
        user.save(update_fields=["password"])
        revoke_all_sessions(user=user, reason=Session.RevokedReason.PASSWORD)
    return user


# --- Service keys ---------------------------------------------------------------


def create_service_client(
    *, name: str, app_source: str, scopes: list[str]
) -> tuple[ServiceClient, str]:
    """Create a service client; return it with its key, shown this once only."""
    unknown = sorted(set(scopes) - set(Scope.values))
    if unknown:
        raise AccountError(
            _("Unknown scopes: %(scopes)s") % {"scopes": ", ".join(unknown)},
            fields={"scopes": [", ".join(Scope.values)]},
        )
    for _attempt in range(5):
        prefix = secrets.token_hex(4)
        key = f"{API_KEY_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
        try:
            with transaction.atomic():
                client = ServiceClient.objects.create(
                    name=name,
                    app_source=app_source,
                    key_prefix=prefix,
                    key_hash=hash_api_key(key),
                    scopes=sorted(set(scopes)),
                )
            return client, key
        except IntegrityError:  # prefix collision: draw again
            continue
    raise RuntimeError("could not draw a unique API key prefix")


def revoke_service_client(*, client: ServiceClient) -> None:
    ServiceClient.objects.filter(pk=client.pk, revoked_at__isnull=True).update(
        active=False, revoked_at=timezone.now()
    )


# --- GDPR -----------------------------------------------------------------------


def export_account(*, user: User) -> dict[str, Any]:
    """Everything the platform holds about ``user``, as one JSON document."""
    sessions = Session.objects.filter(user=user).order_by("created_at")
    document: dict[str, Any] = {
        "format": "phoenix-luna-hub/export-1",
        "exported_at": timezone.now().isoformat(),
        "account": {
            "id": str(user.pk),
            "email": user.email,
            "first_name": user.first_name,
            "language": user.language,
            "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
        },
        "sessions": [
            {
                "id": str(s.pk),
                "device_label": s.device_label,
                "ip": s.ip_display,
                "user_agent": s.user_agent,
                "created_at": s.created_at.isoformat(),
                "last_seen": s.last_seen.isoformat(),
                "revoked_at": s.revoked_at.isoformat() if s.revoked_at else None,
                "revoked_reason": s.revoked_reason,
            }
            for s in sessions
        ],
    }
    for handler in registry.gdpr_handlers():
        if handler.export is not None:
            document[handler.name] = handler.export(user)
    return document


def erase_account(*, user: User, password: str) -> None:
    """Erase personal data; keep what the law requires, anonymised."""
    if not user.check_password(password):
        raise WrongPassword(
            _("The password is incorrect."),
            fields={"password": [_("The password is incorrect.")]},
        )
    with transaction.atomic():
        for handler in registry.gdpr_handlers():
            if handler.erase is not None:
                handler.erase(user)
        revoke_all_sessions(user=user, reason=Session.RevokedReason.ERASURE)
        user.email = f"erased-{user.pk.hex}@erased.invalid"
        user.first_name = ""
        user.set_unusable_password()
        user.is_active = False
        user.is_staff = False
        user.is_superuser = False
        user.save()


def set_active(*, user: User, active: bool) -> None:
    """Staff: activate or deactivate an account (deactivation ends its sessions)."""
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(is_active=active)
        if not active:
            revoke_all_sessions(user=user, reason=Session.RevokedReason.DEACTIVATED)
