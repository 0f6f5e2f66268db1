"""Checking an event before it is appended: type, app, payload, time, id, meta.

``prepare`` turns ``record``'s arguments into a ``Draft`` (normalised JSON,
payload digest, a generated id when none was given) or raises
``InvalidEvent`` naming every faulty field at once.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from narrative import types
from narrative.chain import NotJSON, canonical, normalize, payload_digest
from narrative.errors import InvalidEvent
from narrative.models import AppSource

PAYLOAD_MAX_BYTES = 16 * 1024
META_MAX_BYTES = 4 * 1024
FUTURE_TOLERANCE = timedelta(minutes=5)
EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)  # older dates are mistakes, not stories
RECORD_ARGUMENTS = ("type", "payload", "app_source", "occurred_at", "event_id", "meta")


@dataclass(frozen=True)
class Draft:
    """A validated event, ready to be appended to a stream."""

    id: uuid.UUID
    id_given: bool  # False: generated here, so it cannot be a replay
    type: str
    app_source: str
    payload: dict
    payload_digest: str
    occurred_at: datetime
    occurred_at_given: bool
    meta: dict
    unregistered: bool


def prepare(
    *,
    type: Any,
    payload: Any = None,
    app_source: Any = "hub",
    occurred_at: Any = None,
    event_id: Any = None,
    meta: Any = None,
) -> Draft:
    """Validate and normalise one event; raise ``InvalidEvent`` naming the fields."""
    errors: dict[str, list[str]] = {}
    name_errors = types.check_name(type)
    if name_errors:
        errors["type"] = name_errors
    if app_source not in AppSource.values:
        errors["app_source"] = [
            _("Unknown application; expected one of: %(apps)s.")
            % {"apps": ", ".join(AppSource.values)}
        ]
    payload, payload_errors = _check_payload({} if payload is None else payload)
    errors.update(payload_errors)
    if not errors:
        errors.update(types.validate(type, payload))
    moment, time_errors = _check_occurred_at(occurred_at)
    errors.update(time_errors)
    id_given = event_id is not None
    if not id_given:
        event_id = uuid.uuid4()
    elif not isinstance(event_id, uuid.UUID):
        try:
            event_id = uuid.UUID(str(event_id))
        except ValueError:
            errors["id"] = [_("Must be a valid UUID.")]
    meta, meta_errors = _check_meta(meta)
    errors.update(meta_errors)
    if errors:
        raise InvalidEvent(invalid_message(errors), fields=errors)
    return Draft(
        id=event_id,
        id_given=id_given,
        type=type,
        app_source=app_source,
        payload=payload,
        payload_digest=payload_digest(payload),
        occurred_at=moment,
        occurred_at_given=occurred_at is not None,
        meta=meta,
        unregistered=not types.is_registered(type),
    )


def record_arguments(item: dict) -> dict:
    """The keys of a batch item, checked against ``record``'s arguments."""
    unknown = sorted(set(item) - set(RECORD_ARGUMENTS))
    if unknown:
        raise InvalidEvent(
            _("Unknown keys."),
            fields={key: [_("Unknown key.")] for key in unknown},
        )
    return {key: item[key] for key in RECORD_ARGUMENTS if key in item}


def invalid_message(errors: dict[str, list[str]]) -> str:
    if len(errors) == 1:
        name, messages = next(iter(errors.items()))
        return f"{name}: {messages[0]}"
    return _("Some fields are invalid.")


def _check_payload(payload: Any) -> tuple[dict, dict[str, list[str]]]:
    if not isinstance(payload, dict):
        return {}, {"payload": [_("Must be a JSON object.")]}
    try:
        payload = normalize(payload)
    except NotJSON as error:
        return {}, {_json_field("payload", error): [_json_message(error)]}
    if len(canonical(payload)) > PAYLOAD_MAX_BYTES:
        return {}, {
            "payload": [
                _("At most %(n)d KB of JSON.") % {"n": PAYLOAD_MAX_BYTES // 1024}
            ]
        }
    return payload, {}


def _check_meta(meta: Any) -> tuple[dict, dict[str, list[str]]]:
    if meta is None:
        return {}, {}
    if not isinstance(meta, dict):
        return {}, {"meta": [_("Must be a JSON object.")]}
    try:
        meta = normalize(meta)
    except NotJSON as error:
        return {}, {_json_field("meta", error): [_json_message(error)]}
    if len(canonical(meta)) > META_MAX_BYTES:
        return {}, {"meta": [_("At most %(n)d KB of JSON.") % {"n": 4}]}
    return meta, {}


def _json_field(root: str, error: NotJSON) -> str:
    return f"{root}.{error.path}" if error.path else root


def _json_message(error: NotJSON) -> str:
    if "NUL" in str(error):
        return _("Null characters are not allowed.")
    if "finite" in str(error):
        return _("Numbers must be finite.")
    if "deeply" in str(error):
        return _("JSON nested too deeply.")
    return _("Not a JSON value.")


def _check_occurred_at(value: Any) -> tuple[datetime, dict[str, list[str]]]:
    now = timezone.now()
    if value is None:
        return now, {}
    if not isinstance(value, datetime) or timezone.is_naive(value):
        return now, {"occurred_at": [_("Must be a date and time with a time zone.")]}
    if value < EARLIEST:
        return now, {"occurred_at": [_("Cannot be before the year 2000.")]}
    if value > now + FUTURE_TOLERANCE:
        return now, {"occurred_at": [_("Cannot be more than 5 minutes in the future.")]}
    return value, {}
