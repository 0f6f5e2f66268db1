"""Buying an energy pack: PaymentIntent, Stripe.js, the verified webhook."""

import pytest
import stripe
from djstripe.models import Event, WebhookEventTrigger

from billing.models import Purchase
from energy.models import Kind, LedgerEntry, Wallet
from narrative.models import Event as NarrativeEvent

pytestmark = pytest.mark.django_db


def intent_of(body: dict) -> str:
    return Purchase.objects.get(pk=body["purchase_id"]).payment_intent_id


def balance(user) -> int:
    return Wallet.objects.get(pk=user.pk).balance


def succeeded_event(stripe_side, intent_id: str) -> dict:
    (event,) = stripe_side.events("payment_intent.succeeded", intent_id)
    return event


def test_starting_a_purchase_creates_a_payment_intent_for_the_pack(
    stripe_side, auth_client, user, buy
):
    body = buy(auth_client, "petit_dej_luna")
    assert body["amount"] == 599 and body["currency"] == "eur"
    assert body["status"] == "pending" and body["energy"] == 220
    assert body["publishable_key"].startswith("pk_test_")
    purchase = Purchase.objects.get(pk=body["purchase_id"])
    assert purchase.user == user and purchase.pack.code == "petit_dej_luna"
    intent = stripe_side.retrieve(stripe.PaymentIntent, purchase.payment_intent_id)
    assert body["client_secret"] == intent["client_secret"]
    assert intent["amount"] == 599 and intent["currency"] == "eur"
    assert intent["metadata"] == {
        "purchase_id": str(purchase.pk),
        "user_id": str(user.pk),
        "pack": "petit_dej_luna",
    }
    started = NarrativeEvent.objects.get(type="billing.purchase_started")
    assert started.payload["purchase_id"] == str(purchase.pk)


def test_paying_credits_nothing_until_the_verified_webhook_arrives(
    stripe_side, auth_client, user, buy
):
    body = buy(auth_client, "repas_luna")
    before = balance(user)
    assert stripe_side.pay(intent_of(body)) == "succeeded"
    assert balance(user) == before
    assert auth_client.get(f"/api/billing/purchases/{body['purchase_id']}").json()[
        "status"
    ] == ("pending")

    response = stripe_side.deliver(succeeded_event(stripe_side, intent_of(body)))

    assert response.status_code == 200
    assert balance(user) == before + 400
    polled = auth_client.get(f"/api/billing/purchases/{body['purchase_id']}").json()
    assert polled["status"] == "paid" and polled["energy_credited"] == 400
    entry = LedgerEntry.objects.get(kind=Kind.PURCHASE, wallet_id=user.pk)
    assert entry.idempotency_key == intent_of(body) and entry.amount == 400
    assert Event.objects.filter(type="payment_intent.succeeded").count() == 1
    paid = NarrativeEvent.objects.get(type="billing.purchase_paid")
    assert paid.payload["energy"] == 400 and "card" not in str(paid.payload)


def test_the_same_event_delivered_ten_times_credits_once(
    stripe_side, auth_client, user, buy
):
    body = buy(auth_client, "repas_luna")
    stripe_side.pay(intent_of(body))
    event = succeeded_event(stripe_side, intent_of(body))
    before = balance(user)

    codes = {stripe_side.deliver(event).status_code for _ in range(10)}

    assert codes == {200}
    assert balance(user) == before + 400
    assert LedgerEntry.objects.filter(kind=Kind.PURCHASE).count() == 1
    assert WebhookEventTrigger.objects.filter(processed=True).count() == 10


def test_a_payment_confirmed_twice_by_different_events_credits_once(
    stripe_side, auth_client, user, buy
):
    body = buy(auth_client)
    stripe_side.pay(intent_of(body))
    original = succeeded_event(stripe_side, intent_of(body))
    twin = stripe_side.event("payment_intent.succeeded", original["data"]["object"])
    before = balance(user)

    stripe_side.deliver(original)
    stripe_side.deliver(twin)

    assert balance(user) == before + 110
    assert LedgerEntry.objects.filter(kind=Kind.PURCHASE).count() == 1


def test_the_first_purchase_earns_the_cafe_bonus_and_the_second_does_not(
    stripe_side, auth_client, user, buy
):
    before = balance(user)
    for _ in range(2):
        body = buy(auth_client, "cafe_luna")
        stripe_side.pay(intent_of(body))
        stripe_side.deliver(succeeded_event(stripe_side, intent_of(body)))

    assert balance(user) == before + 110 + 100
    first, second = Purchase.objects.order_by("paid_at")
    assert (first.first_purchase, first.bonus_energy) == (True, 10)
    assert (second.first_purchase, second.bonus_energy) == (False, 0)


