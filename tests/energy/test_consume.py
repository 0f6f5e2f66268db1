import uuid

import pytest

from energy import services
from energy.models import Action, Kind, LedgerEntry
from narrative.models import Event
from tests.energy.conftest import consume, ledger_sum, set_balance, wallet

pytestmark = pytest.mark.django_db


def test_a_new_account_starts_with_the_welcome_grant(auth_client, user):
    response = auth_client.get("/api/energy")
    assert response.status_code == 200
    assert response.json() == {
        "balance": 100,
        "max": 100,
        "percentage": 100,
        "plan": "standard",
        "unlimited": False,
        "unlimited_until": None,
    }
    grant = LedgerEntry.objects.for_user(user).get()
    assert (grant.kind, grant.amount, grant.balance_after) == (Kind.GRANT, 100, 100)
    assert Event.objects.for_user(user).of_types(["energy.granted"]).count() == 1


def test_consume_debits_the_cost_and_records_the_event(auth_client, user):
    response = consume(auth_client, "optimisation_cv", context={"cv_id": "42"})
    assert response.status_code == 201
    body = response.json()
    assert body["balance"] == 88
    assert body["entry"]["amount"] == -12
    assert body["entry"]["action"] == "optimisation_cv"
    assert body["entry"]["kind"] == "consume"
    assert body["entry"]["refund_eligible"] is True
    assert wallet(user).balance == 88 == ledger_sum(user)
    event = Event.objects.for_user(user).of_types(["energy.consumed"]).get()
    assert event.payload["action"] == "optimisation_cv"
    assert event.payload["amount"] == 12
    assert event.payload["entry_id"] == body["entry"]["id"]
    assert event.payload["context"] == {"cv_id": "42"}


def test_a_replay_returns_the_original_body_with_200(auth_client, user):
    first = consume(auth_client, key="order-1")
    second = consume(auth_client, key="order-1")
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json() == second.json()
    assert wallet(user).balance == 88
    assert LedgerEntry.objects.for_user(user).filter(kind=Kind.CONSUME).count() == 1


def test_the_same_key_for_another_action_is_a_conflict(auth_client, user):
    consume(auth_client, "optimisation_cv", key="k")
    response = consume(auth_client, "mirror_match", key="k")
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "idempotency_conflict"
    assert wallet(user).balance == 88


def test_a_service_reusing_a_key_for_another_user_gets_409(
    service_client_for, user, other_user
):
    service = service_client_for(["energy:write"])
    first = consume(service, key="sat-1", user_id=str(user.pk))
    second = consume(service, key="sat-1", user_id=str(other_user.pk))
    assert first.status_code == 201
    assert second.status_code == 409
    assert wallet(other_user).balance == 100


def test_keys_of_different_users_never_collide(client_for, user, other_user):
    assert consume(client_for(user), key="same").status_code == 201
    assert consume(client_for(other_user), key="same").status_code == 201


def test_not_enough_energy_is_402_with_the_figures_and_writes_nothing(
    auth_client, user
):
    set_balance(user, 10)
    entries_before = LedgerEntry.objects.for_user(user).count()
    response = consume(auth_client, "mirror_match")
    assert response.status_code == 402
    error = response.json()["error"]
    assert error["code"] == "insufficient_energy"
    assert (error["required"], error["available"], error["deficit"]) == (30, 10, 20)
    assert isinstance(error["packs"], list)
    assert LedgerEntry.objects.for_user(user).count() == entries_before
    assert wallet(user).balance == 10


def test_unknown_or_inactive_actions_are_400_listing_valid_codes(auth_client):
    retired = Action.objects.get(code="salary_analysis")
    retired.active = False
    retired.save()  # as the admin does (a save drops the cached copy)
    for code in ("teleport", "salary_analysis"):
        response = consume(auth_client, code)
        assert response.status_code == 400
        error = response.json()["error"]
        assert error["code"] == "unknown_action"
        assert "optimisation_cv" in error["fields"]["action"][0]
        assert "salary_analysis" not in error["fields"]["action"][0]


