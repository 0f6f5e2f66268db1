"""Without Stripe keys: packs listed, payments 503, the rest untouched."""

import uuid

import pytest

from billing.models import Purchase, Subscription

pytestmark = pytest.mark.django_db


def test_the_packs_are_listed_but_cannot_be_bought(billing_off, api_client):
    body = api_client.get("/api/billing/packs").json()
    assert body["billing_enabled"] is False
    assert [p["code"] for p in body["packs"]] == [
        "cafe_luna",
        "petit_dej_luna",
        "repas_luna",
        "luna_unlimited",
    ]


def test_purchases_and_subscriptions_answer_503(billing_off, auth_client):
    responses = [
        auth_client.post("/api/billing/purchases", {"pack": "cafe_luna"}),
        auth_client.post("/api/billing/subscription", {"plan": "luna_unlimited"}),
        auth_client.delete("/api/billing/subscription"),
    ]
    for response in responses:
        assert response.status_code == 503
        assert response.json()["error"]["code"] == "billing_unavailable"
    assert not Purchase.objects.exists() and not Subscription.objects.exists()


def test_reading_still_works(billing_off, auth_client):
    assert auth_client.get("/api/billing/purchases").status_code == 200
    assert auth_client.get("/api/billing/subscription").status_code == 200


def test_energy_and_its_402_still_work(billing_off, auth_client, user):
    assert auth_client.get("/api/energy").json()["balance"] == 100
    spent = auth_client.post(
        "/api/energy/consume",
        {"action": "optimisation_cv"},
        format="json",
        HTTP_IDEMPOTENCY_KEY=uuid.uuid4().hex,
    )
    assert spent.status_code == 201  # 88 left
    for expected in (201, 402):  # 50, then 50 more with 38 left
        short = auth_client.post(
            "/api/energy/consume",
            {"action": "plan_reconversion"},
            format="json",
            HTTP_IDEMPOTENCY_KEY=uuid.uuid4().hex,
        )
        assert short.status_code == expected
    assert [p["code"] for p in short.json()["error"]["packs"]] == [
        "cafe_luna",
        "petit_dej_luna",
        "repas_luna",
    ]


def test_a_webhook_without_an_endpoint_is_a_404(billing_off, client):
    response = client.post(
        f"/stripe/webhook/{uuid.uuid4()}",
        "{}",
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE="t=1,v1=00",
    )
    assert response.status_code == 404
