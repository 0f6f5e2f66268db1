"""Real concurrency on PostgreSQL: threads, each on its own connection."""

import threading
import uuid

import pytest
from django.db import connection

from narrative import services
from narrative.models import Event, Stream

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

THREADS = 16
PER_THREAD = 8


def run_together(target, count: int) -> list:
    """Start ``count`` threads at once; return what each returned or raised."""
    barrier = threading.Barrier(count)
    results: list = [None] * count

    def work(index: int) -> None:
        try:
            barrier.wait()
            results[index] = target(index)
        except Exception as error:
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_16_threads_appending_to_one_stream_get_contiguous_seqs_and_one_chain(user):
    def append(index: int):
        return [
            services.record(user=user, type="luna.note", payload={"t": index, "n": n})
            for n in range(PER_THREAD)
        ]

    results = run_together(append, THREADS)
    assert not [r for r in results if isinstance(r, Exception)]
    seqs = list(
        Event.objects.for_user(user).chronological().values_list("seq", flat=True)
    )
    assert seqs == list(range(1, THREADS * PER_THREAD + 1))
    assert Stream.objects.get(user=user).last_seq == THREADS * PER_THREAD
    assert services.verify_stream(user=user) == []
    capital = services.capital(user=user)
    assert capital["events_total"] == capital["last_seq"] == THREADS * PER_THREAD


def test_concurrent_batches_interleave_without_forking_the_chain(user):
    def append(index: int):
        return services.record_many(
            user=user,
            events=[{"type": "luna.note", "payload": {"t": index}}] * 5,
        )

    run_together(append, 8)
    assert Event.objects.for_user(user).count() == 40
    assert services.verify_stream(user=user) == []


def test_one_id_sent_concurrently_by_one_user_is_recorded_once(user):
    event_id = uuid.uuid4()

    def send(index: int):
        return services.record(
            user=user, type="luna.note", payload={"x": 1}, event_id=event_id
        )[1]

    created = run_together(send, 8)
    assert sorted(created) == [False] * 7 + [True]
    assert Event.objects.for_user(user).count() == 1


def test_one_id_sent_concurrently_for_two_users_is_recorded_once(user, other_user):
    event_id = uuid.uuid4()
    owners = [user, other_user] * 4

    def send(index: int):
        return services.record(user=owners[index], type="luna.note", event_id=event_id)

    results = run_together(send, 8)
    conflicts = [r for r in results if isinstance(r, services.EventConflict)]
    others = [r for r in results if isinstance(r, Exception)]
    assert len(conflicts) == 4
    assert others == conflicts
    assert Event.objects.count() == 1
    assert services.verify_stream() == []


def test_first_appends_of_many_users_create_their_heads_race_free(make_user):
    users = [make_user() for _ in range(4)]

    def append(index: int):
        return services.record(user=users[index % 4], type="luna.note")

    results = run_together(append, 12)
    assert not [r for r in results if isinstance(r, Exception)]
    assert Stream.objects.filter(user__in=users).count() == 4
    assert services.verify_stream() == []
