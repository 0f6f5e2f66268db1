"""The Capital Narratif fold: events in, a small bounded state out.

``apply(state, event)`` adds one event to the state. ``record`` applies each
new event to the stored state inside the append's transaction; a rebuild
folds the whole stream from ``empty_state()`` with the same function, in the
same (seq) order, so both give the same state. Everything kept is bounded
(capped counters and lists), so the state stays a few kilobytes however long
the history is and a read never depends on it.

Where the predecessor read columns nobody wrote (``event_data``,
``app_source`` inside payloads, ``created_at``; inventory §4.4, §9.12), this
reads the real fields: ``type``, ``app_source``, ``payload``, ``occurred_at``.

The state depends on the type registry (milestone types). Bump ``VERSION``
whenever this fold changes meaning: stored states of another version are
rebuilt from the events on first use.
"""

from __future__ import annotations

from typing import Any

from narrative import types
from narrative.chain import iso_utc

VERSION = 1

MAX_KEYS = 100  # distinct types / actions counted; the rest go to OTHER
OTHER = "other"  # never a valid type or action name (types are dotted)
MAX_SKILLS = 30
MAX_ROLES = 20
MAX_MILESTONES = 10
RECENT_ACTIONS = 5
TEXT_LENGTH = 100

# Events that tell nothing about the career story: account security, money
# movements (except energy spent on an action, which names the action).
BOOKKEEPING = ("auth.", "billing.", "energy.")

# Where an event or action stands in a career story, matched on
# "<type> <action>" in this order (adapted from the predecessor's vision
# tracker, §3.4, which matched words in a type column nobody wrote).
PHASE_KEYWORDS = (
    ("transition", ("aube.", "transition", "reconversion", "pivot", "career_change")),
    (
        "strategy",
        (
            "strateg",
            "mirror_match",
            "interview",
            "entretien",
            "salary",
            "audit",
            "leadership",
        ),
    ),
    (
        "skills",
        (
            "cv.",
            "letter.",
            "lettre",
            "optimi",
            "analyse",
            "correction",
            "format",
            "skill",
            "training",
            "section",
        ),
    ),
)
ROLE_KEYS = ("target_role", "position_title", "job_title")
ACTION_TYPES = ("energy.consumed", "user.action_completed")


def empty_state() -> dict[str, Any]:
    return {
        "events": 0,
        "first_seen": None,
        "last_activity": None,
        "apps": {},
        "types": {},
        "actions": {},
        "recent_actions": [],
        "skills": [],
        "target_roles": [],
        "energy": {"spent": 0, "refunded": 0, "by_action": {}},
        "ats": {"count": 0, "sum": 0, "latest": None, "best": None},
        "phase_signals": {"basics": 0, "skills": 0, "strategy": 0, "transition": 0},
        "milestones": [],
    }


def fold(events) -> dict[str, Any]:
    state = empty_state()
    for event in events:
        apply(state, event)
    return state


def apply(state: dict[str, Any], event) -> None:
    """Add ``event`` (an ``Event``, or anything with its attributes) to ``state``."""
    payload = event.payload if isinstance(event.payload, dict) else {}
    moment = iso_utc(event.occurred_at)
    state["events"] += 1
    if state["first_seen"] is None or moment < state["first_seen"]:
        state["first_seen"] = moment
    if state["last_activity"] is None or moment > state["last_activity"]:
        state["last_activity"] = moment
    _count(state["apps"], event.app_source)
    _count(state["types"], event.type)

    action = _text(payload.get("action")) if event.type in ACTION_TYPES else None
    if action:
        _count(state["actions"], action)
        state["recent_actions"] = [*state["recent_actions"], action][-RECENT_ACTIONS:]
    if event.type == "energy.consumed":
        amount = _amount(payload.get("amount"))
        state["energy"]["spent"] += amount
        if action:
            _count(state["energy"]["by_action"], action, amount)
    elif event.type == "energy.refunded":
        state["energy"]["refunded"] += _amount(payload.get("amount"))

    if event.type in ("cv.ats_scored", "cv.optimized"):
        _add_score(state["ats"], payload.get("ats_score"))
    skills = payload.get("skills")
    if isinstance(skills, list):
        for skill in skills[:50]:
            _remember(state["skills"], _text(skill), MAX_SKILLS)
    _remember(state["skills"], _text(payload.get("skill")), MAX_SKILLS)
    for key in ROLE_KEYS:
        _remember(state["target_roles"], _text(payload.get(key)), MAX_ROLES)

    if not event.type.startswith(BOOKKEEPING) or event.type == "energy.consumed":
        state["phase_signals"][_phase_signal(event.type, action)] += 1

    entry = types.describe(event.type)
    if entry is not None and entry.milestone:
        state["milestones"] = [
            *state["milestones"],
            _milestone(event, entry, payload, moment),
        ][-MAX_MILESTONES:]


def _count(counter: dict[str, int], key: str, amount: int = 1) -> None:
    if key not in counter and len(counter) >= MAX_KEYS:
        key = OTHER
    counter[key] = counter.get(key, 0) + amount


def _text(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    value = " ".join(value.split())[:TEXT_LENGTH]
    return value or None


def _amount(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        return 0
    return value


def _add_score(ats: dict[str, Any], value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return
    if not 0 <= value <= 100:
        return
    ats["count"] += 1
    ats["sum"] += value
    ats["latest"] = value
    ats["best"] = value if ats["best"] is None else max(ats["best"], value)


def _remember(items: list[str], value: str | None, limit: int) -> None:
    """Keep ``value`` as the most recent of ``items`` (case-insensitive set)."""
    if not value:
        return
    folded = value.casefold()
    items[:] = [item for item in items if item.casefold() != folded]
    items.append(value)
    del items[:-limit]


def _phase_signal(type: str, action: str | None) -> str:
    text = f"{type} {action or ''}".lower()
    for signal, words in PHASE_KEYWORDS:
        if any(word in text for word in words):
            return signal
    return "basics"


def _milestone(event, entry: types.EventType, payload: dict, moment: str) -> dict:
    details = {}
    for key in entry.schema:
        value = payload.get(key)
        if isinstance(value, str):
            details[key] = value[:200]
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            details[key] = value
    return {
        "event_id": str(event.id),
        "seq": event.seq,
        "type": event.type,
        "app_source": event.app_source,
        "occurred_at": moment,
        "details": details,
    }