def test_a_first_purchase_of_another_pack_uses_up_the_bonus(
    stripe_side, auth_client, user, buy
):
    for pack in ("petit_dej_luna", "cafe_luna"):
        body = buy(auth_client, pack)
        stripe_side.pay(intent_of(body))
        stripe_side.deliver(succeeded_event(stripe_side, intent_of(body)))
    cafe = Purchase.objects.get(pack__code="cafe_luna")
    assert cafe.bonus_energy == 0 and not cafe.first_purchase


def test_a_declined_card_marks_the_purchase_failed_and_credits_nothing(
    stripe_side, auth_client, user, buy
):
    body = buy(auth_client)
    before = balance(user)
    # localstripe declines pm_card_visa_chargeDeclined only when attaching it
    # to a customer; this test card is the one it declines when charging.
    assert stripe_side.pay(intent_of(body), "pm_card_chargeCustomerFail") == (
        "declined"
    )
    (event,) = stripe_side.events("payment_intent.payment_failed", intent_of(body))

    assert stripe_side.deliver(event).status_code == 200

    polled = auth_client.get(f"/api/billing/purchases/{body['purchase_id']}").json()
    assert polled["status"] == "failed"
    assert polled["failure_code"] == "card_declined"
    assert balance(user) == before
    assert NarrativeEvent.objects.filter(type="billing.purchase_failed").exists()


def test_a_late_failure_event_does_not_undo_a_payment(
    stripe_side, auth_client, user, buy
):
    body = buy(auth_client)
    stripe_side.pay(intent_of(body))
    intent = succeeded_event(stripe_side, intent_of(body))["data"]["object"]
    stripe_side.deliver(succeeded_event(stripe_side, intent_of(body)))
    failed = {**intent, "status": "requires_payment_method"}
    failed["last_payment_error"] = {"code": "card_declined", "message": "Declined."}

    stripe_side.deliver(stripe_side.event("payment_intent.payment_failed", failed))

    assert Purchase.objects.get(pk=body["purchase_id"]).status == "paid"


def test_an_amount_that_does_not_match_the_pack_is_held_for_review(
    stripe_side, auth_client, user, buy
):
    body = buy(auth_client, "repas_luna")
    stripe_side.pay(intent_of(body))
    event = succeeded_event(stripe_side, intent_of(body))
    # The purchase was for 50 €; Stripe received 9.99 €.
    Purchase.objects.filter(pk=body["purchase_id"]).update(amount_cents=5000)
    before = balance(user)

    stripe_side.deliver(event)

    purchase = Purchase.objects.get(pk=body["purchase_id"])
    assert purchase.status == "needs_review" and "999" in purchase.review_reason
    assert balance(user) == before
    assert NarrativeEvent.objects.filter(type="billing.purchase_flagged").exists()


def test_a_payment_whose_intent_id_was_never_stored_is_still_credited(
    stripe_side, auth_client, user, buy
):
    body = buy(auth_client)
    intent_id = intent_of(body)
    Purchase.objects.filter(pk=body["purchase_id"]).update(payment_intent_id="")
    stripe_side.pay(intent_id)

    stripe_side.deliver(succeeded_event(stripe_side, intent_id))

    purchase = Purchase.objects.get(pk=body["purchase_id"])
    assert purchase.status == "paid" and purchase.payment_intent_id == intent_id


def test_payments_that_are_not_purchases_are_ignored(stripe_side, user):
    intent = stripe.PaymentIntent.create(
        amount=500, currency="eur", **stripe_side.options
    )
    stripe_side.pay(intent.id)
    response = stripe_side.deliver(succeeded_event(stripe_side, intent.id))
    assert response.status_code == 200
    assert not LedgerEntry.objects.filter(kind=Kind.PURCHASE).exists()


def test_the_history_lists_my_purchases_newest_first_with_totals(
    stripe_side, auth_client, user, buy
):
    for pack in ("cafe_luna", "repas_luna"):
        body = buy(auth_client, pack)
        stripe_side.pay(intent_of(body))
        stripe_side.deliver(succeeded_event(stripe_side, intent_of(body)))
    pending = buy(auth_client, "petit_dej_luna")

    page = auth_client.get("/api/billing/purchases").json()

    assert page["results"][0]["id"] == pending["purchase_id"]
    assert [p["pack"] for p in page["results"]] == [
        "petit_dej_luna",
        "repas_luna",
        "cafe_luna",
    ]
    assert page["totals"] == {
        "purchases": 2,
        "energy_bought": 110 + 400,
        "spent_cents": {"eur": 299 + 999},
    }
    paid = auth_client.get("/api/billing/purchases", {"status": "paid"}).json()
    assert len(paid["results"]) == 2 and paid["totals"]["purchases"] == 2
    first = auth_client.get("/api/billing/purchases", {"limit": 1}).json()
    assert len(first["results"]) == 1 and first["next"]
    second = auth_client.get(first["next"]).json()
    assert second["results"][0]["pack"] == "repas_luna"
    bad = auth_client.get("/api/billing/purchases", {"status": "stolen"})
    assert bad.status_code == 400
