"""Profile and password changes, and password reset by mail."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from django.utils.translation import gettext as _

from accounts.models import Session, User, UserManager
from accounts.services import trail
from accounts.services.errors import (
    InvalidResetLink,
    TooManyAttempts,
    WrongPassword,
)
from accounts.services.policy import check_password_rules, limiter
from accounts.services.sessions import Client, revoke_all_sessions, revoke_sessions


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
        count = revoke_sessions(others, Session.RevokedReason.PASSWORD)
        trail.record(user, "password_changed", sessions_revoked=count)
        return count


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
        trail.record(user, "password_reset")
    return user
