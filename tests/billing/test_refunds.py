"""Refunds take energy back in proportion; disputes flag the purchase."""

import pytest

from billing.models import Purchase, Refund
from energy import services as energy
from energy.models import Kind, LedgerEntry, Wallet
from narrative.models import Event as NarrativeEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def pay(stripe_side, auth_client, buy):
    def paid(pack="repas_luna", *, deliver=True) -> Purchase:
        body = buy(auth_client, pack)
        purchase = Purchase.objects.get(pk=body["purchase_id"])
        stripe_side.pay(purchase.payment_intent_id)
        if deliver:
            (event,) = stripe_side.events(
                "payment_intent.succeeded", purchase.payment_intent_id
            )
            stripe_side.deliver(event)
        purchase.refresh_from_db()
        return purchase

    return paid


def refund(stripe_side, purchase, amount=None):
    stripe_side.refund(purchase.payment_intent_id, amount)
    charge = stripe_side.charge_of(purchase.payment_intent_id)
    response = stripe_side.deliver(stripe_side.event("charge.refunded", charge))
    assert response.status_code == 200
    purchase.refresh_from_db()
    return purchase


def balance(user) -> int:
    return Wallet.objects.get(pk=user.pk).balance


def test_a_full_refund_takes_back_all_the_energy(stripe_side, pay, user):
    purchase = pay("repas_luna")
    before = balance(user)

    refund(stripe_side, purchase)

    assert purchase.status == "refunded"
    assert purchase.amount_refunded_cents == 999
    assert purchase.energy_clawed_back == 400
    assert balance(user) == before - 400
    (row,) = Refund.objects.all()
    entry = LedgerEntry.objects.get(kind=Kind.CLAWBACK)
    assert entry.idempotency_key == row.stripe_refund_id and entry.amount == -400
    assert NarrativeEvent.objects.filter(type="billing.purchase_refunded").exists()


def test_partial_refunds_take_back_shares_that_add_up_to_the_whole(
    stripe_side, pay, user
):
    purchase = pay("cafe_luna")  # 110 energy with the first-purchase bonus
    before = balance(user)

    refund(stripe_side, purchase, 100)  # a third of 2.99 €
    assert purchase.status == "partially_refunded"
    assert purchase.energy_clawed_back == 110 * 100 // 299 == 36
    assert balance(user) == before - 36

    refund(stripe_side, purchase, 199)  # the rest
    assert purchase.status == "refunded"
    assert purchase.energy_clawed_back == 110
    assert balance(user) == before - 110
    assert LedgerEntry.objects.filter(kind=Kind.CLAWBACK).count() == 2


def test_a_refund_event_delivered_again_takes_back_nothing_more(stripe_side, pay, user):
    purchase = pay("repas_luna")
    stripe_side.refund(purchase.payment_intent_id, 500)
    charge = stripe_side.charge_of(purchase.payment_intent_id)
    event = stripe_side.event("charge.refunded", charge)
    before = balance(user)

    for _ in range(3):
        stripe_side.deliver(event)
    stripe_side.deliver(stripe_side.event("charge.refunded", charge))

    assert balance(user) == before - 200
    assert LedgerEntry.objects.filter(kind=Kind.CLAWBACK).count() == 1


def test_spent_energy_is_not_taken_below_zero_and_the_shortfall_is_kept(
    stripe_side, pay, user
):
    purchase = pay("repas_luna")
    energy.adjust(
        user=user, amount=-(balance(user) - 50), reason="spent", staff_label="t"
    )

    refund(stripe_side, purchase)

    assert balance(user) == 0
    row = Refund.objects.get()
    assert (row.energy, row.shortfall) == (400, 350)
    assert purchase.energy_clawed_back == 50


def test_a_refund_that_arrives_before_the_payment_event_credits_then_claws_back(
    stripe_side, pay, user
):
    purchase = pay("repas_luna", deliver=False)
    before = balance(user)

    refund(stripe_side, purchase, 999)

    assert purchase.status == "refunded"
    assert purchase.bonus_energy == 0 and purchase.energy_clawed_back == 400
    assert balance(user) == before
    kinds = LedgerEntry.objects.filter(wallet_id=user.pk).values_list("kind", flat=True)
    assert {Kind.PURCHASE, Kind.CLAWBACK} <= set(kinds)


def test_a_dispute_flags_the_purchase(stripe_side, pay, user):
    purchase = pay("petit_dej_luna")
    dispute = stripe_side.dispute(purchase.payment_intent_id)
    before = balance(user)

    response = stripe_side.deliver(stripe_side.event("charge.dispute.created", dispute))

    assert response.status_code == 200
    purchase.refresh_from_db()
    assert purchase.dispute_id == dispute["id"]
    assert purchase.dispute_reason == "fraudulent" and purchase.disputed_at
    assert balance(user) == before  # nothing taken until the dispute is lost
    event = NarrativeEvent.objects.get(type="billing.purchase_disputed")
    assert event.payload["purchase_id"] == str(purchase.pk)
