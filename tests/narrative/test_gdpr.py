import pytest

from narrative import services
from narrative.models import REDACTED, Event

pytestmark = pytest.mark.django_db


def record_story(user):
    services.record(
        user=user,
        type="cv.ats_scored",
        payload={"ats_score": 64, "skills": ["Python"], "target_role": "Data analyst"},
        app_source="cv",
    )
    services.record(
        user=user,
        type="letter.generated",
        payload={"company_name": "Acme", "position_title": "Data analyst"},
        app_source="letters",
    )


def test_export_lists_every_event_of_the_user_oldest_first(user, other_user):
    record_story(user)
    services.record(user=other_user, type="luna.note", payload={"secret": 1})
    exported = services.export_events(user=user)
    assert [e["seq"] for e in exported] == [1, 2]
    assert exported[1]["payload"]["company_name"] == "Acme"
    assert {"id", "type", "app_source", "occurred_at", "hash"} <= set(exported[0])


def test_erasure_redacts_payloads_and_keeps_the_chain_valid(user):
    record_story(user)
    before = list(Event.objects.for_user(user).chronological())
    assert services.erase_events(user=user) == 2
    after = list(Event.objects.for_user(user).chronological())
    assert [e.payload for e in after] == [REDACTED, REDACTED]
    assert all(e.redacted_at is not None for e in after)
    assert [(e.hash, e.payload_digest) for e in after] == [
        (e.hash, e.payload_digest) for e in before
    ]
    assert services.verify_stream(user=user) == []
    assert services.verify_stream() == []


def test_erasure_removes_payload_details_from_the_capital_narratif(user):
    record_story(user)
    assert services.capital(user=user)["skills"] == ["Python"]
    services.erase_events(user=user)
    capital = services.capital(user=user)
    assert capital["skills"] == []
    assert capital["target_roles"] == []
    assert all(m["details"] == {} for m in capital["milestones"])
    assert capital["events_total"] == 2


def test_erasure_is_idempotent_and_new_events_still_chain(user):
    record_story(user)
    services.erase_events(user=user)
    assert services.erase_events(user=user) == 0
    event, _ = services.record(user=user, type="user.session_started")
    assert event.seq == 3
    assert services.verify_stream(user=user) == []


def test_erasing_a_user_without_events_does_nothing(user):
    assert services.erase_events(user=user) == 0


def test_a_replay_after_erasure_still_matches_the_stored_event(user):
    event, _ = services.record(user=user, type="luna.note", payload={"text": "hi"})
    services.erase_events(user=user)
    _, created = services.record(
        user=user, type="luna.note", payload={"text": "hi"}, event_id=event.id
    )
    assert created is False
