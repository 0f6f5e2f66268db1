"""Contract tests for the predecessor's Luna routes: chat, narrative start,
journal and its export. The built-in coach answers (no Gemini key)."""

import json

import pytest

from energy.models import LedgerEntry, Wallet
from luna.models import Goal, Message
from narrative.models import Event
from tests.energy.conftest import set_balance

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def builtin_coach(settings):
    settings.GEMINI_API_KEY = ""


def post(client, path, body):
    return client.post(path, body, format="json")


def send(client, user, message, **extra):
    body = {"user_id": str(user.pk), "message": message, **extra}
    return post(client, "/luna/chat/send-message", body)


def test_send_message_answers_in_the_old_shape_and_charges_once(auth_client, user):
    response = send(auth_client, user, "Analyse mon CV s'il te plaît", app_context="cv")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["success"] is True and body["type"] == "text"
    assert isinstance(body["message"], str) and body["message"]
    assert body["context"] == "cv"
    assert body["energy_consumed"] == 15  # luna_analyse
    assert Wallet.objects.get(pk=user.pk).balance == 85
    assert LedgerEntry.objects.filter(kind="consume").count() == 1
    assert Message.objects.filter(role="luna").count() == 1


def test_small_talk_is_free_and_the_default_context_is_the_website(auth_client, user):
    body = send(auth_client, user, "Bonjour Luna, merci !").json()
    assert body["energy_consumed"] == 0 and body["context"] == "website"


def test_send_message_out_of_energy_is_402_in_the_old_shape(auth_client, user):
    set_balance(user, 2)
    response = send(auth_client, user, "Fais une analyse complète de mon CV")
    assert response.status_code == 402
    detail = response.json()["detail"]
    assert detail["error"] == "insufficient_energy"
    assert detail["action"] == "recharge_energy"
    assert detail["required_pack"] == "cafe_luna"
    assert not Message.objects.filter(role="luna").exists()


def test_send_message_rejects_bad_input_with_the_old_detail(auth_client, user):
    for message in ["", "x" * 5000, "nul\x00byte"]:
        response = send(auth_client, user, message)
        assert response.status_code == 400, message
        assert "detail" in response.json()
    other_context = send(auth_client, user, "Bonjour", app_context="aube-secret")
    assert other_context.status_code == 400


def test_a_foreign_user_id_is_403_everywhere(auth_client, other_user):
    assert send(auth_client, other_user, "Bonjour").status_code == 403
    assert auth_client.get(f"/luna/journal/{other_user.pk}").status_code == 403
    export = post(auth_client, "/luna/journal/export", {"user_id": str(other_user.pk)})
    assert export.status_code == 403
    assert isinstance(export.json()["detail"], str)


def test_narrative_start_once_then_409(auth_client, user):
    response = post(
        auth_client,
        "/luna/narrative/start",
        {"motivation": "Je veux devenir product manager chez Doctolib"},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "started"
    assert body["narrative_id"].startswith(f"narrative_{user.pk}_")
    assert body["energy_granted"] == 0  # the welcome grant came at sign-up
    assert Event.objects.filter(user=user, type="narrative.started").count() == 1
    assert Goal.objects.filter(user=user).count() == 1
    again = post(
        auth_client, "/luna/narrative/start", {"motivation": "Encore une fois"}
    )
    assert again.status_code == 409 and isinstance(again.json()["detail"], str)
    short = post(auth_client, "/luna/narrative/start", {"motivation": "court"})
    assert short.status_code == 400


def test_journal_has_the_journal_dto_fields(auth_client, user):
    send(auth_client, user, "Optimise mon CV pour une offre de data analyst")
    response = auth_client.get(f"/luna/journal/{user.pk}?window=14d")
    assert response.status_code == 200, response.content
    body = response.json()
    narrative = body["narrative"]
    assert isinstance(narrative["chapters"], list)
    assert isinstance(narrative["kpis"], dict)
    for step in narrative["next_steps"]:
        assert isinstance(step["action"], str) and isinstance(step["cost_pct"], int)
    assert body["ethics"]["export_available"] is True
    assert auth_client.get(f"/luna/journal/{user.pk}?window=3y").status_code == 400


def test_journal_export_returns_the_content(auth_client, user):
    as_json = post(auth_client, "/luna/journal/export", {"user_id": str(user.pk)})
    assert as_json.status_code == 200
    body = as_json.json()
    assert body["success"] is True and body["format"] == "json"
    assert "narrative" in json.loads(body["content"])
    markdown = post(
        auth_client,
        "/luna/journal/export",
        {"user_id": str(user.pk), "format": "markdown"},
    ).json()
    assert markdown["content"].startswith("# ")
    pdf = post(
        auth_client, "/luna/journal/export", {"user_id": str(user.pk), "format": "pdf"}
    )
    assert pdf.status_code == 400


def test_a_satellite_chats_for_a_user_with_its_luna_scope(service_client_for, user):
    cv_app = service_client_for(["luna:chat"])
    body = send(cv_app, user, "Merci, analyse mon CV").json()
    assert body["success"] is True and body["energy_consumed"] == 15
    reader = service_client_for(["energy:read"])
    assert send(reader, user, "Bonjour").status_code == 403
