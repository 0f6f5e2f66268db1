"""The append path's statements on a user's stream, in plain SQL.

Every event a user records (every energy debit records ``energy.consumed``)
locks the stream head, inserts the event, then moves the head and the Capital
Narratif row forward. Through the ORM that is five statements whose query
building costs about a millisecond of CPU each on our servers
(docs/benchmarks.md); here they are four plain ones (three on PostgreSQL,
which moves the head and the projection in one), and the lock reads the
projection row in the same statement.

Values go through the model fields' own conversions (``get_db_prep_save``,
``from_db_value``), so the columns hold exactly what the ORM would write, on
PostgreSQL and SQLite alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import connection

from narrative.models import CapitalNarratif, Stream


@dataclass
class Head:
    """A locked stream head and the user's projection row (if any)."""

    pk: int
    last_seq: int
    last_hash: str
    capital_id: int | None = None
    capital_version: int | None = None
    capital_seq: int | None = None
    capital_state: dict[str, Any] | None = None

    @classmethod
    def of(cls, stream: Stream) -> Head:
        return cls(pk=stream.pk, last_seq=stream.last_seq, last_hash=stream.last_hash)


def _param(model, name: str, value: Any) -> Any:
    return model._meta.get_field(name).get_db_prep_save(value, connection)


# The tables and columns of Stream and CapitalNarratif (tests/narrative checks
# these names against the models).
LOCK = """
    SELECT s.id, s.last_seq, s.last_hash, c.id, c.version, c.last_seq, c.state
    FROM narrative_stream s
    LEFT JOIN narrative_capitalnarratif c ON c.user_id = s.user_id
    WHERE s.user_id = %s
"""
LOCK_ROW = LOCK + "FOR UPDATE"
LOCK_HEAD_ROW = LOCK + "FOR UPDATE OF s"
ADVANCE = """
    UPDATE narrative_stream SET last_seq = %s, last_hash = %s, updated_at = %s
    WHERE id = %s
"""
# Columns in the order of the model's concrete fields (``insert_row``).
INSERT_EVENT = """
    INSERT INTO narrative_event (id, user_id, seq, type, app_source, payload,
        payload_digest, meta, occurred_at, recorded_at, prev_hash, hash,
        unregistered, redacted_at)
    VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)
"""
SAVE_CAPITAL = """
    UPDATE narrative_capitalnarratif
    SET version = %s, last_seq = %s, state = %s, updated_at = %s
    WHERE id = %s
"""
# PostgreSQL runs a data-modifying WITH; SQLite does not.
ADVANCE_AND_SAVE = "WITH head AS (" + ADVANCE + ")" + SAVE_CAPITAL


def lock(user) -> Head | None:
    """Lock ``user``'s stream head (``FOR UPDATE``; SQLite serialises writers
    anyway) and read the projection row with it. None: no stream yet."""
    features = connection.features
    if features.has_select_for_update_of:
        sql = LOCK_HEAD_ROW
    elif features.has_select_for_update:
        sql = LOCK_ROW
    else:
        sql = LOCK
    with connection.cursor() as cursor:
        cursor.execute(sql, [_param(Stream, "user", user.pk)])
        row = cursor.fetchone()
    if row is None:
        return None
    stream_id, last_seq, last_hash, capital_id, version, capital_seq, state = row
    if capital_id is not None:
        field = CapitalNarratif._meta.get_field("state")
        state = field.from_db_value(state, None, connection)
    return Head(
        pk=stream_id,
        last_seq=last_seq,
        last_hash=last_hash,
        capital_id=capital_id,
        capital_version=version,
        capital_seq=capital_seq,
        capital_state=state,
    )


def insert_row(instance, statement: str) -> None:
    """Insert a new model instance with a fixed ``INSERT`` whose columns follow
    the model's concrete fields (what ``save()`` does, without building the
    query each time); a taken unique key raises ``IntegrityError`` as usual.
    Energy's ledger entries go through it too."""
    params = [
        field.get_db_prep_save(getattr(instance, field.attname), connection)
        for field in instance._meta.concrete_fields
    ]
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
    instance._state.adding = False
    instance._state.db = connection.alias


@dataclass
class Folded:
    """A projection row folded forward, to store with the head."""

    capital_id: int
    version: int
    last_seq: int
    state: dict[str, Any]


def advance(head: Head, *, now: datetime, folded: Folded | None = None) -> None:
    """Store the head's new last seq and hash (the row is locked) and, when
    given, the projection row folded forward: on PostgreSQL both in one
    statement."""
    moved = [head.last_seq, head.last_hash, _param(Stream, "updated_at", now), head.pk]
    saved = []
    if folded is not None:
        saved = [
            folded.version,
            folded.last_seq,
            _param(CapitalNarratif, "state", folded.state),
            _param(CapitalNarratif, "updated_at", now),
            folded.capital_id,
        ]
    with connection.cursor() as cursor:
        if saved and connection.vendor == "postgresql":
            cursor.execute(ADVANCE_AND_SAVE, moved + saved)
            return
        cursor.execute(ADVANCE, moved)
        if saved:
            cursor.execute(SAVE_CAPITAL, saved)
