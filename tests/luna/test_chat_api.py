"""POST /api/luna/chat, through the real google-genai client to a local
Gemini-protocol server; energy, messages and events on the real database."""

import importlib
import uuid

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from energy import services as energy
from luna import llm
from luna.engine.sentiment import analyze
from luna.models import Celebration, Conversation, Message
from narrative.models import Event
from tests.luna.fake_gemini import BreakAfter, Fail, Stream
from tests.luna.helpers import balance, consumes, letters, refunds, set_balance

pytestmark = pytest.mark.django_db

chat_service = importlib.import_module("luna.services.chat")

PAID = "Optimise mon CV pour ce poste de product manager"


def chat(client, message=PAID, **body):
    return client.post("/api/luna/chat", {"message": message, **body}, format="json")


def test_a_paid_message_is_charged_once_and_streams_gemini_s_reply(
    auth_client, user, gemini
):
    gemini.script(Stream(["Allons-y ", "Alice : ", "trois pistes."]))
    response = chat(auth_client)
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["reply"] == "Allons-y Alice : trois pistes."
    assert body["provider"] == "gemini"
    assert body["status"] == "complete"
    assert body["action"] == "luna_optimisation"
    assert body["cost"] == 12
    assert body["balance"] == 88 == balance(user)
    assert set(body["loops"]) == {"sentiment", "progress", "vision"}
    assert set(body["loops"]["sentiment"]) == {"label", "confidence"}
    assert set(body["loops"]["progress"]) == {"trend", "momentum"}
    assert set(body["loops"]["vision"]) == {"phase", "goal", "story_connection"}
    entry = consumes(user).get()
    assert entry.idempotency_key == f"luna:message:{body['message_id']}"
    reply = Message.objects.get(pk=body["message_id"])
    assert reply.energy_entry == entry
    assert (reply.role, reply.status, reply.provider) == ("luna", "complete", "gemini")
    assert reply.tokens_out == 3
    assert reply.conversation.user == user
    assert Event.objects.filter(user=user, type="luna.replied").count() == 1


def test_small_talk_is_free(auth_client, user, gemini):
    body = chat(auth_client, "Salut Luna !").json()
    assert body["action"] == "luna_conversation"
    assert body["cost"] == 0
    assert balance(user) == 100


def test_the_conversation_remembers_its_turns(auth_client, gemini):
    gemini.script(Stream(["Première réponse."]), Stream(["Deuxième."]))
    first = chat(auth_client, "Bonjour, je prépare ma reconversion").json()
    chat(auth_client, "Et ensuite ?", conversation_id=first["conversation_id"])
    contents = gemini.requests[-1]["body"]["contents"]
    texts = [part["text"] for c in contents for part in c["parts"]]
    assert texts == [
        "Bonjour, je prépare ma reconversion",
        "Première réponse.",
        "Et ensuite ?",
    ]
    assert [c["role"] for c in contents] == ["user", "model", "user"]
    assert Conversation.objects.count() == 1


def test_an_error_mid_stream_keeps_the_partial_reply_and_refunds(
    auth_client, user, gemini
):
    gemini.script(BreakAfter(["Voici le début "]))
    body = chat(auth_client).json()
    assert body["status"] == "partial"
    assert body["reply"] == "Voici le début "
    assert body["cost"] == 0
    assert body["balance"] == 100 == balance(user)
    reply = Message.objects.get(pk=body["message_id"])
    assert (reply.status, reply.content) == ("partial", "Voici le début ")
    refund = refunds(user).get()
    assert refund.refund_of == consumes(user).get()


def test_not_enough_energy_answers_402_with_packs_and_calls_no_model(
    auth_client, user, gemini
):
    set_balance(user, 3)
    response = chat(auth_client)
    assert response.status_code == 402
    error = response.json()["error"]
    assert error["code"] == "insufficient_energy"
    assert error["deficit"] == 9
    assert error["packs"] and error["packs"][0]["energy"] >= 9
    assert gemini.requests == []
    assert not Message.objects.exists()
    assert balance(user) == 3


def test_unlimited_users_are_not_charged(auth_client, user, gemini):
    energy.set_unlimited(user=user, until=None, reason="test")
    body = chat(auth_client).json()
    assert body["cost"] == 0
    assert balance(user) == 100
    assert "Luna Unlimited" in system_prompt(gemini)


def test_a_standard_plan_is_not_told_it_is_unlimited(auth_client, gemini):
    chat(auth_client)
    assert "Luna Unlimited" not in system_prompt(gemini)


