"""Spending: one keyed debit per action, 402 when the balance is short."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction

from accounts.throttling import SlidingWindow
from energy.models import Actor, Kind
from energy.services.errors import FairUseExceeded, InsufficientEnergy
from energy.services.ledger import (
    Receipt,
    append_entry,
    existing_entry,
    get_action,
    idempotent,
    lock_wallet,
    low_balance_signals,
    replay,
    take,
    write_entry,
)
from narrative import services as narrative


def consume(
    *,
    user,
    action: str,
    key: str,
    app_source: str = "hub",
    context: dict[str, Any] | None = None,
    actor: str = Actor.USER,
    actor_label: str = "",
    reference: str = "",
) -> Receipt:
    """Spend the action's cost once for ``key``; 402 if the balance is short."""
    act = get_action(action)
    return idempotent(_consume)(
        key=key,
        replay_kind=Kind.CONSUME,
        user=user,
        action=act,
        app_source=app_source,
        context=context,
        actor=actor,
        actor_label=actor_label,
        reference=reference,
    )


def _consume(*, key, user, action, app_source, context, actor, actor_label, reference):
    fields = {
        "kind": Kind.CONSUME,
        "key": key,
        "action": action,
        "nominal_cost": action.cost,
        "app_source": app_source,
        "reference": reference,
        "actor": actor,
        "actor_label": actor_label,
    }
    with transaction.atomic():
        taken = take(user.pk, action.cost)
        if taken is not None:
            # The usual case, a standard wallet that holds the cost: one
            # conditional UPDATE debited and locked it. A replay of ``key``
            # fails the entry's unique index and rolls the debit back.
            balance, seq = taken
            entry = write_entry(
                user.pk, seq=seq, balance_after=balance, amount=-action.cost, **fields
            )
            return _recorded(user, entry, action, context, app_source, unlimited=False)
        wallet = lock_wallet(user)
        unlimited = wallet.is_unlimited()
        short = not unlimited and wallet.balance < action.cost
        if unlimited or short:
            # A replay answers what the first request got, whatever the
            # balance is now, and never spends a fair-use slot. (On the usual
            # path the key's unique index detects a replay at the insert.)
            existing = existing_entry(key)
            if existing is not None:
                return replay(existing, wallet, kind=Kind.CONSUME, action=action)
        if short:
            raise InsufficientEnergy(required=action.cost, available=wallet.balance)
        if unlimited:
            limit, window = settings.ENERGY_UNLIMITED_FAIR_USE
            attempt = SlidingWindow("unlimited-fair-use", limit=limit, window=window)
            reserved = attempt.reserve(str(user.pk))
            if not reserved:
                raise FairUseExceeded(reserved.retry_after)
            amount = 0
        else:
            amount = -action.cost
        entry = append_entry(wallet, amount=amount, **fields)
        return _recorded(user, entry, action, context, app_source, unlimited=unlimited)


def _recorded(user, entry, action, context, app_source, *, unlimited) -> Receipt:
    """Record the debit in the Capital Narratif (and a low balance crossed)."""
    event, _created = narrative.record(
        user=user,
        type="energy.consumed",
        payload={
            "entry_id": str(entry.pk),
            "action": action.code,
            "amount": -entry.amount,
            "nominal_cost": action.cost,
            "balance_after": entry.balance_after,
            "unlimited": unlimited,
            "context": context or {},
        },
        app_source=app_source,
    )
    before = entry.balance_after - entry.amount
    low_balance_signals(user, before, entry.balance_after, app_source)
    return Receipt(
        entry=entry,
        balance=entry.balance_after,
        event_id=event.pk,
        unlimited=unlimited,
    )
