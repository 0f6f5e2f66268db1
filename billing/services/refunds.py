"""Refunds, disputes, and re-reading a purchase from Stripe.

A refund takes back the energy in proportion to the money returned, keyed by
the Stripe refund id. Shares are computed on the cumulative refunded amount
(floor of credited × refunded ÷ paid), so partial refunds that add up to the
whole price take back exactly what was credited. Energy already spent is not
taken (never below zero): the shortfall is stored and the audit lists it.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction
from django.utils import timezone

from billing import stripe_api
from billing.models import Purchase, Refund
from billing.services.purchases import record_payment, record_payment_failure
from energy import services as energy
from narrative import services as narrative

logger = logging.getLogger("billing")
Status = Purchase.Status


def resync_purchase(*, purchase: Purchase) -> Purchase:
    """Bring a purchase in line with Stripe: payment, failure, refunds.

    Used by ``charge.refunded`` (a refund never lands before its credit) and
    by the admin's "re-sync from Stripe" action. Everything is read from
    Stripe first: no network call happens once a row is locked (a webhook's
    locks last until dj-stripe commits).
    """
    if not purchase.payment_intent_id:
        return purchase
    intent = stripe_api.retrieve_payment_intent(purchase.payment_intent_id)
    if intent.get("status") == "succeeded":
        refunds = stripe_api.list_refunds(payment_intent_id=intent["id"])
        record_payment(intent=intent)
        apply_refunds(payment_intent_id=intent["id"], refunds=refunds)
    elif intent.get("last_payment_error"):
        record_payment_failure(intent=intent)
    purchase.refresh_from_db()
    return purchase


def apply_refunds(*, payment_intent_id: str, refunds: list[dict[str, Any]]) -> None:
    """Take back energy for each succeeded refund not applied yet."""
    done = [r for r in refunds if r.get("status") == "succeeded"]
    done.sort(key=lambda r: (r.get("created") or 0, r["id"]))
    with transaction.atomic():
        purchase = (
            Purchase.objects.select_for_update()
            .select_related("user")
            .filter(payment_intent_id=payment_intent_id)
            .first()
        )
        if purchase is None or purchase.status not in Purchase.CREDITED:
            return
        applied = set(purchase.refunds.values_list("stripe_refund_id", flat=True))
        for refund in done:
            if refund["id"] not in applied:
                apply_refund(purchase, refund)
        if purchase.amount_refunded_cents:
            purchase.status = (
                Status.REFUNDED
                if purchase.amount_refunded_cents >= purchase.amount_cents
                else Status.PARTIALLY_REFUNDED
            )
        purchase.save()


def apply_refund(purchase: Purchase, refund: dict[str, Any]) -> None:
    credited = purchase.energy + purchase.bonus_energy
    before = purchase.amount_refunded_cents
    after = min(purchase.amount_cents, before + int(refund.get("amount") or 0))
    share = (credited * after) // purchase.amount_cents - (
        credited * before
    ) // purchase.amount_cents
    shortfall = 0
    if share:
        receipt = energy.claw_back(
            user=purchase.user,
            amount=share,
            key=refund["id"],
            reference=f"purchase:{purchase.pk}",
            reason=f"Stripe refund {refund['id']}",
        )
        shortfall = receipt.shortfall
    Refund.objects.create(
        stripe_refund_id=refund["id"],
        purchase=purchase,
        amount_cents=after - before,
        energy=share,
        shortfall=shortfall,
    )
    purchase.amount_refunded_cents = after
    purchase.energy_clawed_back += share - shortfall
    if shortfall:
        logger.warning(
            "refund %s of purchase %s: %s energy already spent",
            refund["id"],
            purchase.pk,
            shortfall,
        )
    narrative.record(
        user=purchase.user,
        type="billing.purchase_refunded",
        payload={
            "purchase_id": str(purchase.pk),
            "amount_cents": after - before,
            "currency": purchase.currency,
            "energy": share,
            "shortfall": shortfall,
        },
    )


def record_dispute(*, dispute: dict[str, Any], payment_intent_id: str) -> None:
    """Flag the purchase a chargeback is about (energy stays until it is lost
    and refunded; the audit lists open disputes)."""
    with transaction.atomic():
        purchase = (
            Purchase.objects.select_for_update()
            .filter(payment_intent_id=payment_intent_id)
            .first()
        )
        if purchase is None or purchase.dispute_id == dispute["id"]:
            return
        purchase.dispute_id = dispute["id"]
        purchase.dispute_reason = str(dispute.get("reason") or "")[:100]
        purchase.disputed_at = timezone.now()
        purchase.save()
        narrative.record(
            user=purchase.user,
            type="billing.purchase_disputed",
            payload={
                "purchase_id": str(purchase.pk),
                "reason": purchase.dispute_reason,
                "amount_cents": int(dispute.get("amount") or 0),
            },
        )
