"""Concurrent webhook deliveries on PostgreSQL: threads, real connections."""

import threading

import pytest
from django.db import connection
from django.test import Client
from rest_framework.test import APIClient

from billing.models import Purchase
from energy.models import Kind, LedgerEntry, Wallet

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def run_in_threads(count, work):
    barrier = threading.Barrier(count)
    results = [None] * count

    def target(index):
        try:
            barrier.wait()
            results[index] = work(index)
        finally:
            connection.close()

    threads = [threading.Thread(target=target, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def paid(stripe_side, client, buy, pack="cafe_luna") -> dict:
    body = buy(client, pack)
    intent_id = Purchase.objects.get(pk=body["purchase_id"]).payment_intent_id
    stripe_side.pay(intent_id)
    (event,) = stripe_side.events("payment_intent.succeeded", intent_id)
    return event


def test_the_same_event_delivered_ten_times_at_once_credits_once(
    stripe_side, auth_client, user, buy
):
    event = paid(stripe_side, auth_client, buy, "repas_luna")
    before = Wallet.objects.get(pk=user.pk).balance

    codes = run_in_threads(
        10,
        lambda _: (
            stripe_side.deliver(
                event, client=Client(raise_request_exception=False)
            ).status_code
        ),
    )

    assert codes == [200] * 10
    assert Wallet.objects.get(pk=user.pk).balance == before + 400
    assert LedgerEntry.objects.filter(kind=Kind.PURCHASE).count() == 1
    assert Purchase.objects.get().status == "paid"


def test_two_events_for_one_payment_at_once_credit_once(
    stripe_side, auth_client, user, buy
):
    original = paid(stripe_side, auth_client, buy)
    twins = [original] + [
        stripe_side.event("payment_intent.succeeded", original["data"]["object"])
        for _ in range(5)
    ]
    before = Wallet.objects.get(pk=user.pk).balance

    codes = run_in_threads(
        len(twins),
        lambda i: (
            stripe_side.deliver(
                twins[i], client=Client(raise_request_exception=False)
            ).status_code
        ),
    )

    assert codes == [200] * len(twins)
    assert Wallet.objects.get(pk=user.pk).balance == before + 110
    assert LedgerEntry.objects.filter(kind=Kind.PURCHASE).count() == 1


def test_first_purchases_confirmed_at_once_earn_one_bonus(
    stripe_side, auth_client, user, buy
):
    events = [paid(stripe_side, auth_client, buy) for _ in range(4)]
    before = Wallet.objects.get(pk=user.pk).balance

    codes = run_in_threads(
        len(events),
        lambda i: (
            stripe_side.deliver(
                events[i], client=Client(raise_request_exception=False)
            ).status_code
        ),
    )

    assert codes == [200] * 4
    purchases = Purchase.objects.all()
    assert sorted(p.bonus_energy for p in purchases) == [0, 0, 0, 10]
    assert purchases.filter(first_purchase=True).count() == 1
    assert Wallet.objects.get(pk=user.pk).balance == before + 4 * 100 + 10


def test_two_subscription_starts_at_once_make_one_subscription(
    stripe_side, auth_client, user
):
    from billing import services
    from billing.models import Subscription

    stripe_side.save_card(services.ensure_customer(user=user))
    token = auth_client.tokens.access

    def start(_index):
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
        return client.post(
            "/api/billing/subscription", {"plan": "luna_unlimited"}, format="json"
        ).status_code

    codes = run_in_threads(4, start)

    assert sorted(codes) == [201, 409, 409, 409]
    assert Subscription.objects.count() == 1
