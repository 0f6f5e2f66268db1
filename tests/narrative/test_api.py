import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from narrative import services
from narrative.models import Event

pytestmark = pytest.mark.django_db

EVENTS = "/api/narrative/events"
BATCH = "/api/narrative/events/batch"
CAPITAL = "/api/narrative/capital"


def error(response):
    return response.json()["error"]


# --- Recording ------------------------------------------------------------------


def test_a_user_records_an_event_in_their_own_stream(auth_client, user):
    response = auth_client.post(
        EVENTS,
        {"type": "cv.ats_scored", "payload": {"ats_score": 72}},
        HTTP_X_REQUEST_ID="req-1",
    )
    assert response.status_code == 201
    body = response.json()
    assert body["user_id"] == str(user.pk)
    assert (body["seq"], body["type"], body["app_source"]) == (
        1,
        "cv.ats_scored",
        "hub",
    )
    assert body["meta"] == {"request_id": "req-1", "actor": f"user:{user.pk}"}
    assert body["unregistered"] is False
    assert Event.objects.get(pk=body["id"]).user == user


def test_an_identical_replay_answers_200_with_the_stored_event(auth_client):
    event = {"id": str(uuid.uuid4()), "type": "luna.note", "payload": {"a": 1}}
    first = auth_client.post(EVENTS, event)
    again = auth_client.post(EVENTS, event)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"] == event["id"]
    assert Event.objects.count() == 1


def test_the_same_id_with_other_content_answers_409(auth_client):
    event_id = str(uuid.uuid4())
    auth_client.post(EVENTS, {"id": event_id, "type": "luna.note", "payload": {"a": 1}})
    response = auth_client.post(
        EVENTS, {"id": event_id, "type": "luna.note", "payload": {"a": 2}}
    )
    assert response.status_code == 409
    assert error(response)["code"] == "event_conflict"


def test_unknown_types_are_recorded_and_flagged(auth_client):
    response = auth_client.post(EVENTS, {"type": "website.page_viewed"})
    assert response.status_code == 201
    assert response.json()["unregistered"] is True


@pytest.mark.parametrize("type", ["energy.consumed", "billing.paid", "auth.logged_in"])
def test_clients_cannot_record_hub_owned_types(auth_client, type):
    response = auth_client.post(
        EVENTS, {"type": type, "payload": {"action": "mirror_match", "amount": 0}}
    )
    assert response.status_code == 403
    assert error(response)["code"] == "hub_owned_type"
    assert not Event.objects.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"type": "luna.note", "payload": [1, 2]}, "payload"),
        ({"type": "luna.note", "payload": "text"}, "payload"),
        ({"type": "luna.note", "payload": {"x": "y" * (17 * 1024)}}, "payload"),
        (
            {
                "type": "luna.note",
                # Computed at collection, up to many minutes before the test
                # runs on a busy machine: far beyond the 5-minute tolerance.
                "occurred_at": (timezone.now() + timedelta(days=1)).isoformat(),
            },
            "occurred_at",
        ),
        ({"type": "Luna Note"}, "type"),
        ({"type": "cv.ats_scored", "payload": {"ats_score": 101}}, "payload.ats_score"),
        ({"type": "luna.note", "app_source": "myspace"}, "app_source"),
        ({"type": "luna.note", "id": "42"}, "id"),
        ({"type": "luna.note", "occurred_at": "yesterday"}, "occurred_at"),
        ({"type": "luna.note", "occurred_at": "0001-01-01T00:00:00Z"}, "occurred_at"),
        (
            {"type": "luna.note", "occurred_at": "0001-01-01T00:00:00+05:00"},
            "occurred_at",
        ),
        ({"payload": {}}, "type"),
    ],
)
def test_invalid_events_answer_400_naming_the_field(auth_client, body, field):
    response = auth_client.post(EVENTS, body)
    assert response.status_code == 400
    assert error(response)["code"] == "invalid"
    assert field in error(response)["fields"]
    assert not Event.objects.exists()


def test_a_nul_character_in_a_payload_answers_400(auth_client):
    response = auth_client.post(
        EVENTS,
        '{"type": "luna.note", "payload": {"text": "a\\u0000b"}}',
        content_type="application/json",
    )
    assert response.status_code == 400
    assert not Event.objects.exists()


