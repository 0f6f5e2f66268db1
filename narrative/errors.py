"""Narrative's domain errors, rendered by the project's API error envelope.

They follow the project protocol without importing it: ``status_code``,
``error_code``, ``str(exc)`` as the message and ``fields`` naming the inputs.
"""

from __future__ import annotations


class NarrativeError(Exception):
    status_code = 400
    error_code = "invalid"

    def __init__(self, message: str, *, fields: dict[str, list[str]] | None = None):
        super().__init__(message)
        self.fields = fields or {}


class InvalidEvent(NarrativeError):
    """The event (or one event of a batch) is malformed; ``fields`` says where."""


class EventConflict(NarrativeError):
    status_code = 409
    error_code = "event_conflict"


class HubOwnedType(NarrativeError):
    status_code = 403
    error_code = "hub_owned_type"


class AppSourceMismatch(NarrativeError):
    """An API key tried to record events under another application's name."""

    status_code = 403
    error_code = "app_source_mismatch"