@pytest.mark.parametrize(
    ("body", "key"),
    [
        ({"action": 12}, "k1"),
        ({"action": ["optimisation_cv"]}, "k2"),
        ({}, "k3"),
        ({"action": "optimisation_cv", "context": "not an object"}, "k4"),
        ({"action": "optimisation_cv", "context": {"x": "y" * 5000}}, "k5"),
        ({"action": "optimisation_cv\u0000"}, "k6"),
        ({"action": "optimisation_cv", "context": {"n": "\u0000"}}, "k7"),
        ({"action": "x" * 10_000}, "k8"),
        ({"action": "optimisation_cv", "user_id": 10**40}, "k9"),
        ({"action": "optimisation_cv"}, ""),
        ({"action": "optimisation_cv"}, "x" * 129),
        ({"action": "optimisation_cv"}, "bad\tkey"),
    ],
)
def test_bad_input_is_400_never_500(auth_client, user, body, key):
    response = auth_client.post(
        "/api/energy/consume", body, format="json", HTTP_IDEMPOTENCY_KEY=key
    )
    assert response.status_code == 400, response.content
    assert response.json()["error"]["code"] in (
        "invalid",
        "unknown_action",
        "malformed_request",
    )
    assert wallet(user).balance == 100


def test_a_missing_idempotency_key_is_400(auth_client):
    response = auth_client.post(
        "/api/energy/consume", {"action": "optimisation_cv"}, format="json"
    )
    assert response.status_code == 400
    assert "Idempotency-Key" in response.json()["error"]["fields"]


def test_check_tells_cost_and_deficit_without_spending(auth_client, user):
    set_balance(user, 20)
    response = auth_client.post(
        "/api/energy/check", {"action": "mirror_match"}, format="json"
    )
    assert response.json() == {
        "action": "mirror_match",
        "cost": 30,
        "balance": 20,
        "can_perform": False,
        "deficit": 10,
    }
    assert wallet(user).balance == 20


def test_the_catalogue_is_public_and_lists_active_actions(api_client):
    response = api_client.get("/api/energy/actions")
    assert response.status_code == 200
    codes = {a["code"]: a["cost"] for a in response.json()}
    assert codes["optimisation_cv"] == 12 and codes["luna_strategie"] == 25
    assert len(codes) == 20


def test_labels_follow_the_language(api_client):
    fr = api_client.get("/api/energy/actions", HTTP_ACCEPT_LANGUAGE="fr").json()
    en = api_client.get("/api/energy/actions", HTTP_ACCEPT_LANGUAGE="en").json()
    label = {a["code"]: a["label"] for a in fr}
    assert label["lettre_motivation"] == "Lettre de motivation"
    assert {a["code"]: a["label"] for a in en}["lettre_motivation"] == "Cover letter"


def test_changing_a_cost_never_touches_past_entries(auth_client, user):
    consume(auth_client, "optimisation_cv")
    action = Action.objects.get(code="optimisation_cv")
    action.cost = 40
    action.save()  # as the admin does (a save drops the cached copy)
    past = LedgerEntry.objects.for_user(user).get(kind=Kind.CONSUME)
    assert past.amount == -12 and past.nominal_cost == 12
    assert consume(auth_client, "optimisation_cv").json()["entry"]["amount"] == -40


def test_a_saved_cost_reaches_the_cached_catalogue_at_once(auth_client):
    assert services.action_catalogue()["optimisation_cv"][0] == 12
    assert services.get_action("optimisation_cv").cost == 12
    action = Action.objects.get(code="optimisation_cv")
    action.cost = 40
    action.save()  # as the admin does
    assert services.action_catalogue()["optimisation_cv"][0] == 40
    assert services.get_action("optimisation_cv").cost == 40


def test_low_and_depleted_are_recorded_once_per_crossing(auth_client, user):
    set_balance(user, 30)
    consume(auth_client, "optimisation_cv")  # 30 → 18: crosses 20
    consume(auth_client, "verification_format")  # 18 → 15: already low
    consume(auth_client, "optimisation_cv")  # 15 → 3
    consume(auth_client, "verification_format")  # 3 → 0: depleted
    types = list(Event.objects.for_user(user).values_list("type", flat=True))
    assert types.count("energy.low") == 1
    assert types.count("energy.depleted") == 1


def test_the_cached_balance_follows_every_write(
    auth_client, user, django_capture_on_commit_callbacks
):
    assert auth_client.get("/api/energy").json()["balance"] == 100
    with django_capture_on_commit_callbacks(execute=True):
        consume(auth_client, "optimisation_cv")
    assert auth_client.get("/api/energy").json()["balance"] == 88


def test_entries_are_listed_newest_first_and_filtered(auth_client, user):
    consume(auth_client, "optimisation_cv")
    consume(auth_client, "verification_format")
    listing = auth_client.get("/api/energy/entries").json()
    kinds = [(e["kind"], e["action"]) for e in listing["results"]]
    assert kinds == [
        ("consume", "verification_format"),
        ("consume", "optimisation_cv"),
        ("grant", None),
    ]
    filtered = auth_client.get("/api/energy/entries", {"kind": "grant"}).json()
    assert [e["kind"] for e in filtered["results"]] == ["grant"]
    by_action = auth_client.get(
        "/api/energy/entries", {"action": "optimisation_cv"}
    ).json()
    assert len(by_action["results"]) == 1
    assert auth_client.get("/api/energy/entries", {"kind": "nope"}).status_code == 400


