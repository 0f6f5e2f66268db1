"""Reads: the wallet as shown to people, and "could I do this now?"."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from energy.models import Kind, LedgerEntry, Plan, Wallet
from energy.services.ledger import cache_key, get_action, open_wallet


@dataclass(frozen=True)
class WalletView:
    balance: int
    max: int
    percentage: int
    plan: str
    unlimited: bool
    unlimited_until: datetime | None


@dataclass(frozen=True)
class Check:
    action: str
    cost: int
    balance: int
    can_perform: bool
    deficit: int


def wallet_view(*, user) -> WalletView:
    """The balance as shown to people (cached; never used to authorise)."""
    cached = cache.get(cache_key(user.pk))
    if cached is not None:
        return WalletView(**cached)
    wallet = open_wallet(user=user)
    maximum = settings.ENERGY_MAX
    view = WalletView(
        balance=wallet.balance,
        max=maximum,
        percentage=min(100, round(wallet.balance * 100 / maximum)) if maximum else 0,
        plan=wallet.plan if wallet.is_unlimited() else Plan.STANDARD,
        unlimited=wallet.is_unlimited(),
        unlimited_until=wallet.unlimited_until if wallet.is_unlimited() else None,
    )
    cache.set(cache_key(user.pk), view.__dict__, settings.ENERGY_BALANCE_CACHE_SECONDS)
    return view


def check(*, user, action: str) -> Check:
    """Could ``user`` perform ``action`` now? (Read-only; consume decides.)"""
    act = get_action(action)
    wallet = open_wallet(user=user)
    if wallet.is_unlimited():
        return Check(act.code, 0, wallet.balance, True, 0)
    deficit = max(0, act.cost - wallet.balance)
    return Check(act.code, act.cost, wallet.balance, deficit == 0, deficit)


def refund_eligible(entry: LedgerEntry, *, refunded: bool) -> bool:
    return (
        entry.kind == Kind.CONSUME
        and entry.amount < 0
        and not refunded
        and entry.action is not None
        and entry.action.refundable
        and timezone.now() - entry.created_at
        <= timedelta(days=settings.ENERGY_REFUND_WINDOW_DAYS)
    )


def export_wallet(*, user) -> dict[str, Any]:
    wallet = Wallet.objects.filter(pk=user.pk).first()
    if wallet is None:
        return {"wallet": None, "entries": []}
    entries = (
        LedgerEntry.objects.filter(wallet=wallet)
        .select_related("action")
        .order_by("seq")
    )
    return {
        "wallet": {
            "balance": wallet.balance,
            "plan": wallet.plan,
            "unlimited_until": wallet.unlimited_until.isoformat()
            if wallet.unlimited_until
            else None,
        },
        "entries": [
            {
                "id": str(e.pk),
                "seq": e.seq,
                "kind": e.kind,
                "amount": e.amount,
                "balance_after": e.balance_after,
                "action": e.action.code if e.action else None,
                "app_source": e.app_source,
                "reference": e.reference,
                "created_at": e.created_at.isoformat(),
            }
            for e in entries
        ],
    }


@dataclass(frozen=True)
class Usage:
    total_consumed: int
    last_purchase_at: datetime | None


def usage(*, user) -> Usage:
    """Totals shown beside the balance (the predecessor's check fields)."""
    from django.db.models import Max, Sum

    entries = LedgerEntry.objects.for_user(user)
    consumed = entries.filter(kind=Kind.CONSUME).aggregate(total=Sum("amount"))["total"]
    last = entries.filter(kind=Kind.PURCHASE).aggregate(at=Max("created_at"))["at"]
    return Usage(total_consumed=-(consumed or 0), last_purchase_at=last)


@dataclass(frozen=True)
class RefundStatus:
    eligible: bool
    status: str  # eligible | not_eligible | already_processed | not_found
    reason: str
    entry: LedgerEntry | None = None


def refund_status(*, user, entry_id) -> RefundStatus:
    """Would the guarantee refund this consumption? (Read-only.)"""
    from django.utils.translation import gettext as _

    entry = (
        LedgerEntry.objects.for_user(user)
        .select_related("action")
        .filter(pk=entry_id, kind=Kind.CONSUME)
        .first()
    )
    if entry is None:
        return RefundStatus(False, "not_found", _("Action not found"))
    if entry.refunds.filter(kind=Kind.REFUND).exists():
        return RefundStatus(False, "already_processed", _("Already refunded"), entry)
    if refund_eligible(entry, refunded=False):
        return RefundStatus(True, "eligible", _("Eligible for a refund"), entry)
    return RefundStatus(False, "not_eligible", _("Not covered by the guarantee"), entry)


def legacy_profile(*, user) -> dict[str, Any]:
    """Energy's fields of the predecessor's ``/auth/me``."""
    view = wallet_view(user=user)
    return {
        "luna_energy": view.balance,
        "subscription_type": "luna_unlimited" if view.unlimited else None,
        "subscription_status": "active" if view.unlimited else None,
        "is_unlimited": view.unlimited,
    }