def test_without_a_key_the_builtin_coach_answers(auth_client, no_gemini):
    body = chat(
        auth_client, "Je suis un peu perdu, par où commencer ma lettre ?"
    ).json()
    assert body["provider"] == "builtin"
    assert body["status"] == "complete"
    assert len(body["reply"]) > 40
    assert body["reply"].rstrip().endswith("?")


def test_an_open_breaker_read_with_the_turn_lets_the_coach_answer(
    auth_client, user, gemini, settings
):
    settings.LUNA_BREAKER_THRESHOLD = 1
    gemini.script(Fail(400))  # fails before any token: the breaker opens
    assert chat(auth_client).json()["provider"] == "builtin"
    assert cache.get(llm.BREAKER_OPEN_UNTIL) is not None
    turn = chat_service.start_turn(user=user, text=PAID)
    assert turn.breaker.open  # read by the turn, before the model
    chat_service.finish_turn(turn, text="", outcome=None)
    body = chat(auth_client).json()
    assert body["provider"] == "builtin"
    assert len(gemini.requests) == 1  # no call while it is open


def test_an_unreadable_breaker_counts_as_closed(auth_client, user, gemini, monkeypatch):
    def down(*args, **kwargs):
        raise ConnectionError("cache unreachable")

    monkeypatch.setattr(cache, "get_many", down)  # the breaker's one read
    response = chat(auth_client)
    assert response.status_code == 200
    assert response.json()["provider"] == "gemini"
    assert consumes(user).count() == 1
    assert Message.objects.get(pk=response.json()["message_id"]).status == "complete"


def test_a_goal_heard_in_conversation_is_proposed_not_stored(auth_client, gemini):
    body = chat(
        auth_client, "Je veux devenir product manager chez Doctolib d'ici un an"
    ).json()
    proposal = body["goal_proposal"]
    assert "product manager" in proposal["title"].lower()
    assert auth_client.get("/api/luna/goals").json() == []
    created = auth_client.post("/api/luna/goals", proposal, format="json")
    assert created.status_code == 201
    assert created.json()["is_primary"] is True
    again = chat(auth_client, "Aide-moi à préparer mon entretien").json()
    assert again["loops"]["vision"]["goal"] == proposal["title"]
    assert "goal_proposal" not in again


def test_a_celebration_is_awarded_once_however_many_messages(
    auth_client, user, gemini, no_cooldown
):
    letters(user, 3)  # letters_created: 3 this week is "major", +5
    set_balance(user, 50)
    first = chat(auth_client).json()
    assert first["celebration"]["metric"] == "letters_created"
    assert first["celebration"]["level"] == "major"
    assert first["celebration"]["bonus"] == 5
    assert first["balance"] == 50 - 12 + 5
    for _ in range(3):
        assert "celebration" not in chat(auth_client).json()
    assert Celebration.objects.filter(user=user).count() == 1
    assert balance(user) == 50 - 4 * 12 + 5


def test_the_cooldown_spaces_celebrations(auth_client, user, gemini, settings):
    settings.LUNA_CELEBRATION_COOLDOWN_SECONDS = 3600
    letters(user, 1)  # minor
    assert chat(auth_client).json()["celebration"]["level"] == "minor"
    letters(user, 2)  # now major, but within the cooldown
    assert "celebration" not in chat(auth_client).json()
    assert Celebration.objects.filter(user=user).count() == 1


@pytest.mark.parametrize(
    "body, field",
    [
        ({"message": ""}, "message"),
        ({"message": "   "}, "message"),
        ({"message": "x" * 4001}, "message"),
        ({"message": "nul\x00byte"}, None),  # the JSON parser refuses U+0000
        ({"message": 42}, None),
        ({}, "message"),
        ({"message": "ok", "app_context": "mars"}, "app_context"),
        ({"message": "ok", "conversation_id": "not-a-uuid"}, "conversation_id"),
    ],
)
def test_bad_input_is_a_400_envelope(auth_client, body, field, gemini):
    response = auth_client.post("/api/luna/chat", body, format="json")
    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert error["code"] in ("invalid", "malformed_request")
    if field:
        assert field in error["fields"]
    assert gemini.requests == []


def test_a_4000_character_message_is_accepted(auth_client, gemini):
    assert chat(auth_client, "a" * 4000).status_code == 200


