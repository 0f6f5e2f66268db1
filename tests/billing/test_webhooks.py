"""dj-stripe's webhook endpoint: signatures, freshness, handler errors."""

import json
import time

import pytest
import stripe
from django.test import Client
from djstripe.models import Event, WebhookEventTrigger

from billing.models import Purchase
from energy.models import Kind, LedgerEntry
from tests.billing.conftest import sign

pytestmark = pytest.mark.django_db


@pytest.fixture
def paid_event(stripe_side, auth_client, buy):
    body = buy(auth_client)
    intent_id = Purchase.objects.get(pk=body["purchase_id"]).payment_intent_id
    stripe_side.pay(intent_id)
    (event,) = stripe_side.events("payment_intent.succeeded", intent_id)
    return event


def credited() -> bool:
    return LedgerEntry.objects.filter(kind=Kind.PURCHASE).exists()


def test_a_bad_signature_is_refused_and_credits_nothing(stripe_side, paid_event):
    response = stripe_side.deliver(paid_event, secret="whsec_someone_else")
    assert response.status_code == 400
    assert not credited()
    assert not Event.objects.exists()
    trigger = WebhookEventTrigger.objects.get()
    assert (trigger.valid, trigger.processed) == (False, False)


def test_a_tampered_body_is_refused(stripe_side, paid_event):
    body = json.dumps(paid_event)
    header = sign(body)
    tampered = body.replace('"amount": 299', '"amount": 1')
    response = Client().post(
        stripe_side.url,
        tampered,
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=header,
    )
    assert response.status_code == 400
    assert not credited()


def test_a_stale_timestamp_is_refused(stripe_side, paid_event):
    response = stripe_side.deliver(paid_event, timestamp=int(time.time()) - 301)
    assert response.status_code == 400
    assert not credited()


def test_a_signature_inside_the_tolerance_is_accepted(stripe_side, paid_event):
    response = stripe_side.deliver(paid_event, timestamp=int(time.time()) - 240)
    assert response.status_code == 200
    assert credited()


def test_a_request_without_signature_is_refused_and_not_stored(stripe_side, paid_event):
    response = Client().post(
        stripe_side.url, json.dumps(paid_event), content_type="application/json"
    )
    assert response.status_code == 400
    assert not WebhookEventTrigger.objects.exists()


def test_an_unknown_endpoint_is_a_404(stripe_side, paid_event):
    stripe_side.url = "/stripe/webhook/00000000-0000-0000-0000-000000000000"
    assert stripe_side.deliver(paid_event).status_code == 404


def test_a_processing_error_is_kept_for_the_audit_and_retried_later(
    stripe_side, paid_event, monkeypatch
):
    # Stripe cannot be reached while the event is processed (dj-stripe
    # re-reads the PaymentIntent before billing's receiver runs).
    monkeypatch.setattr(stripe, "api_base", "http://127.0.0.1:9")
    monkeypatch.setattr(stripe, "max_network_retries", 0)
    response = stripe_side.deliver(
        paid_event, client=Client(raise_request_exception=False)
    )

    assert response.status_code == 500  # so Stripe delivers it again
    trigger = WebhookEventTrigger.objects.get()
    assert trigger.valid and not trigger.processed
    assert trigger.exception and "APIConnectionError" in trigger.traceback
    assert not Event.objects.exists()  # rolled back: the retry processes it
    assert not credited()

    monkeypatch.undo()
    assert stripe_side.deliver(paid_event).status_code == 200
    assert credited()
