"""Canonical JSON, payload digests and the hash that chains a stream's events.

The canonical form of a JSON value is ``json.dumps`` with sorted keys, no
whitespace and UTF-8 output. Values are *normalised* before they are stored,
so that what the database gives back canonicalises to the same bytes on every
backend: floats that hold an integer become ints (PostgreSQL's jsonb turns
``1e+20`` into ``100000000000000000000``), NaN and infinities are refused (jsonb
cannot hold them), and so are NUL characters (text and jsonb cannot either).

An event's hash covers: id, user id, seq, type, app_source, payload_digest
(the SHA-256 of the canonical payload), occurred_at (UTC, ISO 8601 with
microseconds) and prev_hash. ``meta`` (request id, actor) and ``recorded_at``
are bookkeeping, not part of the chained content. Because the payload enters
only through its digest, GDPR erasure can replace a payload with a redaction
marker and keep the chain verifiable.
"""

from __future__ import annotations

import hashlib
import json
import math
import uuid
from datetime import UTC, datetime
from typing import Any

GENESIS = "0" * 64  # prev_hash of the first event of every stream
MAX_DEPTH = 32


class NotJSON(ValueError):
    """A value that cannot be stored as JSON the same way on every backend."""

    def __init__(self, message: str, path: str = ""):
        super().__init__(message)
        self.path = path


def normalize(value: Any, path: str = "", depth: int = 0) -> Any:
    """Return ``value`` as plain JSON data in its stored form, or raise NotJSON.

    ``path`` is the dotted location used in error messages (``a.b.0``).
    """
    if depth > MAX_DEPTH:
        raise NotJSON("nested too deeply", path)
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise NotJSON("not a finite number", path)
        return int(value) if value.is_integer() else value
    if isinstance(value, str):
        if "\x00" in value:
            raise NotJSON("contains a NUL character", path)
        return value
    if isinstance(value, dict):
        result = {}
        for key, item in value.items():
            if not isinstance(key, str):
                raise NotJSON("object keys must be strings", path)
            if "\x00" in key:
                raise NotJSON("contains a NUL character", path)
            child = f"{path}.{key}" if path else key
            result[key] = normalize(item, child, depth + 1)
        return result
    if isinstance(value, (list, tuple)):
        return [
            normalize(item, f"{path}.{index}" if path else str(index), depth + 1)
            for index, item in enumerate(value)
        ]
    raise NotJSON(f"{type(value).__name__} is not a JSON type", path)


def canonical(value: Any) -> bytes:
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False
    ).encode("utf-8")


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def payload_digest(payload: dict) -> str:
    return sha256(canonical(payload))


def iso_utc(moment: datetime) -> str:
    """The one textual form of a moment: UTC, microseconds, ``+00:00``."""
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def event_hash(
    *,
    id: uuid.UUID,
    user_id: uuid.UUID | None,
    seq: int,
    type: str,
    app_source: str,
    payload_digest: str,
    occurred_at: datetime,
    prev_hash: str,
) -> str:
    return sha256(
        canonical(
            {
                "id": str(id),
                "user": None if user_id is None else str(user_id),
                "seq": seq,
                "type": type,
                "app_source": app_source,
                "payload_digest": payload_digest,
                "occurred_at": iso_utc(occurred_at),
                "prev_hash": prev_hash,
            }
        )
    )