def test_entries_paginate_with_a_cursor(auth_client, user):
    for _ in range(5):
        consume(auth_client, "verification_format")
    page = auth_client.get("/api/energy/entries", {"limit": 2}).json()
    assert len(page["results"]) == 2 and page["next"]
    seen = [e["id"] for e in page["results"]]
    while page["next"]:
        page = auth_client.get(page["next"]).json()
        seen += [e["id"] for e in page["results"]]
    assert len(seen) == len(set(seen)) == 6


def test_ledger_rows_cannot_be_changed_through_the_orm(auth_client, user):
    consume(auth_client)
    entry = LedgerEntry.objects.for_user(user).first()
    with pytest.raises(Exception, match="append-only|cannot be"):
        entry.save()
    with pytest.raises(Exception, match="cannot be"):
        LedgerEntry.objects.for_user(user).update(amount=0)
    with pytest.raises(Exception, match="cannot be"):
        LedgerEntry.objects.for_user(user).delete()
    with pytest.raises(Exception, match="cannot be"):
        entry.delete()


def test_the_free_cap_stops_bonuses_but_not_purchases(user):
    bonus = services.credit_bonus(user=user, amount=10, key="c1", reason="celebration")
    assert bonus.entry.amount == 0 and bonus.balance == 100
    purchase = services.credit_purchase(
        user=user, amount=220, key="pi_1", reference="pi_1"
    )
    assert purchase.balance == 320
    again = services.credit_purchase(
        user=user, amount=220, key="pi_1", reference="pi_1"
    )
    assert again.replayed and again.balance == 320
    assert wallet(user).balance == 320 == ledger_sum(user)


def test_a_bonus_key_pays_once(user):
    set_balance(user, 50)
    first = services.credit_bonus(
        user=user, amount=10, key="celebration:x", reason="mega"
    )
    second = services.credit_bonus(
        user=user, amount=10, key="celebration:x", reason="mega"
    )
    assert first.balance == 60 and second.replayed and wallet(user).balance == 60


def test_clawback_never_goes_below_zero_and_reports_the_shortfall(user):
    set_balance(user, 30)
    receipt = services.claw_back(
        user=user, amount=100, key="re_1", reference="re_1", reason="refund"
    )
    assert receipt.balance == 0 and receipt.shortfall == 70
    assert services.claw_back(
        user=user, amount=100, key="re_1", reference="re_1", reason="refund"
    ).replayed


def test_a_welcome_grant_is_given_once_even_if_asked_twice(user):
    services.open_wallet(user=user)
    services.open_wallet(user=user)
    assert LedgerEntry.objects.for_user(user).filter(kind=Kind.GRANT).count() == 1


def test_keys_are_namespaced_by_caller(auth_client, user):
    consume(auth_client, key=str(uuid.uuid4()))
    entry = LedgerEntry.objects.for_user(user).get(kind=Kind.CONSUME)
    assert entry.idempotency_key.startswith(f"user:{user.pk}:")


def test_the_plain_sql_statements_name_the_models_tables_and_columns():
    # energy.services.ledger debits the wallet and inserts entries in plain
    # SQL; a renamed or added column must fail here, not in production.
    from energy.models import Wallet
    from energy.services.ledger import INSERT_ENTRY, TAKE

    assert f"UPDATE {Wallet._meta.db_table}" in TAKE
    for name in (
        "user",
        "balance",
        "entry_count",
        "updated_at",
        "plan",
        "unlimited_until",
    ):
        assert Wallet._meta.get_field(name).column in TAKE
    fields = LedgerEntry._meta.concrete_fields
    table, columns = LedgerEntry._meta.db_table, ", ".join(f.column for f in fields)
    assert f"INSERT INTO {table} ({columns})" in " ".join(INSERT_ENTRY.split())


def test_a_standard_consume_is_one_wallet_statement(auth_client, user):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    consume(auth_client, key="warm-up")
    with CaptureQueriesContext(connection) as queries:
        response = consume(auth_client, key="measured")
    assert response.status_code == 201
    wallet_sql = [q["sql"] for q in queries if "energy_wallet" in q["sql"]]
    assert len(wallet_sql) == 1 and "RETURNING" in wallet_sql[0]
    assert wallet(user).balance == 76 == ledger_sum(user)
    assert LedgerEntry.objects.for_user(user).order_by("seq").last().seq == 3
