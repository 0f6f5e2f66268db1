"""Billing tests run against localstripe on 127.0.0.1, through the real
``stripe`` SDK, and post webhooks signed with Stripe's scheme to dj-stripe's
real webhook view. Nothing leaves the machine."""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import time

import pytest
import requests
import stripe
from django.test import Client
from djstripe.models import WebhookEndpoint

from tests.billing.stripe_server import add_dispute

SECRET_KEY = "sk_test_Phoenix" + "0123456789abcdef" * 2  # dj-stripe: [a-zA-Z0-9]{24,}
PUBLISHABLE_KEY = "pk_test_Phoenix" + "0123456789abcdef" * 2
WEBHOOK_SECRET = "whsec_phoenix_test_secret"
PRICE = "price_luna_unlimited_test"


def sign(body: str, *, secret: str = WEBHOOK_SECRET, timestamp: int | None = None):
    """Stripe's signature header: t=<unix>,v1=<HMAC-SHA256 of "t.body">."""
    timestamp = int(time.time()) if timestamp is None else timestamp
    digest = hmac.new(
        secret.encode(), f"{timestamp}.{body}".encode(), hashlib.sha256
    ).hexdigest()
    return f"t={timestamp},v1={digest}"


class StripeHarness:
    """What a test does on Stripe's side: the browser paying, Stripe
    refunding, and Stripe delivering webhooks."""

    def __init__(self, endpoint: WebhookEndpoint):
        self.endpoint = endpoint
        self.url = f"/stripe/webhook/{endpoint.djstripe_uuid}"
        self.options = {"api_key": SECRET_KEY}

    # The browser (Stripe.js) ------------------------------------------------

    def pay(self, intent_id: str, card: str = "pm_card_visa") -> str:
        """Confirm a PaymentIntent with a test card; return its status."""
        stripe.PaymentIntent.modify(intent_id, payment_method=card, **self.options)
        try:
            return stripe.PaymentIntent.confirm(intent_id, **self.options).status
        except stripe.CardError:
            return "declined"

    def save_card(self, customer_id: str, card: str = "pm_card_visa") -> None:
        method = stripe.PaymentMethod.attach(card, customer=customer_id, **self.options)
        stripe.Customer.modify(
            customer_id,
            invoice_settings={"default_payment_method": method.id},
            **self.options,
        )

    # Stripe ---------------------------------------------------------------------

    def refund(self, intent_id: str, amount: int | None = None) -> dict:
        params = {"payment_intent": intent_id}
        if amount is not None:
            params["amount"] = amount
        return stripe.Refund.create(**params, **self.options).to_dict()

    def charge_of(self, intent_id: str) -> dict:
        intent = stripe.PaymentIntent.retrieve(intent_id, **self.options)
        charge = intent.latest_charge
        charge_id = charge if isinstance(charge, str) else charge.id
        return stripe.Charge.retrieve(charge_id, **self.options).to_dict()

    def dispute(self, intent_id: str) -> dict:
        return add_dispute(charge=self.charge_of(intent_id))

    def retrieve(self, resource, object_id: str) -> dict:
        return resource.retrieve(object_id, **self.options).to_dict()

    def events(self, type: str, object_id: str) -> list[dict]:
        """Events localstripe recorded for an object, oldest first."""
        found = stripe.Event.list(type=type, limit=100, **self.options)
        return [
            event.to_dict()
            for event in reversed(found.data)
            if event.data.object.id == object_id
        ]

    def event(self, type: str, obj: dict, *, created: int | None = None) -> dict:
        """An event Stripe would send that localstripe does not emit."""
        return {
            "id": f"evt_{secrets.token_hex(12)}",
            "object": "event",
            "api_version": "2026-08-26.dahlia",
            "created": int(time.time()) if created is None else created,
            "data": {"object": obj},
            "livemode": False,
            "pending_webhooks": 1,
            "request": {"id": None, "idempotency_key": None},
            "type": type,
        }

    # Webhook delivery --------------------------------------------------------------

    def deliver(
        self,
        event: dict,
        *,
        secret: str = WEBHOOK_SECRET,
        timestamp: int | None = None,
        client: Client | None = None,
    ):
        body = json.dumps(event)
        client = client or Client()
        return client.post(
            self.url,
            body,
            content_type="application/json",
            HTTP_STRIPE_SIGNATURE=sign(body, secret=secret, timestamp=timestamp),
        )


@pytest.fixture
def stripe_settings(localstripe, settings):
    settings.STRIPE_SECRET_KEY = SECRET_KEY
    settings.STRIPE_TEST_SECRET_KEY = SECRET_KEY
    settings.STRIPE_PUBLISHABLE_KEY = PUBLISHABLE_KEY
    settings.STRIPE_PUBLIC_KEY = PUBLISHABLE_KEY
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    settings.STRIPE_PRICE_UNLIMITED = PRICE
    settings.STRIPE_API_BASE = localstripe.url
    settings.BILLING_ENABLED = True
    return settings


@pytest.fixture
def billing_off(settings):
    settings.STRIPE_SECRET_KEY = ""
    settings.STRIPE_TEST_SECRET_KEY = ""
    settings.STRIPE_PUBLISHABLE_KEY = ""
    settings.BILLING_ENABLED = False
    return settings


@pytest.fixture
def stripe_side(localstripe, stripe_settings, db) -> StripeHarness:
    """A fresh Stripe account (localstripe emptied) with the Unlimited price,
    and this hub's webhook endpoint."""
    requests.delete(f"{localstripe.url}/_config/data", timeout=60).raise_for_status()
    stripe.Plan.create(
        id=PRICE,
        amount=2999,
        currency="eur",
        interval="month",
        product={"name": "Luna Unlimited"},
        api_key=SECRET_KEY,
    )
    endpoint = WebhookEndpoint.objects.create(
        id=f"we_{secrets.token_hex(8)}",
        url="https://hub.example.com/stripe/webhook",
        secret=WEBHOOK_SECRET,
        enabled_events=["*"],
        status="enabled",
        livemode=False,
        api_version="",
        djstripe_tolerance=300,
    )
    return StripeHarness(endpoint)


@pytest.fixture
def buy(stripe_side):
    """Start a purchase through the API as ``client`` and return its body."""

    def start(client, pack: str = "cafe_luna", **extra) -> dict:
        response = client.post(
            "/api/billing/purchases", {"pack": pack, **extra}, format="json"
        )
        assert response.status_code == 201, response.content
        return response.json()

    return start