def test_an_infinite_number_in_a_payload_answers_400(auth_client):
    response = auth_client.post(
        EVENTS,
        '{"type": "luna.note", "payload": {"x": 1e400}}',
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "payload" in error(response)["fields"]


def test_a_user_token_cannot_record_for_someone_else(auth_client, other_user):
    response = auth_client.post(
        EVENTS, {"type": "luna.note", "user_id": str(other_user.pk)}
    )
    assert response.status_code == 403
    assert error(response)["code"] == "foreign_user"
    assert not Event.objects.exists()


def test_recording_needs_authentication(api_client):
    assert api_client.post(EVENTS, {"type": "luna.note"}).status_code == 401
    assert api_client.get(EVENTS).status_code == 401
    assert api_client.get(CAPITAL).status_code == 401


# --- Service keys -------------------------------------------------------------


def test_a_service_key_records_for_the_named_user(service_client_for, user):
    service = service_client_for(["narrative:write"])
    response = service.post(
        EVENTS,
        {
            "user_id": str(user.pk),
            "type": "letter.generated",
            "payload": {"company_name": "Acme", "position_title": "Dev"},
        },
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["user_id"], body["app_source"]) == (str(user.pk), "cv")
    assert body["meta"]["actor"] == "service:Phoenix CV"


def test_a_service_key_without_the_write_scope_is_403(service_client_for, user):
    service = service_client_for(["narrative:read"])
    response = service.post(EVENTS, {"user_id": str(user.pk), "type": "luna.note"})
    assert response.status_code == 403
    assert error(response)["code"] == "missing_scope"


def test_a_service_key_must_name_an_existing_user(service_client_for):
    service = service_client_for(["narrative:write"])
    assert service.post(EVENTS, {"type": "luna.note"}).status_code == 400
    missing = service.post(EVENTS, {"type": "luna.note", "user_id": str(uuid.uuid4())})
    assert missing.status_code == 404


def test_a_service_key_records_under_its_own_application_only(service_client_for, user):
    service = service_client_for(["narrative:write"], app_source="letters")
    response = service.post(
        EVENTS, {"user_id": str(user.pk), "type": "luna.note", "app_source": "cv"}
    )
    assert response.status_code == 403
    assert error(response)["code"] == "app_source_mismatch"
    same = service.post(
        EVENTS, {"user_id": str(user.pk), "type": "luna.note", "app_source": "letters"}
    )
    assert same.status_code == 201


def test_service_keys_cannot_record_hub_owned_types_either(service_client_for, user):
    service = service_client_for(["narrative:write", "energy:write"])
    response = service.post(
        EVENTS,
        {
            "user_id": str(user.pk),
            "type": "energy.consumed",
            "payload": {"action": "x", "amount": 1},
        },
    )
    assert response.status_code == 403
    assert error(response)["code"] == "hub_owned_type"


# --- Batches ---------------------------------------------------------------------


def test_a_batch_is_recorded_in_order(auth_client):
    response = auth_client.post(
        BATCH,
        {
            "events": [
                {"type": "user.session_started", "app_source": "website"},
                {"type": "cv.ats_scored", "payload": {"ats_score": 55}},
            ]
        },
    )
    assert response.status_code == 201
    body = response.json()
    assert body["created"] == 2
    assert [(e["seq"], e["created"]) for e in body["events"]] == [(1, True), (2, True)]


def test_a_batch_is_all_or_nothing_with_per_item_errors(auth_client):
    response = auth_client.post(
        BATCH,
        {
            "events": [
                {"type": "luna.note"},
                {"type": "cv.ats_scored", "payload": {"ats_score": 300}},
                {"type": "luna.note", "payload": [1]},
                {"type": "luna.note", "occurred_at": "soon"},
            ]
        },
    )
    assert response.status_code == 400
    fields = error(response)["fields"]
    assert "events.3.occurred_at" in fields  # shape errors first…
    response = auth_client.post(
        BATCH,
        {
            "events": [
                {"type": "luna.note"},
                {"type": "cv.ats_scored", "payload": {"ats_score": 300}},
                {"type": "luna.note", "payload": [1]},
            ]
        },
    )
    assert response.status_code == 400
    assert set(error(response)["fields"]) == {  # …then the event rules, per item
        "events.1.payload.ats_score",
        "events.2.payload",
    }
    assert not Event.objects.exists()


def test_a_batch_with_a_hub_owned_type_is_refused_whole(auth_client):
    response = auth_client.post(
        BATCH,
        {"events": [{"type": "luna.note"}, {"type": "billing.paid"}]},
    )
    assert response.status_code == 403
    assert list(error(response)["fields"]) == ["events.1.type"]
    assert not Event.objects.exists()


def test_a_batch_takes_at_most_100_events(auth_client):
    response = auth_client.post(BATCH, {"events": [{"type": "luna.note"}] * 101})
    assert response.status_code == 400
    assert "events" in error(response)["fields"]
    assert auth_client.post(BATCH, {"events": []}).status_code == 400


def test_a_replayed_batch_answers_200(auth_client):
    batch = {"events": [{"id": str(uuid.uuid4()), "type": "luna.note"}]}
    assert auth_client.post(BATCH, batch).status_code == 201
    again = auth_client.post(BATCH, batch)
    assert again.status_code == 200
    assert again.json()["created"] == 0


def test_a_service_key_records_a_batch_for_a_user(service_client_for, user):
    service = service_client_for(["narrative:write"], app_source="aube")
    response = service.post(
        BATCH,
        {"user_id": str(user.pk), "events": [{"type": "aube.persona_chosen"}] * 3},
    )
    assert response.status_code == 201
    assert Event.objects.for_user(user).filter(app_source="aube").count() == 3


# --- Listing -------------------------------------------------------------------


@pytest.fixture
def story(user, other_user):
    old = timezone.now() - timedelta(days=10)
    services.record(user=user, type="cv.optimized", app_source="cv", occurred_at=old)
    services.record(user=user, type="cv.ats_scored", payload={"ats_score": 70})
    services.record(user=user, type="aube.persona_chosen", app_source="aube")
    services.record(user=other_user, type="cv.optimized", payload={"secret": True})
    services.record(user=None, type="luna.model_switched")


def listed(response):
    assert response.status_code == 200, response.content
    return [(e["seq"], e["type"]) for e in response.json()["results"]]


def test_a_user_lists_only_their_own_events_newest_first(auth_client, story):
    assert listed(auth_client.get(EVENTS)) == [
        (3, "aube.persona_chosen"),
        (2, "cv.ats_scored"),
        (1, "cv.optimized"),
    ]


def test_a_foreign_users_events_are_invisible(auth_client, story, other_user):
    response = auth_client.get(EVENTS, {"user_id": str(other_user.pk)})
    assert response.status_code == 403
    assert "secret" not in auth_client.get(EVENTS).content.decode()


def test_events_can_be_filtered(auth_client, story):
    assert listed(auth_client.get(EVENTS, {"type": "cv.optimized"})) == [
        (1, "cv.optimized")
    ]
    assert [seq for seq, _ in listed(auth_client.get(EVENTS, {"type": "cv.*"}))] == [
        2,
        1,
    ]
    assert listed(auth_client.get(EVENTS, {"app": "aube"})) == [
        (3, "aube.persona_chosen")
    ]
    since = (timezone.now() - timedelta(days=1)).isoformat()
    assert len(listed(auth_client.get(EVENTS, {"since": since}))) == 2
    assert listed(auth_client.get(EVENTS, {"until": since})) == [(1, "cv.optimized")]


@pytest.mark.parametrize(
    "query",
    [
        {"since": "not a date"},
        {"type": "CV"},
        {"app": "myspace"},
        {"since": "2025-02-01T00:00:00Z", "until": "2025-01-01T00:00:00Z"},
        {"limit": "x"},
    ],
)
def test_bad_filters_answer_400(auth_client, story, query):
    response = auth_client.get(EVENTS, query)
    if "limit" in query:  # DRF ignores an unusable page size
        assert response.status_code == 200
    else:
        assert response.status_code == 400


def test_the_list_is_cursor_paginated(auth_client, user):
    services.record_many(user=user, events=[{"type": "luna.note"}] * 5)
    page = auth_client.get(EVENTS, {"limit": 2}).json()
    seqs = [e["seq"] for e in page["results"]]
    while page["next"]:
        page = auth_client.get(page["next"]).json()
        seqs += [e["seq"] for e in page["results"]]
    assert seqs == [5, 4, 3, 2, 1]


def test_a_service_key_with_the_read_scope_lists_a_users_events(
    service_client_for, story, user
):
    reader = service_client_for(["narrative:read"])
    assert len(listed(reader.get(EVENTS, {"user_id": str(user.pk)}))) == 3
    writer = service_client_for(["narrative:write"])
    response = writer.get(EVENTS, {"user_id": str(user.pk)})
    assert response.status_code == 403
    assert error(response)["code"] == "missing_scope"


# --- Capital Narratif ------------------------------------------------------------


def test_a_user_reads_their_capital_narratif(auth_client, story, user):
    response = auth_client.get(CAPITAL)
    assert response.status_code == 200
    body = response.json()
    assert body["user_id"] == str(user.pk)
    assert body["events_total"] == body["last_seq"] == 3
    assert body["counts_by_type"] == {
        "aube.persona_chosen": 1,
        "cv.ats_scored": 1,
        "cv.optimized": 1,
    }
    assert body["career_phase"]["code"] == "discovery"
    assert body["recommendations"][0]["code"] == "optimisation_cv"
    assert body["milestones"][0]["type"] == "cv.ats_scored"


def test_the_capital_narratif_of_someone_else_is_403(auth_client, other_user):
    response = auth_client.get(CAPITAL, {"user_id": str(other_user.pk)})
    assert response.status_code == 403


def test_a_service_key_reads_a_users_capital_narratif(service_client_for, story, user):
    reader = service_client_for(["narrative:read"])
    response = reader.get(CAPITAL, {"user_id": str(user.pk)})
    assert response.status_code == 200
    assert response.json()["events_total"] == 3
    denied = service_client_for(["energy:read"]).get(CAPITAL, {"user_id": str(user.pk)})
    assert denied.status_code == 403
