"""Recording events, and everything else that reads or rewrites the store.

``record`` (and ``record_many``) is the only way to write an event. It owns a
``transaction.atomic()`` (or joins a caller's transaction: energy debits a
wallet and records ``energy.consumed`` in one transaction), locks the user's
stream head (``SELECT … FOR UPDATE``, in ``narrative.heads`` with the other
statements of the append path) and never locks rows of other apps, so the
project's lock order (wallet → stream) holds.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from narrative import capital as projection
from narrative import heads, types, verification
from narrative.chain import event_hash
from narrative.drafts import Draft, invalid_message, prepare, record_arguments
from narrative.errors import EventConflict, HubOwnedType, InvalidEvent, NarrativeError
from narrative.models import CapitalNarratif, Event, Stream

BATCH_MAX = 100

Problem = verification.Problem
User = AbstractBaseUser  # settings.AUTH_USER_MODEL; narrative imports no app of ours

__all__ = [
    "BATCH_MAX",
    "EventConflict",
    "HubOwnedType",
    "InvalidEvent",
    "NarrativeError",
    "Problem",
    "capital",
    "check_client_writable",
    "erase_events",
    "export_events",
    "rebuild_capital",
    "record",
    "record_many",
    "verify_stream",
]


def record(
    *,
    user: User | None,
    type: str,
    payload: dict | None = None,
    app_source: str = "hub",
    occurred_at: datetime | None = None,
    event_id: uuid.UUID | None = None,
    meta: dict | None = None,
) -> tuple[Event, bool]:
    """Append an event to ``user``'s stream (``None``: the system stream).

    Return ``(event, created)``. Re-sending an ``event_id`` with the same
    content (user, type, app_source, payload and, when given, occurred_at)
    returns the stored event with ``created=False``; other content under that
    id raises ``EventConflict`` (409).
    """
    draft = prepare(
        type=type,
        payload=payload,
        app_source=app_source,
        occurred_at=occurred_at,
        event_id=event_id,
        meta=meta,
    )
    return _append_all(user, [draft], batch=False)[0]


def record_many(*, user: User | None, events: list[dict]) -> list[tuple[Event, bool]]:
    """Record a batch for one user: all of it, or nothing.

    Each item takes ``record``'s keyword arguments (``type``, ``payload``,
    ``app_source``, ``occurred_at``, ``event_id``, ``meta``). Errors name the
    item: ``fields`` keys look like ``events.3.type``.
    """
    if not isinstance(events, list) or not events:
        raise InvalidEvent(
            _("Send at least one event."), fields={"events": [_("Required.")]}
        )
    if len(events) > BATCH_MAX:
        message = _("At most %(n)d events per batch.") % {"n": BATCH_MAX}
        raise InvalidEvent(message, fields={"events": [message]})
    drafts, errors = [], {}
    for index, item in enumerate(events):
        try:
            if not isinstance(item, dict):
                raise InvalidEvent(
                    _("Must be a JSON object."),
                    fields={"": [_("Must be a JSON object.")]},
                )
            drafts.append(prepare(**record_arguments(item)))
        except InvalidEvent as error:
            for name, messages in error.fields.items():
                errors[f"events.{index}.{name}" if name else f"events.{index}"] = (
                    messages
                )
    if errors:
        raise InvalidEvent(invalid_message(errors), fields=errors)
    return _append_all(user, drafts, batch=True)


def check_client_writable(type: str, *, field: str = "type") -> None:
    """Refuse (403) a hub-owned type (``energy.*``, ``billing.*``, ``auth.*``)."""
    if not types.is_client_writable(type):
        message = _("Events of type %(type)s are recorded by the hub only.") % {
            "type": type
        }
        raise HubOwnedType(message, fields={field: [message]})


def _append_all(
    user: User | None, drafts: list[Draft], *, batch: bool
) -> list[tuple[Event, bool]]:
    """Append ``drafts`` in order under one lock of the stream head.

    Only ids sent by the caller can be replays; generated ones are new.
    """
    given = [draft.id for draft in drafts if draft.id_given]
    if given and len(given) == len(drafts):
        stored = Event.objects.in_bulk(given)
        if len(stored) == len(set(given)):
            # Pure replay (a client retrying): no lock, no write.
            return [
                (_replay(stored[draft.id], draft, user, index, batch), False)
                for index, draft in enumerate(drafts)
            ]
    # A savepoint is needed only to report a conflict on an id the caller
    # chose; generated ids (uuid4) cannot collide, so inside a caller's
    # transaction (energy's debit) they skip the SAVEPOINT/RELEASE round trips.
    savepoint = bool(given) or not connection.in_atomic_block
    try:
        with transaction.atomic(savepoint=savepoint):
            head = _lock_head(user)
            results, created = [], []
            for index, draft in enumerate(drafts):
                existing = (
                    Event.objects.filter(pk=draft.id).first()
                    if draft.id_given
                    else None
                )
                if existing is not None:
                    existing = _replay(existing, draft, user, index, batch)
                    results.append((existing, False))
                    continue
                event = _new_event(head, user, draft)
                heads.insert_row(event, heads.INSERT_EVENT)
                head.last_seq, head.last_hash = event.seq, event.hash
                results.append((event, True))
                created.append(event)
            if created:
                now = timezone.now()
                folded = _project(user, created, head, now=now) if user else None
                heads.advance(head, now=now, folded=folded)
            return results
    except IntegrityError:
        # Another stream took one of these ids at the same moment: this
        # transaction rolled back; report the conflict with what it stored.
        for index, draft in enumerate(drafts):
            existing = Event.objects.filter(pk=draft.id).first()
            if existing is not None:
                _replay(existing, draft, user, index, batch)
        raise


def _lock_head(user: User | None) -> heads.Head:
    """Lock the head of ``user``'s stream, with the projection row read in the
    same statement (creating the stream on its first event)."""
    head = heads.lock(user) if user is not None else None
    if head is None:
        stream = _lock_stream(user)
        head = heads.lock(user) if user is not None else heads.Head.of(stream)
    return head


def _lock_stream(user: User | None) -> Stream:
    """Lock (creating it if need be) the head of ``user``'s stream."""
    lookup = {"user": user} if user is not None else {"system": True}
    head = Stream.objects.select_for_update().filter(**lookup).first()
    if head is not None:
        return head
    try:
        with transaction.atomic():  # savepoint: a concurrent creator may win
            Stream.objects.create(**lookup)
    except IntegrityError:
        pass
    return Stream.objects.select_for_update().get(**lookup)


