"""Stripe webhooks, once dj-stripe has verified the signature, stored the
event and re-read its object from Stripe.

dj-stripe runs these receivers inside its processing transaction, once per
event id: a re-delivered event is not processed again. Rows locked here stay
locked until dj-stripe commits, so each receiver reads Stripe first. An exception rolls
the event back, keeps the ``WebhookEventTrigger`` with its traceback (the
audit lists it) and answers 500, so Stripe delivers it again later.

Receivers are connected here, at import time (``BillingConfig.ready``), to
module-level functions: a receiver defined inside a function could be
garbage-collected (signals hold weak references).
"""

from __future__ import annotations

from typing import Any

from djstripe.models import Charge, PaymentIntent
from djstripe.signals import WEBHOOK_SIGNALS

from billing import services, stripe_api
from billing.models import Purchase, Subscription


def event_object(event) -> dict[str, Any]:
    return dict(event.data.get("object") or {})


def current_intent(event) -> dict[str, Any]:
    """dj-stripe has just re-read the PaymentIntent from Stripe: prefer it."""
    snapshot = event_object(event)
    synced = PaymentIntent.objects.filter(id=snapshot.get("id")).first()
    return dict(synced.stripe_data) if synced and synced.stripe_data else snapshot


def payment_intent_of(obj: dict[str, Any]) -> str:
    """The PaymentIntent id a charge, refund or dispute belongs to."""
    intent = obj.get("payment_intent")
    if isinstance(intent, dict):
        intent = intent.get("id")
    if intent:
        return intent
    charge_id = obj.get("id") if obj.get("object") == "charge" else obj.get("charge")
    if isinstance(charge_id, dict):
        charge_id = charge_id.get("id")
    if not charge_id:
        return ""
    charge = Charge.objects.filter(id=charge_id).first()
    data = charge.stripe_data if charge else stripe_api.retrieve_charge(charge_id)
    intent = data.get("payment_intent")
    return (intent.get("id") if isinstance(intent, dict) else intent) or ""


def payment_intent_succeeded(sender, event, **kwargs) -> None:
    services.record_payment(intent=current_intent(event))


def payment_intent_failed(sender, event, **kwargs) -> None:
    intent = current_intent(event)
    if intent.get("status") == "succeeded":  # paid meanwhile (another card)
        services.record_payment(intent=intent)
    else:
        services.record_payment_failure(intent=event_object(event))


def charge_refunded(sender, event, **kwargs) -> None:
    intent_id = payment_intent_of(event_object(event))
    purchase = Purchase.objects.filter(payment_intent_id=intent_id).first()
    if intent_id and purchase is not None:
        services.resync_purchase(purchase=purchase)


def charge_dispute_created(sender, event, **kwargs) -> None:
    dispute = event_object(event)
    intent_id = payment_intent_of(dispute)
    if intent_id:
        services.record_dispute(dispute=dispute, payment_intent_id=intent_id)


def subscription_changed(sender, event, **kwargs) -> None:
    services.apply_state(data=event_object(event), at=event.created)


def invoice_paid(sender, event, **kwargs) -> None:
    invoice = event_object(event)
    subscription_id = services.invoice_subscription_id(invoice)
    known = Subscription.objects.filter(stripe_subscription_id=subscription_id)
    if not subscription_id or not known.exists():
        return
    # A renewal moves the period on: read it before anything is locked.
    data = stripe_api.retrieve_subscription(subscription_id)
    services.apply_state(data=data, at=event.created)
    services.record_invoice(invoice=invoice, paid=True)


def invoice_payment_failed(sender, event, **kwargs) -> None:
    services.record_invoice(invoice=event_object(event), paid=False)


RECEIVERS = {
    "payment_intent.succeeded": payment_intent_succeeded,
    "payment_intent.payment_failed": payment_intent_failed,
    "charge.refunded": charge_refunded,
    "charge.refund.updated": charge_refunded,
    "charge.dispute.created": charge_dispute_created,
    "customer.subscription.created": subscription_changed,
    "customer.subscription.updated": subscription_changed,
    "customer.subscription.deleted": subscription_changed,
    "invoice.paid": invoice_paid,
    "invoice.payment_failed": invoice_payment_failed,
}

for _type, _receiver in RECEIVERS.items():
    WEBHOOK_SIGNALS[_type].connect(_receiver, dispatch_uid=f"billing:{_type}")
