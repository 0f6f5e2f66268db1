"""GDPR: billing exports its records and keeps those of money at erasure."""

import pytest
import stripe
from djstripe.models import Customer as DjstripeCustomer

from billing import services
from billing.models import Customer, Purchase
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_the_export_lists_purchases_and_subscriptions(stripe_side, auth_client):
    auth_client.post("/api/billing/purchases", {"pack": "cafe_luna"})
    document = auth_client.get("/api/account/export").json()
    (purchase,) = document["billing"]["purchases"]
    assert purchase["pack"] == "cafe_luna" and purchase["status"] == "pending"
    assert document["billing"]["subscriptions"] == []


def test_erasure_keeps_money_records_and_forgets_the_customer(
    stripe_side, auth_client, user, django_capture_on_commit_callbacks
):
    customer_id = services.ensure_customer(user=user)
    copy = DjstripeCustomer.sync_from_stripe_data(
        stripe.Customer.retrieve(customer_id, **stripe_side.options)
    )
    assert copy.email == user.email and copy.subscriber == user
    started = auth_client.post("/api/billing/purchases", {"pack": "cafe_luna"})
    paid = auth_client.post("/api/billing/purchases", {"pack": "repas_luna"}).json()
    intent_id = Purchase.objects.get(pk=paid["purchase_id"]).payment_intent_id
    stripe_side.pay(intent_id)
    (event,) = stripe_side.events("payment_intent.succeeded", intent_id)
    stripe_side.deliver(event)

    with django_capture_on_commit_callbacks(execute=True):
        response = auth_client.delete(
            "/api/account", {"password": PASSWORD}, format="json"
        )

    assert response.status_code in (200, 204)
    # A started payment may still be paid; it must still find its purchase.
    assert (
        Purchase.objects.filter(
            pk__in=[paid["purchase_id"], started.json()["purchase_id"]]
        ).count()
        == 2
    )
    assert Customer.objects.get(pk=user.pk).stripe_customer_id == customer_id
    at_stripe = stripe.Customer.retrieve(customer_id, **stripe_side.options)
    assert not at_stripe.email
    copy.refresh_from_db()
    assert copy.email == "" and "email" not in copy.stripe_data
