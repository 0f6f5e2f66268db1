"""Ledger audit: every wallet's balance is the sum of its entries."""

from __future__ import annotations

from django.core import checks
from django.db.models import Count, Max, Min, OuterRef, Subquery, Sum
from django.utils import timezone

from energy.models import LedgerEntry, Plan, Wallet


def first_drift(wallet: Wallet) -> LedgerEntry | None:
    """The first entry whose balance_after is not the running sum."""
    running = 0
    expected_seq = 1
    for entry in LedgerEntry.objects.filter(wallet=wallet).order_by("seq").iterator():
        running += entry.amount
        if entry.seq != expected_seq or entry.balance_after != running:
            return entry
        expected_seq += 1
    return None


def check_ledger_consistency(app_configs=None, databases=None, **kwargs):
    """Energy ledger consistent (balance = sum of entries = last balance_after)."""
    if not databases:
        return []
    messages = []
    last = LedgerEntry.objects.filter(wallet=OuterRef("pk")).order_by("-seq")
    wallets = Wallet.objects.annotate(
        total=Sum("entries__amount"),
        entries_seen=Count("entries"),
        max_seq=Max("entries__seq"),
        min_balance=Min("entries__balance_after"),
        last_balance=Subquery(last.values("balance_after")[:1]),
    )
    for wallet in wallets.iterator():
        total = wallet.total or 0
        consistent = (
            wallet.balance == total
            and (wallet.last_balance is None or wallet.last_balance == wallet.balance)
            and (wallet.max_seq or 0) == wallet.entries_seen == wallet.entry_count
            and wallet.balance >= 0
            and (wallet.min_balance is None or wallet.min_balance >= 0)
        )
        if consistent:
            continue
        bad = first_drift(wallet)
        where = (
            f"first bad entry {bad.pk} (seq {bad.seq})"
            if bad
            else "no entry explains it"
        )
        messages.append(
            checks.Error(
                f"Wallet of user {wallet.pk}: balance {wallet.balance}, sum of entries "
                f"{total}, last balance_after {wallet.last_balance}; {where}.",
                id="energy.E001",
                obj=f"wallet:{wallet.pk}",
            )
        )
    return messages


def check_unlimited_reasons(app_configs=None, databases=None, **kwargs):
    """Unlimited plans have a reason."""
    if not databases:
        return []
    now = timezone.now()
    unexplained = Wallet.objects.filter(plan=Plan.UNLIMITED, unlimited_reason="")
    messages = [
        checks.Error(
            f"Wallet of user {wallet.pk} is unlimited without a reason "
            "(no subscription, no staff note).",
            id="energy.E002",
            obj=f"wallet:{wallet.pk}",
        )
        for wallet in unexplained
    ]
    expired = Wallet.objects.filter(
        plan=Plan.UNLIMITED, unlimited_until__lt=now
    ).count()
    if expired:
        messages.append(
            checks.Info(
                f"{expired} wallet(s) still marked unlimited past their end date "
                "(treated as standard).",
                id="energy.I001",
            )
        )
    return messages
