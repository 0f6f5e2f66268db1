"""Refunds: the 7-day satisfaction guarantee, and failed work given back."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from energy.models import Actor, Kind, LedgerEntry
from energy.services.errors import AlreadyRefunded, EntryNotFound, RefundRefused
from energy.services.ledger import Receipt, append_entry, lock_wallet
from narrative import services as narrative


def refund(
    *,
    user,
    entry_id,
    reason: str,
    actor: str = Actor.USER,
    actor_label: str = "",
) -> Receipt:
    """The satisfaction guarantee: within the window, refundable actions, once."""
    try:
        with transaction.atomic():
            wallet = lock_wallet(user)
            entry = (
                LedgerEntry.objects.select_related("action")
                .filter(pk=entry_id, wallet=wallet)
                .first()
            )
            if entry is None:
                raise EntryNotFound(_("No such ledger entry."))
            if entry.kind != Kind.CONSUME:
                raise RefundRefused(_("Only a consumption can be refunded."))
            if LedgerEntry.objects.filter(refund_of=entry, kind=Kind.REFUND).exists():
                raise AlreadyRefunded(_("This consumption was already refunded."))
            if entry.action is None or not entry.action.refundable:
                raise RefundRefused(_("This action is not covered by the guarantee."))
            if entry.amount == 0:
                raise RefundRefused(_("Nothing was charged for this action."))
            window = timedelta(days=settings.ENERGY_REFUND_WINDOW_DAYS)
            if timezone.now() - entry.created_at > window:
                raise RefundRefused(
                    _("Refunds are possible within %(days)s days.")
                    % {"days": settings.ENERGY_REFUND_WINDOW_DAYS}
                )
            return _refund(wallet, user, entry, reason, "guarantee", actor, actor_label)
    except IntegrityError:  # a concurrent refund of the same consume won
        raise AlreadyRefunded(_("This consumption was already refunded.")) from None


def refund_failed(
    *, entry: LedgerEntry, reason: str, key: str | None = None
) -> Receipt:
    """Give back a consume whose work failed (Luna's reply, for instance).

    Internal path: no window, no refundable flag; still at most once.
    """
    user = entry.wallet.user
    try:
        with transaction.atomic():
            wallet = lock_wallet(user)
            existing = LedgerEntry.objects.filter(
                refund_of=entry, kind=Kind.REFUND
            ).first()
            if existing is not None:
                return Receipt(
                    entry=existing, balance=existing.balance_after, replayed=True
                )
            return _refund(wallet, user, entry, reason, "failure", Actor.SYSTEM, "")
    except IntegrityError:
        existing = LedgerEntry.objects.get(refund_of=entry, kind=Kind.REFUND)
        return Receipt(entry=existing, balance=existing.balance_after, replayed=True)


def _refund(wallet, user, entry, reason, policy, actor, actor_label) -> Receipt:
    refund_entry = append_entry(
        wallet,
        kind=Kind.REFUND,
        amount=-entry.amount,
        key=f"refund:{entry.pk}",
        action=entry.action,
        nominal_cost=entry.nominal_cost,
        app_source=entry.app_source,
        reference=str(entry.pk),
        refund_of=entry,
        reason=policy,
        actor=actor,
        actor_label=actor_label,
    )
    narrative.record(
        user=user,
        type="energy.refunded",
        payload={
            "entry_id": str(refund_entry.pk),
            "refund_of": str(entry.pk),
            "action": entry.action.code if entry.action else None,
            "amount": refund_entry.amount,
            "balance_after": refund_entry.balance_after,
            "policy": policy,
            "reason": reason[:500],
        },
        app_source=entry.app_source,
    )
    return Receipt(entry=refund_entry, balance=refund_entry.balance_after)
