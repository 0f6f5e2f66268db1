"""Credits and corrections: bonuses, purchases, staff adjustments, clawbacks."""

from __future__ import annotations

import uuid

from django.db import transaction
from django.utils.translation import gettext as _

from energy.models import Actor, Kind
from energy.services.errors import EnergyError
from energy.services.ledger import (
    Receipt,
    append_entry,
    existing_entry,
    free_credit,
    idempotent,
    lock_wallet,
    replay,
)
from narrative import services as narrative


def _credit(
    *,
    key: str,
    user,
    action=None,
    kind: str,
    amount: int,
    capped: bool,
    reason: str,
    reference: str,
    app_source: str,
    actor: str,
    actor_label: str,
    event: str,
    extra: dict | None = None,
) -> Receipt:
    with transaction.atomic():
        wallet = lock_wallet(user)
        existing = existing_entry(key)
        if existing is not None:
            return replay(existing, wallet, kind=kind)
        credited = free_credit(wallet, amount) if capped else amount
        entry = append_entry(
            wallet,
            kind=kind,
            amount=credited,
            key=key,
            app_source=app_source,
            reference=reference,
            reason=reason,
            actor=actor,
            actor_label=actor_label,
        )
        narrative.record(
            user=user,
            type=event,
            payload={
                "entry_id": str(entry.pk),
                "amount": credited,
                "requested": amount,
                "balance_after": entry.balance_after,
                "reason": reason,
                "reference": reference,
                **(extra or {}),
            },
            app_source=app_source,
        )
        return Receipt(entry=entry, balance=entry.balance_after)


def credit_bonus(
    *, user, amount: int, key: str, reason: str, reference: str = "", app_source="luna"
) -> Receipt:
    """A free bonus (celebrations…): idempotent by key, stops at the cap."""
    return idempotent(_credit)(
        key=key,
        replay_kind=Kind.BONUS,
        user=user,
        kind=Kind.BONUS,
        amount=amount,
        capped=True,
        reason=reason,
        reference=reference,
        app_source=app_source,
        actor=Actor.SYSTEM,
        actor_label="",
        event="energy.bonus",
    )


def credit_purchase(
    *, user, amount: int, key: str, reference: str, reason: str = "", extra=None
) -> Receipt:
    """Paid energy: never capped, credited once per key (the PaymentIntent id)."""
    return idempotent(_credit)(
        key=key,
        replay_kind=Kind.PURCHASE,
        user=user,
        kind=Kind.PURCHASE,
        amount=amount,
        capped=False,
        reason=reason,
        reference=reference,
        app_source="hub",
        actor=Actor.SYSTEM,
        actor_label="stripe",
        event="energy.purchased",
        extra=extra,
    )


def adjust(*, user, amount: int, reason: str, staff_label: str) -> Receipt:
    """A staff correction, positive or negative (never below zero)."""
    if not reason.strip():
        raise EnergyError(
            _("A reason is required."), fields={"reason": [_("Required.")]}
        )
    if amount == 0:
        raise EnergyError(
            _("The amount cannot be zero."), fields={"amount": [_("Not 0.")]}
        )
    with transaction.atomic():
        wallet = lock_wallet(user)
        if wallet.balance + amount < 0:
            raise EnergyError(
                _("The balance would go below zero (it is %(b)s).")
                % {"b": wallet.balance},
                fields={"amount": [_("Too large a debit.")]},
            )
        entry = append_entry(
            wallet,
            kind=Kind.ADJUSTMENT,
            amount=amount,
            key=f"adjustment:{uuid.uuid4()}",
            reason=reason,
            actor=Actor.STAFF,
            actor_label=staff_label,
        )
        narrative.record(
            user=user,
            type="energy.adjusted",
            payload={
                "entry_id": str(entry.pk),
                "amount": amount,
                "balance_after": entry.balance_after,
                "reason": reason,
            },
        )
        return Receipt(entry=entry, balance=entry.balance_after)


def claw_back(*, user, amount: int, key: str, reference: str, reason: str) -> Receipt:
    """Take back refunded paid energy, never below zero; report any shortfall."""
    with transaction.atomic():
        wallet = lock_wallet(user)
        existing = existing_entry(key)
        if existing is not None:
            replayed = replay(existing, wallet, kind=Kind.CLAWBACK)
            shortfall = max(0, amount + existing.amount)
            return Receipt(replayed.entry, replayed.balance, True, shortfall)
        taken = min(amount, wallet.balance)
        shortfall = amount - taken
        note = reason if not shortfall else f"{reason} (shortfall {shortfall})"
        entry = append_entry(
            wallet,
            kind=Kind.CLAWBACK,
            amount=-taken,
            key=key,
            reference=reference,
            reason=note,
            actor=Actor.SYSTEM,
            actor_label="stripe",
            app_source="hub",
        )
        narrative.record(
            user=user,
            type="energy.clawback",
            payload={
                "entry_id": str(entry.pk),
                "amount": taken,
                "requested": amount,
                "shortfall": shortfall,
                "balance_after": entry.balance_after,
                "reference": reference,
            },
            app_source="hub",
        )
        return Receipt(entry=entry, balance=entry.balance_after, shortfall=shortfall)