def _new_event(head: heads.Head, user: User | None, draft: Draft) -> Event:
    seq, user_id = head.last_seq + 1, (user.pk if user is not None else None)
    return Event(
        id=draft.id,
        user=user,
        seq=seq,
        type=draft.type,
        app_source=draft.app_source,
        payload=draft.payload,
        payload_digest=draft.payload_digest,
        meta=draft.meta,
        occurred_at=draft.occurred_at,
        recorded_at=timezone.now(),
        prev_hash=head.last_hash,
        hash=event_hash(
            id=draft.id,
            user_id=user_id,
            seq=seq,
            type=draft.type,
            app_source=draft.app_source,
            payload_digest=draft.payload_digest,
            occurred_at=draft.occurred_at,
            prev_hash=head.last_hash,
        ),
        unregistered=draft.unregistered,
    )


def _replay(
    existing: Event, draft: Draft, user: User | None, index: int, batch: bool
) -> Event:
    same = (
        existing.user_id == (user.pk if user is not None else None)
        and existing.type == draft.type
        and existing.app_source == draft.app_source
        and existing.payload_digest == draft.payload_digest
        and (not draft.occurred_at_given or existing.occurred_at == draft.occurred_at)
    )
    if not same:
        message = _("This event id was already used for another event.")
        key = f"events.{index}.id" if batch else "id"
        raise EventConflict(message, fields={key: [message]})
    return existing


# --- The Capital Narratif ----------------------------------------------------


def _project(
    user: User, new_events: list[Event], head: heads.Head, *, now: datetime
) -> heads.Folded | None:
    """Fold just-appended events into the projection (same transaction).

    ``head`` carries the row read with the stream lock; the row folded forward
    is returned for ``heads.advance`` to store with the head. A first row is
    created, and a missing, outdated or lagging one rebuilt, here (None).
    """
    first_seq = new_events[0].seq
    if head.capital_id is None and first_seq == 1:
        state = projection.empty_state()
    elif (
        head.capital_id is None
        or head.capital_version != projection.VERSION
        or head.capital_seq != first_seq - 1
    ):
        _rebuild_locked(user)  # missing, outdated or behind: fold from scratch
        return None
    else:
        state = head.capital_state
    for event in new_events:
        projection.apply(state, event)
    version, last_seq = projection.VERSION, new_events[-1].seq
    if head.capital_id is None:
        CapitalNarratif.objects.create(
            user=user, version=version, last_seq=last_seq, state=state, updated_at=now
        )
        return None
    return heads.Folded(head.capital_id, version, last_seq, state)


