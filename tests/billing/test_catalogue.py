"""The pack catalogue: seeded, translated, offered when energy runs short."""

import pytest
from django.db import IntegrityError

from billing import services
from billing.models import Pack

pytestmark = pytest.mark.django_db


def test_the_seeded_catalogue_matches_the_offer(api_client):
    packs = {p["code"]: p for p in api_client.get("/api/billing/packs").json()["packs"]}
    cafe, petit, repas, unlimited = (
        packs["cafe_luna"],
        packs["petit_dej_luna"],
        packs["repas_luna"],
        packs["luna_unlimited"],
    )
    assert (cafe["price_cents"], cafe["energy"]) == (299, 100)
    assert cafe["first_purchase_bonus_percent"] == 10
    assert (petit["price_cents"], petit["energy"], petit["popular"]) == (599, 220, True)
    assert (repas["price_cents"], repas["energy"], repas["best_deal"]) == (
        999,
        400,
        True,
    )
    assert unlimited["kind"] == "subscription" and unlimited["price_cents"] == 2999
    assert unlimited["interval"] == "month" and cafe["interval"] is None
    assert [p["savings_percent"] for p in packs.values()] == [None, 15, 33, 90]
    assert all(p["currency"] == "eur" for p in packs.values())


def test_names_descriptions_and_features_follow_the_language(api_client):
    french = api_client.get("/api/billing/packs").json()["packs"][0]
    english = api_client.get("/api/billing/packs", HTTP_ACCEPT_LANGUAGE="en").json()[
        "packs"
    ][0]
    assert french["name"] == "Café Luna" and english["name"] == "Luna Coffee"
    assert french["features"][0] == "+10 % de bonus sur le premier achat"
    assert english["features"][0] == "+10% bonus on your first purchase"
    assert french["description"] != english["description"]


def test_inactive_packs_are_hidden_and_cannot_be_bought(
    stripe_side, api_client, auth_client
):
    Pack.objects.filter(code="repas_luna").update(active=False)
    codes = [p["code"] for p in api_client.get("/api/billing/packs").json()["packs"]]
    assert "repas_luna" not in codes
    response = auth_client.post("/api/billing/purchases", {"pack": "repas_luna"})
    assert response.status_code == 400
    assert "cafe_luna" in response.json()["error"]["fields"]["pack"][0]


def test_offers_are_the_cheapest_packs_that_cover_the_deficit():
    assert [o["code"] for o in services.pack_offers(50)] == [
        "cafe_luna",
        "petit_dej_luna",
        "repas_luna",
    ]
    assert [o["code"] for o in services.pack_offers(150)] == [
        "petit_dej_luna",
        "repas_luna",
    ]
    assert [o["code"] for o in services.pack_offers(5000)] == ["repas_luna"]
    assert services.pack_offers(150)[0] == {
        "code": "petit_dej_luna",
        "name": "Petit-déj Luna",
        "price_cents": 599,
        "currency": "eur",
        "energy": 220,
    }


def test_a_price_change_never_touches_started_purchases(stripe_side, auth_client):
    body = auth_client.post("/api/billing/purchases", {"pack": "cafe_luna"}).json()
    Pack.objects.filter(code="cafe_luna").update(price_cents=399, energy=150)
    polled = auth_client.get(f"/api/billing/purchases/{body['purchase_id']}").json()
    assert (polled["amount_cents"], polled["energy"]) == (299, 100)


def test_the_database_refuses_a_one_off_pack_without_energy():
    with pytest.raises(IntegrityError):
        Pack.objects.create(
            code="empty",
            kind=Pack.Kind.ONE_OFF,
            name_fr="Vide",
            name_en="Empty",
            description_fr="-",
            description_en="-",
            price_cents=100,
            energy=0,
        )
