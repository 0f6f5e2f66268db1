"""Contract tests for the predecessor's /luna/energy/* routes."""

import uuid

import pytest

from energy.models import Wallet
from tests.energy.conftest import set_balance

pytestmark = pytest.mark.django_db


def post(client, path, body, **headers):
    return client.post(path, body, format="json", **headers)


def test_check_has_the_old_fields_and_the_action_extras(auth_client, user):
    body = post(auth_client, "/luna/energy/check", {"user_id": str(user.pk)}).json()
    assert body["success"] is True
    assert body["current_energy"] == 100 and body["max_energy"] == 100
    assert body["percentage"] == 100
    assert body["can_perform_basic_action"] is True
    assert body["last_recharge"] is None and body["total_consumed"] == 0
    assert body["subscription_type"] == "standard"
    with_action = post(
        auth_client,
        "/luna/energy/check",
        {"user_id": str(user.pk), "action_name": "conseil_rapide"},
    ).json()
    assert with_action["can_perform"] is True
    assert with_action["energy_required"] == 5 and with_action["deficit"] == 0


def test_can_perform_and_preview(auth_client, user):
    set_balance(user, 10)
    can = post(
        auth_client,
        "/luna/energy/can-perform",
        {"user_id": str(user.pk), "action_name": "mirror_match"},
    ).json()
    assert (can["can_perform"], can["energy_required"], can["deficit"]) == (
        False,
        30,
        20,
    )
    assert can["current_energy"] == 10
    preview = post(
        auth_client,
        "/luna/energy/preview",
        {"user_id": str(user.pk), "action": "format_lettre"},
    ).json()
    assert preview == {
        "action": "format_lettre",
        "cost_pct": 8,
        "balance_before": 10,
        "balance_after": 2,
        "can_perform": True,
        "unlimited_user": False,
    }


def test_consume_honours_x_idempotency_key(auth_client, user):
    key = str(uuid.uuid4())
    body = {
        "user_id": str(user.pk),
        "action_name": "optimisation_cv",
        "context": {"a": 1},
    }
    first = post(auth_client, "/luna/energy/consume", body, HTTP_X_IDEMPOTENCY_KEY=key)
    second = post(auth_client, "/luna/energy/consume", body, HTTP_X_IDEMPOTENCY_KEY=key)
    assert first.status_code == second.status_code == 200
    assert first.json()["transaction_id"] == second.json()["transaction_id"]
    assert first.json()["event_id"] == second.json()["event_id"] is not None
    data = first.json()
    assert data["energy_consumed"] == 12 and data["energy_remaining"] == 88
    assert data["message"] == "Action 'optimisation_cv' effectuée avec succès"
    assert Wallet.objects.get(pk=user.pk).balance == 88


def test_consume_out_of_energy_is_402_in_the_old_shape(auth_client, user):
    set_balance(user, 3)
    response = post(
        auth_client,
        "/luna/energy/consume",
        {"user_id": str(user.pk), "action_name": "mirror_match"},
    )
    assert response.status_code == 402
    detail = response.json()["detail"]
    assert detail["error"] == "insufficient_energy"
    assert detail["action"] == "recharge_energy"
    assert "required_pack" in detail and isinstance(detail["message"], str)


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("post", "/luna/energy/check", {"action_name": "conseil_rapide"}),
        ("post", "/luna/energy/can-perform", {"action_name": "conseil_rapide"}),
        ("post", "/luna/energy/consume", {"action_name": "conseil_rapide"}),
        ("post", "/luna/energy/preview", {"action": "conseil_rapide"}),
        ("post", "/luna/energy/refund", {"action_event_id": str(uuid.uuid4())}),
        ("get", "/luna/energy/refund-history/{uid}", None),
        ("get", "/luna/energy/transactions/{uid}", None),
        ("get", "/luna/energy/refund-eligibility/{uid}/" + str(uuid.uuid4()), None),
    ],
)
def test_a_foreign_user_id_is_403_in_the_old_shape(
    auth_client, other_user, method, path, body
):
    uid = str(other_user.pk)
    if body is None:
        response = getattr(auth_client, method)(path.format(uid=uid))
    else:
        response = post(auth_client, path, {**body, "user_id": uid})
    assert response.status_code == 403
    assert isinstance(response.json()["detail"], str)
    assert Wallet.objects.get(pk=other_user.pk).balance == 100


