import uuid
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from narrative import services
from narrative.chain import GENESIS, event_hash, payload_digest
from narrative.models import Event, Stream

pytestmark = pytest.mark.django_db


def test_record_appends_contiguous_seqs_linked_by_hashes(user):
    events = [
        services.record(user=user, type="user.session_started")[0] for _ in range(3)
    ]
    assert [e.seq for e in events] == [1, 2, 3]
    assert events[0].prev_hash == GENESIS
    assert events[1].prev_hash == events[0].hash
    assert events[2].prev_hash == events[1].hash
    head = Stream.objects.get(user=user)
    assert (head.last_seq, head.last_hash) == (3, events[2].hash)


def test_the_hash_covers_the_chained_fields_and_the_payload_digest(user):
    event, _ = services.record(
        user=user, type="cv.ats_scored", payload={"ats_score": 81}, app_source="cv"
    )
    event.refresh_from_db()
    assert event.payload_digest == payload_digest({"ats_score": 81})
    assert event.hash == event_hash(
        id=event.id,
        user_id=user.pk,
        seq=1,
        type="cv.ats_scored",
        app_source="cv",
        payload_digest=event.payload_digest,
        occurred_at=event.occurred_at,
        prev_hash=GENESIS,
    )


def test_each_user_has_their_own_stream(user, other_user):
    services.record(user=user, type="user.session_started")
    event, _ = services.record(user=other_user, type="user.session_started")
    assert event.seq == 1
    assert event.prev_hash == GENESIS


def test_system_events_form_their_own_stream(user):
    services.record(user=user, type="user.session_started")
    first, _ = services.record(user=None, type="luna.model_switched")
    second, _ = services.record(user=None, type="luna.model_switched")
    assert (first.user_id, first.seq, second.seq) == (None, 1, 2)
    assert Stream.objects.get(system=True).last_seq == 2
    assert services.verify_stream() == []


def test_an_identical_replay_returns_the_stored_event(user):
    event_id = uuid.uuid4()
    kwargs = {
        "user": user,
        "type": "letter.generated",
        "payload": {"company_name": "Acme", "position_title": "Data analyst"},
        "app_source": "letters",
        "event_id": event_id,
    }
    first, created = services.record(**kwargs)
    again, created_again = services.record(**kwargs, meta={"request_id": "retry"})
    assert (created, created_again) == (True, False)
    assert again.pk == first.pk == event_id
    assert again.seq == 1
    assert Event.objects.for_user(user).count() == 1


def test_a_replay_without_occurred_at_matches_the_stored_time(user):
    moment = timezone.now() - timedelta(hours=2)
    event_id = uuid.uuid4()
    services.record(
        user=user, type="user.session_started", occurred_at=moment, event_id=event_id
    )
    again, created = services.record(
        user=user, type="user.session_started", event_id=event_id
    )
    assert created is False
    assert again.occurred_at == moment


@pytest.mark.parametrize(
    "change",
    [
        {"payload": {"ats_score": 90}},
        {"type": "cv.optimized"},
        {"app_source": "website"},
        {"occurred_at": timezone.now() - timedelta(days=1)},
    ],
)
def test_the_same_id_with_other_content_is_a_conflict(user, change):
    event_id = uuid.uuid4()
    base = {
        "user": user,
        "type": "cv.ats_scored",
        "payload": {"ats_score": 70},
        "app_source": "cv",
        "event_id": event_id,
        "occurred_at": timezone.now() - timedelta(minutes=1),
    }
    services.record(**base)
    with pytest.raises(services.EventConflict) as raised:
        services.record(**(base | change))
    assert raised.value.status_code == 409
    assert raised.value.error_code == "event_conflict"
    assert Event.objects.for_user(user).count() == 1


def test_an_id_used_by_another_user_is_a_conflict(user, other_user):
    event_id = uuid.uuid4()
    services.record(user=user, type="user.session_started", event_id=event_id)
    with pytest.raises(services.EventConflict):
        services.record(user=other_user, type="user.session_started", event_id=event_id)
    assert not Stream.objects.filter(user=other_user, last_seq__gt=0).exists()


def test_unknown_types_are_accepted_and_flagged_unregistered(user):
    known, _ = services.record(user=user, type="cv.optimized")
    family, _ = services.record(user=user, type="aube.persona_chosen")
    unknown, _ = services.record(user=user, type="website.page_viewed")
    assert (known.unregistered, family.unregistered) == (False, False)
    assert unknown.unregistered is True


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"payload": [1, 2]}, "payload"),
        ({"payload": "text"}, "payload"),
        ({"payload": {"note": "a\x00b"}}, "payload.note"),
        ({"payload": {"a\x00": 1}}, "payload"),
        ({"payload": {"x": float("nan")}}, "payload.x"),
        ({"payload": {"x": "é" * 9000}}, "payload"),
        # Far beyond the 5-minute tolerance: the value is computed at collection,
        # minutes before this test runs in a full suite.
        ({"occurred_at": timezone.now() + timedelta(hours=1)}, "occurred_at"),
        ({"type": "Not A Type"}, "type"),
        ({"type": "single"}, "type"),
        ({"type": "a." + "b" * 100}, "type"),
        ({"app_source": "elsewhere"}, "app_source"),
        ({"event_id": "not-a-uuid"}, "id"),
        ({"meta": {"blob": "x" * 5000}}, "meta"),
    ],
)
def test_invalid_events_are_refused_with_the_field_named(user, kwargs, field):
    arguments = {"user": user, "type": "user.action_completed"} | kwargs
    arguments.setdefault("payload", {"action": "conseil_rapide"})
    with pytest.raises(services.InvalidEvent) as raised:
        services.record(**arguments)
    assert raised.value.status_code == 400
    assert field in raised.value.fields
    assert not Event.objects.exists()


