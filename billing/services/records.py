"""What billing holds about a user: purchase totals, GDPR export and erasure."""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction
from django.db.models import Count, F, Sum

from billing import stripe_api
from billing.errors import BillingError
from billing.models import Customer, Purchase, Subscription

logger = logging.getLogger("billing")


def purchase_totals(*, user) -> dict[str, Any]:
    """Paid purchases: how many, energy bought (net of refunds), money spent
    (net of refunds) per currency."""
    credited = Purchase.objects.for_user(user).credited()
    rows = credited.values("currency").annotate(
        count=Count("pk"),
        spent=Sum(F("amount_cents") - F("amount_refunded_cents")),
        energy=Sum(F("energy") + F("bonus_energy") - F("energy_clawed_back")),
    )
    return {
        "purchases": sum(row["count"] for row in rows),
        "energy_bought": sum(row["energy"] or 0 for row in rows),
        "spent_cents": {row["currency"]: row["spent"] or 0 for row in rows},
    }


def export_billing(*, user) -> dict[str, Any]:
    customer = Customer.objects.filter(pk=user.pk).first()
    purchases = Purchase.objects.for_user(user).select_related("pack")
    return {
        "stripe_customer_id": customer.stripe_customer_id if customer else None,
        "purchases": [
            {
                "id": str(p.pk),
                "pack": p.pack.code,
                "status": p.status,
                "amount_cents": p.amount_cents,
                "currency": p.currency,
                "energy": p.energy,
                "bonus_energy": p.bonus_energy,
                "amount_refunded_cents": p.amount_refunded_cents,
                "energy_clawed_back": p.energy_clawed_back,
                "created_at": p.created_at.isoformat(),
                "paid_at": p.paid_at.isoformat() if p.paid_at else None,
            }
            for p in purchases
        ],
        "subscriptions": [
            {
                "id": str(s.pk),
                "plan": s.pack.code,
                "status": s.status,
                "current_period_end": s.current_period_end.isoformat()
                if s.current_period_end
                else None,
                "cancel_at_period_end": s.cancel_at_period_end,
                "created_at": s.created_at.isoformat(),
            }
            for s in Subscription.objects.for_user(user).select_related("pack")
        ],
    }


def erase_billing(*, user) -> None:
    """Keep purchases and subscriptions (accounting; a started PaymentIntent
    can still be paid and must still find its purchase); forget who the
    customer was in dj-stripe's copy and, after commit, at Stripe."""
    from djstripe.models import Customer as StripeCustomer

    customer = Customer.objects.filter(pk=user.pk).first()
    if customer is None or not customer.stripe_customer_id:
        return
    for copy in StripeCustomer.objects.filter(id=customer.stripe_customer_id):
        for key in ("email", "name", "phone", "address", "shipping"):
            copy.stripe_data.pop(key, None)
        copy.email = ""
        copy.save(update_fields=["email", "stripe_data"])
    stripe_id = customer.stripe_customer_id
    transaction.on_commit(lambda: forget_customer(stripe_id))


def forget_customer(stripe_customer_id: str) -> None:
    try:
        stripe_api.erase_customer_details(stripe_customer_id)
    except BillingError as error:  # unavailable or refused: staff can redo it
        logger.warning(
            "could not erase Stripe customer %s: %s", stripe_customer_id, error
        )
