"""Conversations, goals, onboarding, progress, journal; GDPR; the schema."""

import uuid

import pytest

from accounts import services as accounts
from luna.models import Conversation, Goal
from narrative.models import Event
from tests.luna.helpers import letters

pytestmark = pytest.mark.django_db


def chat(client, message="Salut Luna !"):
    response = client.post("/api/luna/chat", {"message": message}, format="json")
    assert response.status_code == 200, response.content
    return response.json()


def test_conversations_are_listed_read_and_deleted_by_their_owner_only(
    auth_client, client_for, other_user, no_gemini
):
    first = chat(auth_client)["conversation_id"]
    chat(auth_client, "Une autre conversation")
    listed = auth_client.get("/api/luna/conversations").json()
    assert len(listed["results"]) == 2
    detail = auth_client.get(f"/api/luna/conversations/{first}").json()
    assert [m["role"] for m in detail["messages"]] == ["user", "luna"]
    assert detail["messages"][0]["content"] == "Salut Luna !"

    stranger = client_for(other_user)
    assert stranger.get("/api/luna/conversations").json()["results"] == []
    for method in (stranger.get, stranger.delete):
        response = method(f"/api/luna/conversations/{first}")
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "not_found"
    assert auth_client.get("/api/luna/conversations/not-a-uuid").status_code == 404

    assert auth_client.delete(f"/api/luna/conversations/{first}").status_code == 204
    assert not Conversation.objects.filter(pk=first).exists()
    assert auth_client.get(f"/api/luna/conversations/{first}").status_code == 404


def test_goals_crud_with_one_primary_goal(auth_client, client_for, other_user):
    created = auth_client.post(
        "/api/luna/goals",
        {"title": "Devenir product manager", "timeline": "12 mois"},
        format="json",
    )
    assert created.status_code == 201
    first = created.json()
    assert first["is_primary"] is True
    second = auth_client.post(
        "/api/luna/goals",
        {"title": "Apprendre SQL", "category": "skill_mastery", "is_primary": True},
        format="json",
    ).json()
    goals = {g["id"]: g for g in auth_client.get("/api/luna/goals").json()}
    assert goals[second["id"]]["is_primary"] and not goals[first["id"]]["is_primary"]

    patched = auth_client.patch(
        f"/api/luna/goals/{first['id']}",
        {"progress": 40, "status": "executing"},
        format="json",
    )
    assert patched.status_code == 200
    assert (patched.json()["progress"], patched.json()["status"]) == (40, "executing")
    bad = auth_client.patch(
        f"/api/luna/goals/{first['id']}", {"progress": 101}, format="json"
    )
    assert bad.status_code == 400 and "progress" in bad.json()["error"]["fields"]

    stranger = client_for(other_user)
    response = stranger.patch(
        f"/api/luna/goals/{first['id']}", {"progress": 1}, format="json"
    )
    assert response.status_code == 404
    assert stranger.delete(f"/api/luna/goals/{first['id']}").status_code == 404
    assert auth_client.delete(f"/api/luna/goals/{first['id']}").status_code == 204
    assert Goal.objects.count() == 1
    types = list(
        Event.objects.filter(type__startswith="luna.goal").values_list(
            "type", flat=True
        )
    )
    assert sorted(types) == sorted(
        ["luna.goal_set", "luna.goal_set", "luna.goal_updated", "luna.goal_removed"]
    )


@pytest.mark.parametrize(
    "body",
    [{}, {"title": ""}, {"title": "ok"}, {"title": "Valid", "category": "space"}],
)
def test_bad_goals_are_400(auth_client, body):
    response = auth_client.post("/api/luna/goals", body, format="json")
    assert response.status_code == 400


def test_onboarding_happens_once(auth_client, user):
    motivation = "Je veux devenir data analyst chez une startup de la santé"
    response = auth_client.post(
        "/api/luna/onboarding", {"motivation": motivation}, format="json"
    )
    assert response.status_code == 201
    goal = response.json()
    assert goal["status"] == "defining" and goal["is_primary"]
    assert Event.objects.filter(user=user, type="narrative.started").count() == 1
    again = auth_client.post(
        "/api/luna/onboarding", {"motivation": motivation + " !"}, format="json"
    )
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "already_onboarded"


@pytest.mark.parametrize("motivation", ["court", "x" * 1001, "          ", None])
def test_onboarding_validates_the_motivation(auth_client, motivation):
    response = auth_client.post(
        "/api/luna/onboarding", {"motivation": motivation}, format="json"
    )
    assert response.status_code == 400


def test_progress_and_journal_read_the_narrative(auth_client, user):
    letters(user, 3)
    progress = auth_client.get("/api/luna/progress").json()
    assert progress["metrics"]["letters_created"]["value"] == 3
    assert progress["trend"] in ("rising", "steady", "falling")
    journal = auth_client.get("/api/luna/journal?window=7d")
    assert journal.status_code == 200
    body = journal.json()
    assert len(body["narrative"]["chapters"]) == 3
    assert body["narrative"]["kpis"]["letters_count"] == {"value": 3}
    steps = body["narrative"]["next_steps"]
    assert steps and all(isinstance(step["cost_pct"], int) for step in steps)
    assert body["energy"] == {"balance": 100, "unlimited": False}
    assert auth_client.get("/api/luna/journal?window=2y").status_code == 400


def test_gdpr_export_and_erasure_cover_luna(user, auth_client, no_gemini):
    chat(auth_client, "Je veux devenir product manager chez Doctolib")
    auth_client.post("/api/luna/goals", {"title": "Devenir PM"}, format="json")
    document = accounts.export_account(user=user)
    assert document["luna"]["conversations"][0]["messages"][0]["content"]
    assert document["luna"]["goals"][0]["title"] == "Devenir PM"
    accounts.erase_account(user=user, password="correct-horse-battery-staple")
    assert not Conversation.objects.filter(user=user).exists()
    assert not Goal.objects.filter(user=user).exists()


def test_every_luna_endpoint_is_in_the_schema(api_client):
    paths = api_client.get("/api/schema/?format=json").json()["paths"]
    for path in (
        "/api/luna/chat",
        "/api/luna/conversations",
        "/api/luna/conversations/{conversation_id}",
        "/api/luna/progress",
        "/api/luna/journal",
        "/api/luna/onboarding",
        "/api/luna/goals",
        "/api/luna/goals/{goal_id}",
    ):
        assert path in paths, path


def test_unknown_goal_is_404(auth_client):
    response = auth_client.delete(f"/api/luna/goals/{uuid.uuid4()}")
    assert response.status_code == 404
