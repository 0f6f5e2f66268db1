"""Check that every stream is intact: seqs 1..n, links, digests, hashes, head.

A stream is read once, in seq order, and checking stops at its first broken
event (everything after it would fail too); that event is the one named.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.db.models import Sum

from narrative.chain import GENESIS, event_hash, payload_digest
from narrative.models import REDACTED, Event, Stream

FIELDS = (
    "id",
    "user_id",
    "seq",
    "type",
    "app_source",
    "payload",
    "payload_digest",
    "occurred_at",
    "prev_hash",
    "hash",
    "redacted_at",
)


@dataclass(frozen=True)
class Problem:
    stream: str  # the user id, or "system"
    code: str  # seq_gap, broken_link, payload_altered, hash_mismatch, head_mismatch…
    message: str
    event_id: uuid.UUID | None = None
    seq: int | None = None

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class Report:
    streams: int
    events: int
    problems: list[Problem]


def verify(*, user=None) -> Report:
    """Verify ``user``'s stream, or every stream (users and system) when None."""
    if user is not None:
        head = Stream.objects.filter(user=user).first()
        problem, count = _verify_stream(str(user.pk), user.pk, head)
        return Report(streams=1, events=count, problems=[problem] if problem else [])
    problems: list[Problem] = []
    streams = events = 0
    for head in Stream.objects.order_by("id").iterator():
        label = "system" if head.system else str(head.user_id)
        problem, count = _verify_stream(label, head.user_id, head)
        streams += 1
        events += count
        if problem:
            problems.append(problem)
    problems.extend(_orphans())
    return Report(streams=streams, events=events, problems=problems)


def _verify_stream(label: str, user_id, head: Stream | None):
    """Return (the first problem or None, the number of events read)."""
    expected, prev, last = 1, GENESIS, None
    rows = (
        Event.objects.filter(user_id=user_id)
        if user_id is not None
        else Event.objects.filter(user__isnull=True)
    )
    rows = rows.order_by("seq").values_list(*FIELDS, named=True)
    for row in rows.iterator(chunk_size=2000):
        problem = _check(label, row, expected, prev)
        if problem:
            return problem, expected
        expected, prev, last = expected + 1, row.hash, row
    count = expected - 1
    head_seq = head.last_seq if head else 0
    head_hash = head.last_hash if head else GENESIS
    if head_seq != count or head_hash != prev:
        where = f"event {last.id} (seq {last.seq})" if last else "no event"
        return (
            Problem(
                stream=label,
                code="head_mismatch",
                message=f"Stream {label}: the head says seq {head_seq} but the "
                f"last event is {where}; events are missing or the head moved.",
                event_id=last.id if last else None,
                seq=last.seq if last else None,
            ),
            count,
        )
    return None, count


def _check(label: str, row, expected: int, prev: str) -> Problem | None:
    def problem(code: str, what: str) -> Problem:
        return Problem(
            stream=label,
            code=code,
            message=f"Stream {label}: event {row.id} (seq {row.seq}) {what}.",
            event_id=row.id,
            seq=row.seq,
        )

    if row.seq != expected:
        return problem("seq_gap", f"comes where seq {expected} was expected")
    if row.prev_hash != prev:
        return problem("broken_link", "does not link to the previous event's hash")
    if row.redacted_at is not None:
        if row.payload != REDACTED:
            return problem("payload_altered", "is redacted but holds a payload")
    elif payload_digest(row.payload) != row.payload_digest:
        return problem(
            "payload_altered", "has a payload that no longer matches its digest"
        )
    recomputed = event_hash(
        id=row.id,
        user_id=row.user_id,
        seq=row.seq,
        type=row.type,
        app_source=row.app_source,
        payload_digest=row.payload_digest,
        occurred_at=row.occurred_at,
        prev_hash=row.prev_hash,
    )
    if recomputed != row.hash:
        return problem("hash_mismatch", "does not match its hash")
    return None


def _orphans() -> list[Problem]:
    """Events whose stream has no head (cheap when the totals agree)."""
    expected = Stream.objects.aggregate(n=Sum("last_seq"))["n"] or 0
    if Event.objects.count() == expected:
        return []
    headless = (
        Event.objects.filter(user__isnull=False, user__narrative_stream__isnull=True)
        .values_list("user_id", flat=True)
        .distinct()
    )
    problems = [
        Problem(
            stream=str(user_id),
            code="no_head",
            message=f"Stream {user_id}: events exist but the stream has no head.",
        )
        for user_id in headless
    ]
    if (
        Event.objects.filter(user__isnull=True).exists()
        and not Stream.objects.filter(system=True).exists()
    ):
        problems.append(
            Problem(
                stream="system",
                code="no_head",
                message="Stream system: events exist but the stream has no head.",
            )
        )
    return problems
