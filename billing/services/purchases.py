"""One-off packs: start a purchase, then credit it once when Stripe says paid.

Energy moves only from a verified Stripe webhook (or a staff re-sync that
reads Stripe): ``record_payment`` credits through
``energy.services.credit_purchase`` keyed by the PaymentIntent id, so any
number of deliveries, in any order, credit once. Lock order: the user's
billing row, the purchase, then energy's wallet and narrative's stream.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from billing import stripe_api
from billing.errors import BillingUnavailable, PaymentProviderError
from billing.models import Pack, Purchase
from billing.services.catalogue import get_pack
from billing.services.customers import lock_customer
from billing.services.limits import reserve_start
from energy import services as energy
from narrative import services as narrative

logger = logging.getLogger("billing")
Status = Purchase.Status


@dataclass(frozen=True)
class StartedPurchase:
    purchase: Purchase
    client_secret: str
    publishable_key: str


def start_purchase(*, user, pack_code: str) -> StartedPurchase:
    """Create a pending purchase and its PaymentIntent (the browser pays it)."""
    if not settings.BILLING_ENABLED:
        raise BillingUnavailable()
    pack = get_pack(pack_code, kind=Pack.Kind.ONE_OFF)
    reserve_start(user=user)
    purchase = Purchase.objects.create(
        user=user,
        pack=pack,
        amount_cents=pack.price_cents,
        currency=pack.currency,
        energy=pack.energy,
    )
    try:
        intent = stripe_api.create_payment_intent(
            amount=purchase.amount_cents,
            currency=purchase.currency,
            metadata={
                "purchase_id": str(purchase.pk),
                "user_id": str(user.pk),
                "pack": pack.code,
            },
            idempotency_key=f"purchase-{purchase.pk}",
        )
    except PaymentProviderError as error:
        Purchase.objects.filter(pk=purchase.pk, status=Status.PENDING).update(
            status=Status.FAILED,
            failure_code="provider_error",
            failure_message=str(error)[:300],
            failed_at=timezone.now(),
        )
        raise
    with transaction.atomic():
        Purchase.objects.filter(pk=purchase.pk, payment_intent_id="").update(
            payment_intent_id=intent["id"]
        )
        narrative.record(
            user=user,
            type="billing.purchase_started",
            payload={
                "purchase_id": str(purchase.pk),
                "pack": pack.code,
                "amount_cents": purchase.amount_cents,
                "currency": purchase.currency,
            },
        )
    purchase.refresh_from_db()
    return StartedPurchase(
        purchase=purchase,
        client_secret=intent["client_secret"],
        publishable_key=settings.STRIPE_PUBLISHABLE_KEY,
    )


def purchase_for_intent(intent: dict[str, Any]) -> Purchase | None:
    """The purchase a PaymentIntent pays: by its id, else by the metadata of
    an intent whose id was never stored (a crash right after Stripe answered)."""
    found = Purchase.objects.filter(payment_intent_id=intent["id"]).first()
    if found is not None:
        return found
    try:
        purchase_id = uuid.UUID(str((intent.get("metadata") or {})["purchase_id"]))
    except (KeyError, ValueError):
        return None  # not one of ours
    return Purchase.objects.filter(pk=purchase_id, payment_intent_id="").first()


def amount_received(intent: dict[str, Any]) -> int:
    received = intent.get("amount_received")
    if received is None:  # older API versions and test servers omit it
        received = intent.get("amount") or 0
    return int(received)


def record_payment(*, intent: dict[str, Any]) -> Purchase | None:
    """Credit the purchase of a succeeded PaymentIntent, exactly once."""
    if intent.get("status") != "succeeded":
        return None
    found = purchase_for_intent(intent)
    if found is None:
        logger.info("succeeded PaymentIntent %s is not a purchase", intent["id"])
        return None
    with transaction.atomic():
        lock_customer(found.user_id)
        purchase = (
            Purchase.objects.select_for_update()
            .select_related("pack", "user")
            .get(pk=found.pk)
        )
        if purchase.payment_intent_id not in ("", intent["id"]):
            return None
        purchase.payment_intent_id = intent["id"]
        if purchase.status in (*Purchase.CREDITED, Status.NEEDS_REVIEW):
            return purchase  # a replay: already decided
        problem = payment_problem(purchase, intent)
        if problem:
            return flag(purchase, problem)
        first = not Purchase.objects.filter(
            user_id=purchase.user_id, first_purchase=True
        ).exists()
        bonus = bonus_energy(purchase, first_purchase=first)
        receipt = energy.credit_purchase(
            user=purchase.user,
            amount=purchase.energy + bonus,
            key=intent["id"],
            reference=f"purchase:{purchase.pk}",
            reason=f"pack {purchase.pack.code}",
            extra={"pack": purchase.pack.code, "bonus": bonus},
        )
        purchase.status = Status.PAID
        purchase.first_purchase = first
        purchase.bonus_energy = bonus
        purchase.credit_entry = receipt.entry
        purchase.paid_at = timezone.now()
        purchase.save()
        narrative.record(
            user=purchase.user,
            type="billing.purchase_paid",
            payload={
                "purchase_id": str(purchase.pk),
                "pack": purchase.pack.code,
                "amount_cents": purchase.amount_cents,
                "currency": purchase.currency,
                "energy": purchase.energy,
                "bonus": bonus,
            },
        )
    return purchase


def bonus_energy(purchase: Purchase, *, first_purchase: bool) -> int:
    percent = purchase.pack.first_purchase_bonus_percent
    if not first_purchase or not percent:
        return 0
    return (purchase.energy * percent + 50) // 100  # rounded half up


def payment_problem(purchase: Purchase, intent: dict[str, Any]) -> str:
    """Why this payment must not be credited as the pack, or ''."""
    received = amount_received(intent)
    currency = str(intent.get("currency") or "").lower()
    if received != purchase.amount_cents or currency != purchase.currency:
        return (
            f"paid {received} {currency}, the pack costs "
            f"{purchase.amount_cents} {purchase.currency}"
        )
    metadata_user = (intent.get("metadata") or {}).get("user_id")
    if metadata_user != str(purchase.user_id):
        return f"the payment names user {metadata_user!r}"
    return ""


def flag(purchase: Purchase, reason: str) -> Purchase:
    """Hold a payment for staff instead of crediting it (the audit lists it)."""
    purchase.status = Status.NEEDS_REVIEW
    purchase.review_reason = reason[:300]
    purchase.save()
    logger.error("purchase %s needs review: %s", purchase.pk, reason)
    narrative.record(
        user=purchase.user,
        type="billing.purchase_flagged",
        payload={"purchase_id": str(purchase.pk), "reason": reason[:300]},
    )
    return purchase


def record_payment_failure(*, intent: dict[str, Any]) -> Purchase | None:
    """Mark a purchase failed; a paid purchase stays paid (late events)."""
    found = purchase_for_intent(intent)
    if found is None:
        return None
    error = intent.get("last_payment_error") or {}
    code = str(error.get("decline_code") or error.get("code") or "payment_failed")
    message = str(error.get("message") or "")[:300]
    with transaction.atomic():
        purchase = (
            Purchase.objects.select_for_update().select_related("pack").get(pk=found.pk)
        )
        if purchase.status not in (Status.PENDING, Status.FAILED):
            return purchase
        if purchase.status == Status.FAILED and purchase.failure_code == code:
            return purchase  # the same failure again
        purchase.payment_intent_id = intent["id"]
        purchase.status = Status.FAILED
        purchase.failure_code = code[:100]
        purchase.failure_message = message
        purchase.failed_at = timezone.now()
        purchase.save()
        narrative.record(
            user=purchase.user,
            type="billing.purchase_failed",
            payload={
                "purchase_id": str(purchase.pk),
                "pack": purchase.pack.code,
                "failure_code": purchase.failure_code,
            },
        )
    return purchase
