"""Billing audit: money taken is energy given, webhooks are processed, and
Luna Unlimited is backed by a subscription."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core import checks
from django.db.models import F, Q
from django.utils import timezone
from djstripe.models import Event, PaymentIntent, WebhookEndpoint, WebhookEventTrigger

from billing.models import Purchase, Refund, Subscription
from energy.models import Kind, LedgerEntry, Plan, Wallet

LISTED = 10  # objects named in one message


def names(rows) -> str:
    rows = list(rows)
    more = f" and {len(rows) - LISTED} more" if len(rows) > LISTED else ""
    return ", ".join(str(row) for row in rows[:LISTED]) + more


def check_paid_purchases_credited(app_configs=None, databases=None, **kwargs):
    """Paid purchases have their energy entry."""
    if not databases:
        return []
    messages = []
    credited = Purchase.objects.credited()
    entries = LedgerEntry.objects.filter(kind=Kind.PURCHASE)
    missing = credited.filter(
        Q(credit_entry__isnull=True)
        | ~Q(payment_intent_id__in=entries.values("idempotency_key"))
    )
    if missing.exists():
        messages.append(
            checks.Error(
                f"Purchases marked paid without their energy entry: "
                f"{names(missing.values_list('pk', flat=True))}.",
                id="billing.E001",
            )
        )
    open_ids = Purchase.objects.filter(
        status__in=[Purchase.Status.PENDING, Purchase.Status.FAILED]
    ).values_list("payment_intent_id", flat=True)
    paid_at_stripe = PaymentIntent.objects.filter(
        id__in=open_ids, stripe_data__status="succeeded"
    )
    if paid_at_stripe.exists():
        messages.append(
            checks.Error(
                "PaymentIntents succeeded at Stripe whose purchase was never "
                f"credited: {names(paid_at_stripe.values_list('id', flat=True))}.",
                hint="Use the purchase admin's “Re-sync from Stripe” action.",
                id="billing.E002",
            )
        )
    review = Purchase.objects.filter(status=Purchase.Status.NEEDS_REVIEW)
    if review.exists():
        messages.append(
            checks.Error(
                f"Payments held for review (not credited): "
                f"{names(review.values_list('pk', flat=True))}.",
                id="billing.E003",
            )
        )
    return messages


def check_credited_energy_matches(app_configs=None, databases=None, **kwargs):
    """Energy credited matches the pack."""
    if not databases:
        return []
    messages = []
    wrong = (
        Purchase.objects.credited()
        .filter(credit_entry__isnull=False)
        .exclude(credit_entry__amount=F("energy") + F("bonus_energy"))
    )
    bonus_twice = Purchase.objects.credited().filter(
        bonus_energy__gt=0, first_purchase=False
    )
    for problem, rows in (
        ("energy credited differs from the pack", wrong),
        ("a first-purchase bonus on a purchase that was not the first", bonus_twice),
    ):
        if rows.exists():
            messages.append(
                checks.Error(
                    f"Purchases with {problem}: "
                    f"{names(rows.values_list('pk', flat=True))}.",
                    id="billing.E004",
                )
            )
    shortfalls = Refund.objects.filter(shortfall__gt=0).select_related("purchase")
    if shortfalls.exists():
        messages.append(
            checks.Warning(
                "Refunds whose energy had already been spent (not taken back): "
                f"{names(shortfalls.values_list('pk', flat=True))}.",
                id="billing.W001",
            )
        )
    disputed = Purchase.objects.filter(dispute_id__gt="")
    if disputed.exists():
        messages.append(
            checks.Warning(
                "Disputed purchases (chargebacks): "
                f"{names(disputed.values_list('pk', flat=True))}.",
                id="billing.W002",
            )
        )
    return messages


def check_webhooks_processed(app_configs=None, databases=None, **kwargs):
    """Stripe webhooks verified and processed."""
    if not databases:
        return []
    messages = []
    if (
        settings.BILLING_ENABLED
        and not WebhookEndpoint.objects.exclude(secret="").exists()
    ):
        messages.append(
            checks.Error(
                "Billing is on but no Stripe webhook endpoint is registered: "
                "payments would never be credited.",
                hint="Run: python manage.py register_stripe_webhook",
                id="billing.E005",
            )
        )
    failed = [
        trigger
        for trigger in WebhookEventTrigger.objects.filter(
            valid=True, processed=False
        ).order_by("-created")[:500]
        if not Event.objects.filter(id=trigger.json_body.get("id")).exists()
    ]
    if failed:
        latest = failed[0]
        messages.append(
            checks.Error(
                f"{len(failed)} verified webhook delivery(ies) failed and were not "
                f"processed since (latest: trigger {latest.pk}, "
                f"{latest.json_body.get('type')}: {latest.exception}).",
                hint="See the tracebacks in the admin (dj-stripe › webhook event "
                "triggers); Stripe retries for three days.",
                id="billing.E006",
            )
        )
    invalid = WebhookEventTrigger.objects.filter(
        valid=False, created__gte=timezone.now() - timedelta(days=7)
    ).count()
    if invalid:
        messages.append(
            checks.Warning(
                f"{invalid} webhook request(s) with a bad signature or stale "
                "timestamp in the last 7 days.",
                hint="Check STRIPE_WEBHOOK_SECRET; unknown senders are refused.",
                id="billing.W003",
            )
        )
    return messages


def check_unlimited_backed(app_configs=None, databases=None, **kwargs):
    """Unlimited wallets have an active subscription or a staff reason."""
    if not databases:
        return []
    now = timezone.now()
    wallets = Wallet.objects.filter(
        Q(unlimited_until__isnull=True) | Q(unlimited_until__gt=now),
        plan=Plan.UNLIMITED,
        unlimited_reason__startswith="subscription:",
    )
    messages = []
    for wallet in wallets:
        stripe_id = wallet.unlimited_reason.removeprefix("subscription:")
        row = Subscription.objects.filter(stripe_subscription_id=stripe_id).first()
        if row is None or not row.grants_unlimited(now):
            state = row.status if row else "unknown to billing"
            messages.append(
                checks.Error(
                    f"Wallet of user {wallet.pk} is unlimited for subscription "
                    f"{stripe_id}, which is {state}.",
                    id="billing.E007",
                    obj=f"wallet:{wallet.pk}",
                )
            )
    return messages


AUDIT_CHECKS = (
    check_paid_purchases_credited,
    check_credited_energy_matches,
    check_webhooks_processed,
    check_unlimited_backed,
)
