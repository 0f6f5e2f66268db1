"""Luna Unlimited: one customer per user, a subscription, the wallet's plan."""

import time

import pytest
import stripe
from django.utils import timezone

from billing import services
from billing.models import Customer, Subscription
from energy.models import Plan, Wallet
from narrative.models import Event as NarrativeEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def card_on_file(stripe_side, user):
    """The browser saved a card (localstripe charges the first invoice at once)."""
    stripe_side.save_card(services.ensure_customer(user=user))


def subscribe(client) -> dict:
    response = client.post(
        "/api/billing/subscription", {"plan": "luna_unlimited"}, format="json"
    )
    assert response.status_code == 201, response.content
    return response.json()


def wallet(user) -> Wallet:
    return Wallet.objects.get(pk=user.pk)


def stripe_subscription(stripe_side, user) -> dict:
    row = Subscription.objects.get(user=user)
    return stripe_side.retrieve(stripe.Subscription, row.stripe_subscription_id)


def test_subscribing_creates_one_customer_and_a_subscription(
    stripe_side, auth_client, user, card_on_file
):
    body = subscribe(auth_client)

    row = Subscription.objects.get(pk=body["subscription_id"])
    assert body["status"] == row.status == "active"
    assert body["client_secret"].startswith("pi_")
    assert body["publishable_key"].startswith("pk_test_")
    customer = Customer.objects.get(pk=user.pk)
    data = stripe_subscription(stripe_side, user)
    assert data["customer"] == customer.stripe_customer_id
    assert data["metadata"]["user_id"] == str(user.pk)
    assert services.ensure_customer(user=user) == customer.stripe_customer_id
    assert wallet(user).plan == Plan.UNLIMITED
    assert wallet(user).unlimited_reason == f"subscription:{data['id']}"
    assert wallet(user).unlimited_until == row.current_period_end
    assert NarrativeEvent.objects.filter(type="billing.subscription_started").exists()


def test_a_second_subscription_is_refused(stripe_side, auth_client, user, card_on_file):
    subscribe(auth_client)
    response = auth_client.post(
        "/api/billing/subscription", {"plan": "luna_unlimited"}, format="json"
    )
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "already_subscribed"
    assert Subscription.objects.count() == 1