def _rebuild_locked(user: User) -> CapitalNarratif:
    """Fold ``user``'s whole stream; the caller holds the stream lock."""
    events = (
        Event.objects.for_user(user)
        .chronological()
        .only("id", "seq", "type", "app_source", "payload", "occurred_at")
    )
    state = projection.empty_state()
    last_seq = 0
    for event in events.iterator(chunk_size=2000):
        projection.apply(state, event)
        last_seq = event.seq
    row, _created = CapitalNarratif.objects.update_or_create(
        user=user,
        defaults={
            "version": projection.VERSION,
            "last_seq": last_seq,
            "state": state,
            "updated_at": timezone.now(),
        },
    )
    return row


def capital(*, user: User) -> dict[str, Any]:
    """The user's Capital Narratif, read from its projection row."""
    row = CapitalNarratif.objects.filter(user=user).first()
    if row is None or row.version != projection.VERSION:
        if Event.objects.for_user(user).exists():
            row = _rebuild_one(user)
        else:
            row = CapitalNarratif(last_seq=0, state=projection.empty_state())
    return {"user_id": str(user.pk), "last_seq": row.last_seq} | projection.render(
        row.state
    )


def _rebuild_one(user: User) -> CapitalNarratif:
    with transaction.atomic():
        _lock_stream(user)
        return _rebuild_locked(user)


def rebuild_capital(
    *,
    user: User | None = None,
    progress: Callable[[int, int, Any, int], None] | None = None,
) -> int:
    """Recompute the Capital Narratif of ``user`` (or of every user) from events.

    Each user is rebuilt in its own short transaction, holding their stream
    lock. ``progress(done, total, user_id, last_seq)`` is called after each.
    Return the number of users rebuilt.
    """
    if user is not None:
        heads = Stream.objects.filter(user=user)
    else:
        heads = Stream.objects.filter(user__isnull=False).order_by("id")
    user_ids = list(heads.values_list("user_id", flat=True))
    for done, user_id in enumerate(user_ids, start=1):
        owner = user if user is not None else _user_model(user_id)
        row = _rebuild_one(owner)
        if progress is not None:
            progress(done, len(user_ids), user_id, row.last_seq)
    return len(user_ids)


def _user_model(user_id):
    return get_user_model().objects.get(pk=user_id)


# --- Verification and GDPR -----------------------------------------------------


def verify_stream(*, user: User | None = None) -> list[Problem]:
    """Problems found in ``user``'s stream, or in every stream when None."""
    return verification.verify(user=user).problems


def export_events(*, user: User) -> list[dict[str, Any]]:
    """All of ``user``'s events, oldest first, as JSON-ready dicts."""
    return [
        event_as_dict(event)
        for event in Event.objects.for_user(user).chronological().iterator()
    ]


def event_as_dict(event: Event) -> dict[str, Any]:
    return {
        "id": str(event.id),
        "seq": event.seq,
        "type": event.type,
        "app_source": event.app_source,
        "payload": event.payload,
        "meta": event.meta,
        "occurred_at": event.occurred_at.isoformat(),
        "recorded_at": event.recorded_at.isoformat(),
        "hash": event.hash,
        "prev_hash": event.prev_hash,
        "unregistered": event.unregistered,
        "redacted_at": event.redacted_at.isoformat() if event.redacted_at else None,
    }


def erase_events(*, user: User) -> int:
    """Redact the payloads of ``user``'s events; return how many were redacted.

    Digests and hashes stay, so the chain still verifies. On PostgreSQL the
    append-only trigger lets this one UPDATE through while the transaction-local
    setting ``narrative.allow_redaction`` is on; it is switched off again at
    once, so a caller's enclosing transaction does not keep the permission.
    The Capital Narratif is rebuilt from the redacted events.
    """
    with transaction.atomic():
        if not Stream.objects.filter(user=user).exists():
            return 0
        _lock_stream(user)
        _allow_redaction(True)
        try:
            count = (
                Event.objects.for_user(user)
                .filter(redacted_at__isnull=True)
                ._redact(at=timezone.now())
            )
        finally:
            _allow_redaction(False)
        _rebuild_locked(user)
    return count


def _allow_redaction(on: bool) -> None:
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT set_config('narrative.allow_redaction', %s, true)",
            ["on" if on else "off"],
        )
