from datetime import timedelta

import pytest
from django.db.models import F
from django.utils import timezone

from energy import services
from energy.models import Action, Kind, LedgerEntry, Wallet
from narrative.models import Event
from tests.energy.conftest import consume, ledger_sum, wallet

pytestmark = pytest.mark.django_db


def refund(client, entry_id, reason="Le CV n'a pas été amélioré", **extra):
    return client.post(
        "/api/energy/refund",
        {"entry_id": entry_id, "reason": reason, **extra},
        format="json",
    )


def test_a_refund_gives_the_cost_back_once(auth_client, user):
    entry = consume(auth_client, "optimisation_cv").json()["entry"]
    response = refund(auth_client, entry["id"])
    assert response.status_code == 201
    body = response.json()
    assert body["balance"] == 100
    assert body["entry"]["kind"] == "refund" and body["entry"]["amount"] == 12
    assert body["entry"]["refund_of"] == entry["id"]
    again = refund(auth_client, entry["id"])
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "already_refunded"
    assert wallet(user).balance == 100 == ledger_sum(user)
    event = Event.objects.for_user(user).of_types(["energy.refunded"]).get()
    assert event.payload["reason"] == "Le CV n'a pas été amélioré"
    listed = auth_client.get("/api/energy/entries", {"kind": "consume"}).json()[
        "results"
    ]
    assert listed[0]["refund_eligible"] is False


def test_a_refund_after_the_window_is_400(auth_client, user):
    # An 8-day-old consumption, written as the service would have then.
    action = Action.objects.get(code="optimisation_cv")
    w = wallet(user)
    old = LedgerEntry.objects.create(
        wallet=w,
        seq=w.entry_count + 1,
        kind=Kind.CONSUME,
        amount=-12,
        balance_after=w.balance - 12,
        action=action,
        nominal_cost=12,
        idempotency_key="old-consume",
        actor="user",
        created_at=timezone.now() - timedelta(days=8),
    )
    Wallet.objects.filter(pk=w.pk).update(
        balance=F("balance") - 12, entry_count=F("entry_count") + 1
    )
    response = refund(auth_client, str(old.pk))
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "refund_not_allowed"


def test_a_non_refundable_action_is_400(auth_client):
    entry = consume(auth_client, "verification_format").json()["entry"]
    response = refund(auth_client, entry["id"])
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "refund_not_allowed"


def test_only_consumptions_can_be_refunded(auth_client, user):
    grant = LedgerEntry.objects.for_user(user).get(kind=Kind.GRANT)
    assert refund(auth_client, str(grant.pk)).status_code == 400


def test_someone_elses_entry_is_404(client_for, user, other_user):
    theirs = consume(client_for(other_user)).json()["entry"]
    response = refund(client_for(user), theirs["id"])
    assert response.status_code == 404
    assert wallet(other_user).balance == 88


@pytest.mark.parametrize(
    "body",
    [
        {"entry_id": "nope", "reason": "x"},
        {"entry_id": "00000000-0000-0000-0000-000000000000"},
        {"entry_id": "00000000-0000-0000-0000-000000000000", "reason": ""},
        {"entry_id": "00000000-0000-0000-0000-000000000000", "reason": "x" * 501},
    ],
)
def test_refund_input_is_validated(auth_client, body):
    response = auth_client.post("/api/energy/refund", body, format="json")
    assert response.status_code == 400


def test_a_failed_reply_is_refunded_by_the_internal_path_once(auth_client, user):
    entry = LedgerEntry.objects.get(
        pk=consume(auth_client, "luna_analyse").json()["entry"]["id"]
    )
    first = services.refund_failed(entry=entry, reason="model timeout")
    second = services.refund_failed(entry=entry, reason="model timeout")
    assert first.balance == 100 and second.replayed
    assert wallet(user).balance == 100


def test_unlimited_is_free_but_records_the_nominal_cost(auth_client, user):
    services.set_unlimited(
        user=user,
        until=timezone.now() + timedelta(days=30),
        reason="subscription:sub_1",
    )
    assert auth_client.get("/api/energy").json()["unlimited"] is True
    body = consume(auth_client, "audit_complet_profil").json()
    assert body["balance"] == 100
    assert body["entry"]["amount"] == 0 and body["entry"]["nominal_cost"] == 45
    check = auth_client.post(
        "/api/energy/check", {"action": "plan_reconversion"}, format="json"
    ).json()
    assert check["can_perform"] is True and check["cost"] == 0


def test_an_expired_unlimited_plan_is_standard_again(auth_client, user):
    services.set_unlimited(
        user=user,
        until=timezone.now() - timedelta(seconds=1),
        reason="subscription:sub_1",
    )
    assert auth_client.get("/api/energy").json()["unlimited"] is False
    assert consume(auth_client, "optimisation_cv").json()["balance"] == 88


def test_unlimited_has_a_fair_use_limit(auth_client, user, settings):
    settings.ENERGY_UNLIMITED_FAIR_USE = (2, 3600)
    services.set_unlimited(user=user, until=None, reason="staff: founder")
    assert consume(auth_client).status_code == 201
    assert consume(auth_client).status_code == 201
    third = consume(auth_client)
    assert third.status_code == 429
    assert int(third["Retry-After"]) > 0


def test_ending_unlimited_goes_back_to_standard(user):
    services.set_unlimited(user=user, until=None, reason="staff: beta tester")
    services.end_unlimited(user=user, reason="subscription deleted")
    assert services.wallet_view(user=user).plan == "standard"


def test_unlimited_needs_a_reason(user):
    with pytest.raises(services.EnergyError):
        services.set_unlimited(user=user, until=None, reason=" ")