def test_a_payload_of_exactly_16_kb_is_accepted(user):
    filler = "x" * (16 * 1024 - len('{"x":""}'))
    event, _ = services.record(user=user, type="luna.note", payload={"x": filler})
    assert len(event.payload["x"]) == len(filler)


def test_occurred_at_may_be_a_little_in_the_future_for_clock_skew(user):
    soon = timezone.now() + timedelta(minutes=4)
    event, _ = services.record(user=user, type="luna.note", occurred_at=soon)
    assert event.occurred_at == soon


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({}, "payload.ats_score"),
        ({"ats_score": 101}, "payload.ats_score"),
        ({"ats_score": -1}, "payload.ats_score"),
        ({"ats_score": "90"}, "payload.ats_score"),
        ({"ats_score": True}, "payload.ats_score"),
        ({"ats_score": 50, "skills": "Python"}, "payload.skills"),
    ],
)
def test_registered_types_validate_their_payload(user, payload, field):
    with pytest.raises(services.InvalidEvent) as raised:
        services.record(user=user, type="cv.ats_scored", payload=payload)
    assert list(raised.value.fields) == [field]


def test_integral_floats_are_stored_as_integers_so_digests_agree_everywhere(user):
    event, _ = services.record(
        user=user, type="luna.note", payload={"big": 1e20, "half": 0.5}
    )
    event.refresh_from_db()
    assert event.payload == {"big": 10**20, "half": 0.5}
    assert services.verify_stream(user=user) == []


def test_record_joins_the_callers_transaction(user):
    with pytest.raises(RuntimeError), transaction.atomic():
        services.record(user=user, type="user.session_started")
        raise RuntimeError("the caller's work failed")
    assert not Event.objects.exists()
    assert Stream.objects.filter(user=user, last_seq__gt=0).count() == 0


def test_a_conflict_inside_a_callers_transaction_leaves_it_usable(user):
    event_id = uuid.uuid4()
    services.record(user=user, type="user.session_started", event_id=event_id)
    with transaction.atomic():
        with pytest.raises(services.EventConflict):
            services.record(user=user, type="cv.optimized", event_id=event_id)
        event, _ = services.record(user=user, type="cv.optimized")
    assert event.seq == 2


def test_record_many_appends_in_order(user):
    results = services.record_many(
        user=user,
        events=[
            {"type": "user.session_started"},
            {"type": "cv.ats_scored", "payload": {"ats_score": 60}, "app_source": "cv"},
        ],
    )
    assert [(e.seq, created) for e, created in results] == [(1, True), (2, True)]


def test_record_many_is_all_or_nothing_with_per_item_errors(user):
    with pytest.raises(services.InvalidEvent) as raised:
        services.record_many(
            user=user,
            events=[
                {"type": "user.session_started"},
                {"type": "cv.ats_scored", "payload": {"ats_score": 300}},
                "not an object",
                {"type": "luna.note", "colour": "blue"},
                {"type": "x"},
            ],
        )
    assert set(raised.value.fields) == {
        "events.1.payload.ats_score",
        "events.2",
        "events.3.colour",
        "events.4.type",
    }
    assert not Event.objects.exists()


def test_record_many_rolls_back_everything_on_a_conflict(user):
    taken = uuid.uuid4()
    services.record(user=user, type="user.session_started", event_id=taken)
    with pytest.raises(services.EventConflict) as raised:
        services.record_many(
            user=user,
            events=[
                {"type": "luna.note"},
                {"type": "cv.optimized", "event_id": taken},
            ],
        )
    assert list(raised.value.fields) == ["events.1.id"]
    assert Event.objects.for_user(user).count() == 1


def test_record_many_replays_known_ids_and_appends_new_ones(user):
    known = uuid.uuid4()
    services.record(user=user, type="luna.note", event_id=known)
    results = services.record_many(
        user=user,
        events=[{"type": "luna.note", "event_id": known}, {"type": "luna.note"}],
    )
    assert [(e.seq, created) for e, created in results] == [(1, False), (2, True)]


def test_record_many_refuses_more_than_100_events(user):
    with pytest.raises(services.InvalidEvent) as raised:
        services.record_many(user=user, events=[{"type": "luna.note"}] * 101)
    assert "events" in raised.value.fields


def test_queryset_helpers_read_a_users_events(user, other_user):
    old = timezone.now() - timedelta(days=40)
    services.record(user=user, type="cv.optimized", occurred_at=old)
    services.record(user=user, type="cv.optimized")
    services.record(
        user=user,
        type="letter.generated",
        payload={"company_name": "Acme", "position_title": "Dev"},
    )
    services.record(user=other_user, type="cv.optimized")
    recent = (
        Event.objects.for_user(user)
        .of_types(["cv.optimized", "mirror_match.*"])
        .since(timezone.now() - timedelta(days=30))
    )
    assert recent.count() == 1
    assert Event.objects.for_user(user).of_types(["letter.*"]).count() == 1
    assert Event.objects.for_user(user).of_types([]).count() == 0
