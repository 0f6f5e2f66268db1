"""Who may start, read and poll purchases and subscriptions."""

import pytest

from billing.models import Purchase

pytestmark = pytest.mark.django_db


def purchase_of(user, pack="cafe_luna", status="paid") -> Purchase:
    from billing.models import Pack

    pack = Pack.objects.get(code=pack)
    return Purchase.objects.create(
        user=user,
        pack=pack,
        status=status,
        amount_cents=pack.price_cents,
        currency=pack.currency,
        energy=pack.energy,
    )


def test_a_user_cannot_read_or_poll_anothers_purchase(client_for, user, other_user):
    theirs = purchase_of(other_user)
    mine = client_for(user)
    response = mine.get(f"/api/billing/purchases/{theirs.pk}")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    assert (
        client_for(other_user).get(f"/api/billing/purchases/{theirs.pk}").status_code
        == 200
    )
    assert mine.get("/api/billing/purchases").json()["results"] == []


def test_a_user_token_naming_another_user_is_403(stripe_side, auth_client, other_user):
    uid = str(other_user.pk)
    for response in (
        auth_client.get("/api/billing/purchases", {"user_id": uid}),
        auth_client.get("/api/billing/subscription", {"user_id": uid}),
        auth_client.post(
            "/api/billing/purchases",
            {"pack": "cafe_luna", "user_id": uid},
            format="json",
        ),
        auth_client.post(
            "/api/billing/subscription",
            {"plan": "luna_unlimited", "user_id": uid},
            format="json",
        ),
    ):
        assert response.status_code == 403
    assert not Purchase.objects.exists()


def test_services_act_for_a_user_within_their_scopes(
    stripe_side, service_client_for, user
):
    reader = service_client_for(["billing:read"])
    writer = service_client_for(["billing:write"])
    stranger = service_client_for(["energy:write"])
    uid = str(user.pk)
    mine = purchase_of(user)

    assert reader.get("/api/billing/purchases", {"user_id": uid}).status_code == 200
    assert (
        reader.get(f"/api/billing/purchases/{mine.pk}", {"user_id": uid}).status_code
        == 200
    )
    assert stranger.get("/api/billing/purchases", {"user_id": uid}).status_code == 403
    started = writer.post(
        "/api/billing/purchases", {"pack": "cafe_luna", "user_id": uid}, format="json"
    )
    assert started.status_code == 201
    assert Purchase.objects.get(pk=started.json()["purchase_id"]).user == user
    refused = reader.post(
        "/api/billing/purchases", {"pack": "cafe_luna", "user_id": uid}, format="json"
    )
    assert refused.status_code == 403


def test_a_service_must_name_the_user(stripe_side, service_client_for, other_user):
    writer = service_client_for(["billing:write", "billing:read"])
    assert (
        writer.post("/api/billing/purchases", {"pack": "cafe_luna"}, format="json")
    ).status_code == 400
    purchase = purchase_of(other_user)
    unknown = "00000000-0000-0000-0000-000000000000"
    assert (
        writer.get(f"/api/billing/purchases/{purchase.pk}", {"user_id": unknown})
    ).status_code == 404


def test_anonymous_callers_get_401_except_for_the_packs(api_client):
    assert api_client.get("/api/billing/packs").status_code == 200
    assert api_client.get("/api/billing/purchases").status_code == 401
    assert api_client.post("/api/billing/purchases", {}).status_code == 401
    assert api_client.get("/api/billing/subscription").status_code == 401


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"pack": ""},
        {"pack": 12},
        {"pack": ["cafe_luna"]},
        {"pack": "x" * 10_000},
        {"pack": "luna_unlimited"},
        {"pack": "teleport"},
        {"pack": "cafe_luna", "user_id": "not-a-uuid"},
    ],
)
def test_bad_purchase_input_is_400_never_500(stripe_side, auth_client, body):
    response = auth_client.post("/api/billing/purchases", body, format="json")
    assert response.status_code == 400
    assert not Purchase.objects.exists()


def test_a_malformed_purchase_id_is_a_json_404(auth_client):
    response = auth_client.get("/api/billing/purchases/12")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_payment_starts_are_limited_per_user(stripe_side, auth_client, settings):
    settings.BILLING_START_LIMIT = (2, 3600)
    for _ in range(2):
        started = auth_client.post("/api/billing/purchases", {"pack": "cafe_luna"})
        assert started.status_code == 201
    refused = auth_client.post("/api/billing/purchases", {"pack": "cafe_luna"})
    assert refused.status_code == 429
    assert refused.json()["error"]["code"] == "throttled"
    assert int(refused["Retry-After"]) > 0
    assert Purchase.objects.count() == 2
