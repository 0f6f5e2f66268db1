"""Every call billing makes to Stripe, through the official SDK.

Plain dicts come out, ``PaymentProviderError`` (502) when Stripe refuses or
cannot be reached. Callers never hold a row lock while calling these. The
SDK's API base is set from ``STRIPE_API_BASE`` in ``BillingConfig.ready``
(tests point it at localstripe); dj-stripe uses the same SDK and base.
"""

from __future__ import annotations

import logging
from typing import Any

import stripe
from django.conf import settings
from django.utils.translation import gettext as _
from djstripe.settings import djstripe_settings

from billing.errors import BillingUnavailable, PaymentProviderError

logger = logging.getLogger("billing.stripe")


def _options(idempotency_key: str | None = None) -> dict[str, Any]:
    if not settings.BILLING_ENABLED:
        raise BillingUnavailable()
    options: dict[str, Any] = {
        "api_key": settings.STRIPE_SECRET_KEY,
        "stripe_version": djstripe_settings.STRIPE_API_VERSION,
    }
    if idempotency_key:
        options["idempotency_key"] = idempotency_key
    return options


def _call(operation: str, fn, *args, **kwargs) -> dict[str, Any]:
    try:
        return fn(*args, **kwargs).to_dict()
    except stripe.CardError as error:
        logger.info("stripe %s: card refused (%s)", operation, error.code)
        raise PaymentProviderError(
            error.user_message or _("The card was refused.")
        ) from None
    except stripe.StripeError as error:
        logger.warning(
            "stripe %s failed: %s %s",
            operation,
            type(error).__name__,
            getattr(error, "code", "") or "",
        )
        raise PaymentProviderError(
            _("The payment service did not answer as expected; nothing was charged.")
        ) from None


def create_payment_intent(
    *, amount: int, currency: str, metadata: dict[str, str], idempotency_key: str
) -> dict[str, Any]:
    return _call(
        "PaymentIntent.create",
        stripe.PaymentIntent.create,
        amount=amount,
        currency=currency,
        metadata=metadata,
        **_options(idempotency_key),
    )


def retrieve_payment_intent(payment_intent_id: str) -> dict[str, Any]:
    return _call(
        "PaymentIntent.retrieve",
        stripe.PaymentIntent.retrieve,
        payment_intent_id,
        **_options(),
    )


def list_refunds(*, payment_intent_id: str) -> list[dict[str, Any]]:
    """Every refund of a PaymentIntent (a purchase has at most a few)."""
    page = _call(
        "Refund.list",
        stripe.Refund.list,
        payment_intent=payment_intent_id,
        limit=100,
        **_options(),
    )
    return list(page.get("data") or [])


def create_customer(
    *, email: str, metadata: dict[str, str], idempotency_key: str
) -> dict[str, Any]:
    return _call(
        "Customer.create",
        stripe.Customer.create,
        email=email,
        metadata=metadata,
        **_options(idempotency_key),
    )


def create_subscription(
    *, customer: str, price: str, metadata: dict[str, str], idempotency_key: str
) -> dict[str, Any]:
    """Start a subscription whose first invoice the browser pays (Stripe.js)."""
    return _call(
        "Subscription.create",
        stripe.Subscription.create,
        customer=customer,
        items=[{"price": price}],
        payment_behavior="default_incomplete",
        payment_settings={"save_default_payment_method": "on_subscription"},
        expand=["latest_invoice.confirmation_secret"],
        metadata=metadata,
        **_options(idempotency_key),
    )


def retrieve_subscription(subscription_id: str) -> dict[str, Any]:
    return _call(
        "Subscription.retrieve",
        stripe.Subscription.retrieve,
        subscription_id,
        **_options(),
    )


def cancel_at_period_end(subscription_id: str) -> dict[str, Any]:
    return _call(
        "Subscription.modify",
        stripe.Subscription.modify,
        subscription_id,
        cancel_at_period_end=True,
        **_options(),
    )


def erase_customer_details(customer_id: str) -> dict[str, Any]:
    """GDPR erasure: Stripe keeps the payments, not who the customer was."""
    return _call(
        "Customer.modify",
        stripe.Customer.modify,
        customer_id,
        email="",
        name="",
        **_options(),
    )


def retrieve_charge(charge_id: str) -> dict[str, Any]:
    return _call("Charge.retrieve", stripe.Charge.retrieve, charge_id, **_options())
