"""Contract tests for the predecessor's /billing/* routes, against localstripe."""

import pytest

from billing import services
from billing.models import Purchase
from energy.models import Wallet

pytestmark = pytest.mark.django_db


def post(client, path, body):
    return client.post(path, body, format="json")


def balance(user) -> int:
    return Wallet.objects.get(pk=user.pk).balance


def succeeded(stripe_side, intent_id: str) -> dict:
    (event,) = stripe_side.events("payment_intent.succeeded", intent_id)
    return event


def test_packs_are_public_with_the_old_fields(api_client, billing_off):
    body = api_client.get("/billing/packs").json()
    assert body["success"] is True and body["currency"] == "eur"
    assert body["unlimited_available"] is False  # billing is off here
    packs = {pack["code"]: pack for pack in body["packs"]}
    assert list(packs) == [
        "cafe_luna",
        "petit_dej_luna",
        "repas_luna",
        "luna_unlimited",
    ]
    cafe = packs["cafe_luna"]
    assert (cafe["price_cents"], cafe["energy_units"]) == (299, 100)
    assert isinstance(cafe["name"], str) and isinstance(cafe["description"], str)
    assert isinstance(cafe["features"], list) and isinstance(cafe["popular"], bool)
    assert isinstance(cafe["savings_vs_cafe"], int)
    assert packs["repas_luna"]["energy_units"] == 400
    assert packs["luna_unlimited"]["energy_units"] == -1


def test_create_intent_then_confirm_reports_what_the_webhook_did(
    stripe_side, auth_client, user, django_capture_on_commit_callbacks
):
    started = post(
        auth_client,
        "/billing/create-intent",
        {"user_id": str(user.pk), "pack": "cafe_luna", "currency": "eur"},
    )
    assert started.status_code == 200, started.content
    intent = started.json()
    assert intent["success"] is True and intent["intent_id"].startswith("pi_")
    assert intent["client_secret"] and intent["amount"] == 299
    assert (intent["currency"], intent["pack"], intent["energy_units"]) == (
        "eur",
        "cafe_luna",
        100,
    )
    confirm = {"user_id": str(user.pk), "intent_id": intent["intent_id"]}

    # Paid in the browser, but Stripe has not told us yet: nothing credited.
    assert stripe_side.pay(intent["intent_id"]) == "succeeded"
    waiting = post(auth_client, "/billing/confirm-payment", confirm)
    assert waiting.status_code == 202
    assert waiting.json()["energy_added"] == 0 and balance(user) == 100

    with django_capture_on_commit_callbacks(execute=True):  # the balance cache
        stripe_side.deliver(succeeded(stripe_side, intent["intent_id"]))
    for _ in range(2):  # asking twice never credits twice
        done = post(auth_client, "/billing/confirm-payment", confirm)
        assert done.status_code == 200
        body = done.json()
        assert body["success"] is True and body["status"] == "credited"
        assert body["energy_added"] == 110  # +10 % on the first purchase
        assert body["bonus_applied"] is True and body["bonus_units"] == 10
        assert body["new_energy_balance"] == 210 == balance(user)
        assert body["transaction_id"]

    history = auth_client.get(f"/billing/history/{user.pk}").json()
    assert history["success"] is True and history["user_id"] == str(user.pk)
    assert history["total_purchases"] == 1
    assert history["total_spent_cents"] == 299
    assert history["total_energy_purchased"] == 110
    (row,) = history["purchases"]
    assert row["pack"] == "cafe_luna" and row["energy_added"] == 110
    assert row["amount_cents"] == 299 and row["bonus_units"] == 10


def test_unlimited_wrong_currency_and_unknown_intent_are_refused(
    stripe_side, auth_client, user
):
    unlimited = post(
        auth_client,
        "/billing/create-intent",
        {"user_id": str(user.pk), "pack": "luna_unlimited"},
    )
    assert unlimited.status_code == 400 and "detail" in unlimited.json()
    dollars = post(
        auth_client,
        "/billing/create-intent",
        {"user_id": str(user.pk), "pack": "cafe_luna", "currency": "usd"},
    )
    assert dollars.status_code == 400
    assert Purchase.objects.count() == 0
    unknown = post(
        auth_client,
        "/billing/confirm-payment",
        {"user_id": str(user.pk), "intent_id": "pi_nobody"},
    )
    assert unknown.status_code == 404 and isinstance(unknown.json()["detail"], str)


def test_someone_elses_intent_is_not_found(stripe_side, client_for, user, other_user):
    mine = post(
        client_for(user),
        "/billing/create-intent",
        {"user_id": str(user.pk), "pack": "cafe_luna"},
    ).json()
    theirs = post(
        client_for(other_user),
        "/billing/confirm-payment",
        {"user_id": str(other_user.pk), "intent_id": mine["intent_id"]},
    )
    assert theirs.status_code == 404


def test_a_foreign_user_id_is_403_in_the_old_shape(auth_client, other_user):
    for path, body in [
        ("/billing/create-intent", {"pack": "cafe_luna"}),
        ("/billing/confirm-payment", {"intent_id": "pi_x"}),
        ("/billing/create-subscription", {"plan": "luna_unlimited"}),
    ]:
        response = post(auth_client, path, {"user_id": str(other_user.pk), **body})
        assert response.status_code == 403, path
        assert isinstance(response.json()["detail"], str)
    history = auth_client.get(f"/billing/history/{other_user.pk}")
    assert history.status_code == 403


def test_create_subscription_returns_the_old_fields(stripe_side, auth_client, user):
    stripe_side.save_card(services.ensure_customer(user=user))  # Stripe.js did
    response = post(
        auth_client,
        "/billing/create-subscription",
        {"user_id": str(user.pk), "plan": "luna_unlimited", "currency": "eur"},
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["success"] is True and body["subscription_id"].startswith("sub_")
    assert body["plan"] == "luna_unlimited" and body["price_cents"] == 2999
    assert isinstance(body["client_secret"], str) and isinstance(body["status"], str)


def test_billing_off_is_503_in_the_old_shape(auth_client, user, billing_off):
    response = post(
        auth_client,
        "/billing/create-intent",
        {"user_id": str(user.pk), "pack": "cafe_luna"},
    )
    assert response.status_code == 503 and isinstance(response.json()["detail"], str)
    health = auth_client.get("/billing/health").json()
    assert health["status"] == "degraded"
    assert health["stripe"]["stripe_connected"] is False


def test_billing_health_when_configured(api_client, stripe_settings):
    body = api_client.get("/billing/health").json()
    assert body["status"] == "healthy" and body["billing_service"] == "operational"
    assert body["stripe"]["environment"] == "test"


def test_letters_backend_buys_for_a_user_with_a_service_key(
    stripe_side, service_client_for, user
):
    letters = service_client_for(
        ["billing:read", "billing:write"], app_source="letters"
    )
    started = post(
        letters,
        "/billing/create-intent",
        {"user_id": str(user.pk), "pack": "repas_luna"},
    )
    assert started.status_code == 200 and started.json()["energy_units"] == 400
    assert Purchase.objects.get().user == user
    reader = service_client_for(["billing:read"], app_source="letters")
    refused = post(
        reader, "/billing/create-intent", {"user_id": str(user.pk), "pack": "cafe_luna"}
    )
    assert refused.status_code == 403