def test_someone_else_s_conversation_is_a_404(
    auth_client, client_for, other_user, user, gemini
):
    mine = chat(auth_client).json()["conversation_id"]
    response = chat(client_for(other_user), conversation_id=mine)
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    unknown = chat(auth_client, conversation_id=str(uuid.uuid4()))
    assert unknown.status_code == 404
    assert balance(other_user) == 100  # nothing charged


def test_chat_needs_a_user(api_client):
    assert chat(api_client).status_code == 401


def system_prompt(gemini) -> str:
    instruction = gemini.requests[-1]["body"]["systemInstruction"]
    return " ".join(part["text"] for part in instruction["parts"])


def test_the_loops_read_career_events_not_luna_s_own_bookkeeping(
    auth_client, user, no_gemini
):
    import importlib

    loops = importlib.import_module("luna.services.loops")
    letters(user, 2)
    energy.consume(user=user, action="lettre_motivation", key="letters-app")
    for _ in range(3):
        assert chat(auth_client).status_code == 200
    stored = set(Event.objects.for_user(user).values_list("type", "app_source"))
    assert {("luna.replied", "luna"), ("energy.consumed", "luna")} <= stored
    read = [(fact.type, fact.payload.get("action")) for fact in loops.facts(user)]
    assert read.count(("letter.generated", None)) == 2
    assert ("energy.consumed", "lettre_motivation") in read
    assert not [t for t, action in read if t.startswith("luna.")]
    assert not [a for _t, a in read if a and str(a).startswith("luna_")]


LOST = "je suis perdu, comment faire"


def confidence(client, message=LOST, **body):
    return chat(client, message, **body).json()["loops"]["sentiment"]["confidence"]


def test_the_mood_boost_reads_the_conversation_under_way(auth_client, no_gemini):
    alone = round(analyze(LOST).confidence, 2)
    assert confidence(auth_client) == alone  # a first message: no history
    worried = chat(auth_client, "je suis stressé").json()["conversation_id"]
    chat(auth_client, "c'est trop compliqué", conversation_id=worried)
    keen = chat(auth_client, "super, on fonce").json()["conversation_id"]
    chat(auth_client, "génial, c'est parti", conversation_id=keen)
    # Back in the worried conversation: its own last messages count, not the
    # keen one written since.
    assert confidence(auth_client, conversation_id=worried) == pytest.approx(
        alone + 0.2
    )
    assert confidence(auth_client, conversation_id=keen) == alone


def test_a_new_conversation_carries_the_last_active_one_s_mood(auth_client, no_gemini):
    alone = round(analyze(LOST).confidence, 2)
    worried = chat(auth_client, "je suis stressé").json()["conversation_id"]
    chat(auth_client, "c'est trop compliqué", conversation_id=worried)
    assert confidence(auth_client) == pytest.approx(alone + 0.2)


def test_a_new_conversation_keeps_the_mood_until_it_has_its_own(auth_client, no_gemini):
    alone = round(analyze(LOST).confidence, 2)
    worried = chat(auth_client, "je suis stressé").json()["conversation_id"]
    chat(auth_client, "c'est trop compliqué", conversation_id=worried)
    fresh = chat(auth_client, LOST).json()
    assert fresh["loops"]["sentiment"]["confidence"] == pytest.approx(alone + 0.2)
    # Its second message: one message of its own, the rest from the previous.
    assert confidence(
        auth_client, conversation_id=fresh["conversation_id"]
    ) == pytest.approx(alone + 0.2)


def test_the_mood_history_never_reads_another_user_s_messages(
    auth_client, client_for, other_user, no_gemini
):
    alone = round(analyze(LOST).confidence, 2)
    chat(auth_client, "super, on fonce")
    theirs = client_for(other_user)
    worried = chat(theirs, "je suis stressé").json()["conversation_id"]
    chat(theirs, "c'est trop compliqué", conversation_id=worried)
    assert confidence(auth_client) == alone  # their newer worries are not mine


def test_a_conversation_under_way_reads_its_messages_once(auth_client, no_gemini):
    conversation = chat(auth_client, "Bonjour").json()["conversation_id"]
    for text in ("je suis stressé", "c'est trop compliqué"):
        chat(auth_client, text, conversation_id=conversation)
    with CaptureQueriesContext(connection) as queries:
        chat(auth_client, LOST, conversation_id=conversation)
    reads = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].startswith("SELECT") and '"luna_message"' in q["sql"]
    ]
    assert len(reads) == 1, reads  # the memory; the mood history comes from it
