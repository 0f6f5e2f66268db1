"""GDPR export and erasure, and staff activation."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import registry
from accounts.models import Session, User
from accounts.services import trail
from accounts.services.errors import WrongPassword
from accounts.services.sessions import revoke_all_sessions


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
            document[handler.name] = handler.export(user=user)
    with transaction.atomic():
        trail.record(user, "account_exported")
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
                handler.erase(user=user)
        revoke_all_sessions(user=user, reason=Session.RevokedReason.ERASURE)
        user.email = f"erased-{user.pk.hex}@erased.invalid"
        user.first_name = ""
        user.set_unusable_password()
        user.is_active = False
        user.is_staff = False
        user.is_superuser = False
        user.save()
        trail.record(user, "account_erased")


def set_active(*, user: User, active: bool) -> None:
    """Staff: activate or deactivate an account (deactivation ends its sessions)."""
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(is_active=active)
        if not active:
            revoke_all_sessions(user=user, reason=Session.RevokedReason.DEACTIVATED)