def test_refund_by_event_id_then_eligibility_and_history(auth_client, user):
    consumed = post(
        auth_client,
        "/luna/energy/consume",
        {"user_id": str(user.pk), "action_name": "optimisation_cv"},
        HTTP_X_IDEMPOTENCY_KEY="r-1",
    ).json()
    uid = str(user.pk)
    eligibility = auth_client.get(
        f"/luna/energy/refund-eligibility/{uid}/{consumed['event_id']}"
    ).json()
    assert eligibility["eligible"] is True and eligibility["status"] == "eligible"
    assert eligibility["action_name"] == "optimisation_cv"
    refund = post(
        auth_client,
        "/luna/energy/refund",
        {
            "user_id": uid,
            "action_event_id": consumed["event_id"],
            "reason": "pas utile",
        },
    ).json()
    assert refund["status"] == "refunded" and refund["refunded_units"] == 12
    assert refund["new_energy_balance"] == 100
    again = auth_client.get(
        f"/luna/energy/refund-eligibility/{uid}/{consumed['transaction_id']}"
    )
    assert again.json()["status"] == "already_processed"
    history = auth_client.get(f"/luna/energy/refund-history/{uid}").json()
    assert history["total_refunds"] == 1 and history["total_energy_refunded"] == 12
    twice = post(
        auth_client,
        "/luna/energy/refund",
        {"user_id": uid, "action_event_id": consumed["event_id"]},
    )
    assert twice.status_code == 409 and "detail" in twice.json()


def test_the_old_free_amount_refund_does_not_come_back(auth_client, user):
    response = post(
        auth_client,
        "/luna/energy/refund",
        {"user_id": str(user.pk), "amount": 100, "reason": "x"},
    )
    assert response.status_code == 400
    assert Wallet.objects.get(pk=user.pk).balance == 100


def test_refund_policy_is_public(api_client):
    policy = api_client.get("/luna/energy/refund-policy").json()["policy"]
    assert policy["refund_period_days"] == 7
    assert "conseil_rapide" in policy["ineligible_actions"]
    assert "optimisation_cv" in policy["eligible_actions"]


def test_transactions_list_the_ledger(auth_client, user):
    post(
        auth_client,
        "/luna/energy/consume",
        {"user_id": str(user.pk), "action_name": "format_lettre"},
    )
    body = auth_client.get(f"/luna/energy/transactions/{user.pk}").json()
    assert body["total_count"] == 2
    latest = body["transactions"][0]
    assert latest["action_type"] == "consume" and latest["amount"] == 8
    assert (latest["energy_before"], latest["energy_after"]) == (100, 92)


def test_cv_app_session_end_to_end(
    api_client, user, django_capture_on_commit_callbacks
):
    """The Phoenix CV front end: login → check → consume → me."""
    tokens = api_client.post(
        "/auth/login",
        {"email": user.email, "password": "correct-horse-battery-staple"},
        format="json",
    ).json()
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens['access_token']}")
    uid = tokens["user_id"]
    check = post(
        api_client,
        "/luna/energy/check",
        {"user_id": uid, "action_name": "conseil_rapide"},
    )
    assert check.json()["can_perform"] is True
    with django_capture_on_commit_callbacks(execute=True):  # cache invalidation
        consumed = post(
            api_client,
            "/luna/energy/consume",
            {
                "user_id": uid,
                "action_name": "analyse_cv_complete",
                "context": {"amount": 25},
            },
        )
    assert consumed.json()["energy_remaining"] == 75
    assert api_client.get("/auth/me").json()["luna_energy"] == 75


def test_letters_backend_with_a_service_key(service_client_for, user):
    letters = service_client_for(["energy:read", "energy:write"], app_source="letters")
    uid = str(user.pk)
    can = post(
        letters,
        "/luna/energy/can-perform",
        {"user_id": uid, "action_name": "lettre_motivation"},
    )
    assert can.json()["can_perform"] is True
    consumed = post(
        letters,
        "/luna/energy/consume",
        {"user_id": uid, "action_name": "lettre_motivation"},
        HTTP_X_IDEMPOTENCY_KEY="letter-42",
    ).json()
    assert consumed["energy_remaining"] == 85
    reader = service_client_for(["energy:read"], app_source="letters")
    denied = post(
        reader,
        "/luna/energy/consume",
        {"user_id": uid, "action_name": "lettre_motivation"},
    )
    assert denied.status_code == 403
