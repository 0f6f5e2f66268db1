"""Luna Unlimited: the plan flag on a wallet, with a reason and an end."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from energy.models import Plan, Wallet
from energy.services.errors import EnergyError
from energy.services.ledger import invalidate, lock_wallet
from narrative import services as narrative


def set_unlimited(*, user, until: datetime | None, reason: str) -> Wallet:
    """Make the plan unlimited until ``until`` (None: until ended); reason required."""
    if not reason.strip():
        raise EnergyError(
            _("A reason is required."), fields={"reason": [_("Required.")]}
        )
    with transaction.atomic():
        wallet = lock_wallet(user)
        Wallet.objects.filter(pk=wallet.pk).update(
            plan=Plan.UNLIMITED, unlimited_until=until, unlimited_reason=reason[:200]
        )
        narrative.record(
            user=user,
            type="energy.plan_changed",
            payload={
                "plan": Plan.UNLIMITED,
                "until": until.isoformat() if until else None,
                "reason": reason[:200],
            },
        )
        invalidate(wallet.pk)
    wallet.refresh_from_db()
    return wallet


def end_unlimited(*, user, reason: str) -> Wallet:
    with transaction.atomic():
        wallet = lock_wallet(user)
        if wallet.plan != Plan.STANDARD:
            Wallet.objects.filter(pk=wallet.pk).update(
                plan=Plan.STANDARD, unlimited_until=None, unlimited_reason=""
            )
            narrative.record(
                user=user,
                type="energy.plan_changed",
                payload={"plan": Plan.STANDARD, "until": None, "reason": reason[:200]},
            )
            invalidate(wallet.pk)
    wallet.refresh_from_db()
    return wallet