def test_an_unknown_plan_is_a_400(stripe_side, auth_client):
    response = auth_client.post(
        "/api/billing/subscription", {"plan": "cafe_luna"}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "unknown_pack"


def test_the_status_shows_the_period_and_the_cancellation(
    stripe_side, auth_client, user, card_on_file, django_capture_on_commit_callbacks
):
    assert auth_client.get("/api/billing/subscription").json() == {
        "has_active_subscription": False,
        "unlimited": False,
        "subscription": None,
    }
    with django_capture_on_commit_callbacks(execute=True):  # cached balance
        subscribe(auth_client)

    body = auth_client.get("/api/billing/subscription").json()
    assert body["has_active_subscription"] is True and body["unlimited"] is True
    assert body["subscription"]["status"] == "active"
    assert body["subscription"]["plan"] == "luna_unlimited"
    assert body["subscription"]["cancel_at_period_end"] is False

    cancelled = auth_client.delete("/api/billing/subscription")
    assert cancelled.status_code == 200
    assert cancelled.json()["subscription"]["cancel_at_period_end"] is True
    assert cancelled.json()["unlimited"] is True  # until the period ends
    assert stripe_subscription(stripe_side, user)["cancel_at_period_end"] is True


def test_cancelling_without_a_subscription_is_a_404(stripe_side, auth_client):
    response = auth_client.delete("/api/billing/subscription")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "no_subscription"


def test_the_created_webhook_turns_the_plan_on_for_a_subscription_made_elsewhere(
    stripe_side, user, card_on_file
):
    customer = Customer.objects.get(pk=user.pk).stripe_customer_id
    made = stripe.Subscription.create(
        customer=customer,
        items=[{"plan": "price_luna_unlimited_test"}],
        **stripe_side.options,
    )
    assert wallet(user).plan == Plan.STANDARD
    (event,) = stripe_side.events("customer.subscription.created", made.id)

    assert stripe_side.deliver(event).status_code == 200

    assert wallet(user).plan == Plan.UNLIMITED
    assert Subscription.objects.get(user=user).stripe_subscription_id == made.id


def test_deletion_ends_the_plan(stripe_side, auth_client, user, card_on_file):
    subscribe(auth_client)
    data = stripe_subscription(stripe_side, user)
    stripe.Subscription.delete(data["id"], **stripe_side.options)
    (event,) = stripe_side.events("customer.subscription.deleted", data["id"])

    stripe_side.deliver(event)

    assert wallet(user).plan == Plan.STANDARD
    assert Subscription.objects.get(user=user).status == "canceled"
    assert (
        auth_client.get("/api/billing/subscription").json()["has_active_subscription"]
        is False
    )


def test_an_older_event_arriving_late_does_not_undo_a_deletion(
    stripe_side, auth_client, user, card_on_file
):
    subscribe(auth_client)
    active = stripe_subscription(stripe_side, user)
    stripe.Subscription.delete(active["id"], **stripe_side.options)
    (deleted,) = stripe_side.events("customer.subscription.deleted", active["id"])
    late = stripe_side.event(
        "customer.subscription.updated", active, created=deleted["created"] - 10
    )

    stripe_side.deliver(deleted)
    stripe_side.deliver(late)

    assert wallet(user).plan == Plan.STANDARD
    assert Subscription.objects.get(user=user).status == "canceled"


def test_events_of_the_same_second_cannot_revive_a_canceled_subscription(
    stripe_side, auth_client, user, card_on_file
):
    subscribe(auth_client)
    active = stripe_subscription(stripe_side, user)
    now = int(time.time()) + 5
    canceled = {**active, "status": "canceled"}
    stripe_side.deliver(
        stripe_side.event("customer.subscription.deleted", canceled, created=now)
    )
    stripe_side.deliver(
        stripe_side.event("customer.subscription.updated", active, created=now)
    )
    assert wallet(user).plan == Plan.STANDARD


def test_a_newer_event_applies_after_an_older_one(
    stripe_side, auth_client, user, card_on_file
):
    subscribe(auth_client)
    active = stripe_subscription(stripe_side, user)
    later = int(time.time()) + 60
    past_due = {**active, "status": "past_due"}
    stripe_side.deliver(
        stripe_side.event("customer.subscription.updated", past_due, created=later)
    )
    assert wallet(user).plan == Plan.STANDARD  # unlimited only when paid up
    renewed = {**active, "current_period_end": active["current_period_end"] + 86400}
    stripe_side.deliver(
        stripe_side.event("customer.subscription.updated", renewed, created=later + 1)
    )
    row = Subscription.objects.get(user=user)
    assert row.status == "active" and wallet(user).plan == Plan.UNLIMITED
    assert wallet(user).unlimited_until == row.current_period_end
    assert row.current_period_end.timestamp() == active["current_period_end"] + 86400


def test_a_paid_invoice_is_recorded_and_refreshes_the_period(
    stripe_side, auth_client, user, card_on_file
):
    subscribe(auth_client)
    data = stripe_subscription(stripe_side, user)
    Subscription.objects.filter(user=user).update(
        current_period_end=timezone.now(), state_at=None
    )
    invoice = stripe_side.retrieve(stripe.Invoice, data["latest_invoice"])

    stripe_side.deliver(stripe_side.event("invoice.paid", invoice))

    event = NarrativeEvent.objects.get(type="billing.invoice_paid")
    assert event.payload["amount_cents"] == 2999
    row = Subscription.objects.get(user=user)
    assert row.current_period_end.timestamp() == data["current_period_end"]


def test_a_failed_invoice_is_recorded(stripe_side, auth_client, user, card_on_file):
    subscribe(auth_client)
    data = stripe_subscription(stripe_side, user)
    invoice = stripe_side.retrieve(stripe.Invoice, data["latest_invoice"])

    stripe_side.deliver(stripe_side.event("invoice.payment_failed", invoice))

    event = NarrativeEvent.objects.get(type="billing.invoice_payment_failed")
    assert event.payload["subscription_id"] == str(Subscription.objects.get().pk)


def test_a_staff_grant_is_left_alone_when_a_subscription_ends(
    stripe_side, user, card_on_file
):
    from energy import services as energy

    energy.set_unlimited(user=user, until=None, reason="staff: founder")
    customer = Customer.objects.get(pk=user.pk).stripe_customer_id
    made = stripe.Subscription.create(
        customer=customer,
        items=[{"plan": "price_luna_unlimited_test"}],
        **stripe_side.options,
    )
    stripe.Subscription.delete(made.id, **stripe_side.options)
    (event,) = stripe_side.events("customer.subscription.deleted", made.id)

    stripe_side.deliver(event)

    assert wallet(user).plan == Plan.UNLIMITED
    assert wallet(user).unlimited_reason == "staff: founder"
