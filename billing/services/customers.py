"""One Stripe customer per user, and the per-user row billing locks."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from billing import stripe_api
from billing.models import Customer


def customer_row(user_id) -> Customer:
    """The user's billing row, created on first use (safe under concurrency)."""
    row = Customer.objects.filter(pk=user_id).first()
    if row is not None:
        return row
    try:
        with transaction.atomic():
            return Customer.objects.create(user_id=user_id)
    except IntegrityError:  # created concurrently
        return Customer.objects.get(pk=user_id)


def lock_customer(user_id) -> Customer:
    """Lock the user's billing row for this transaction: it serialises the
    decisions that look at the user's other purchases and subscriptions."""
    customer_row(user_id)
    return Customer.objects.select_for_update().get(pk=user_id)


def ensure_customer(*, user) -> str:
    """The user's Stripe customer id, creating the customer once.

    Stripe's idempotency key makes concurrent first calls return the same
    customer; the conditional UPDATE keeps the first id stored.
    """
    row = customer_row(user.pk)
    if row.stripe_customer_id:
        return row.stripe_customer_id
    created = stripe_api.create_customer(
        email=user.email,
        metadata={"user_id": str(user.pk), "djstripe_subscriber": str(user.pk)},
        idempotency_key=f"customer-{user.pk}",
    )
    Customer.objects.filter(pk=user.pk, stripe_customer_id="").update(
        stripe_customer_id=created["id"]
    )
    return Customer.objects.get(pk=user.pk).stripe_customer_id
