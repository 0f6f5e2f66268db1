"""The event type registry: what each type means, who may write it, its payload.

    register("cv.ats_scored", schema={"ats_score": Field("number", required=True,
             minimum=0, maximum=100)}, description="…", owner="client")
    register("aube.*", description="…")          # a prefix: every aube.<x>

A type is looked up exactly first, then by its longest registered prefix, so
an app above narrative can tighten one type of a family from its
``AppConfig.ready()`` (e.g. luna registering ``luna.celebrated`` with
``owner="hub"`` under the client-writable ``luna.*``).

``owner="hub"``: only the hub's own services record it (``energy.*``,
``billing.*``, ``auth.*``); clients (user tokens, service keys) get a 403.
``owner="client"``: satellites and front ends may record it too.

A type nobody registered is accepted with the generic schema (any JSON object)
and its events are flagged ``unregistered``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext as _

TYPE_PATTERN = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$")
TYPE_MAX_LENGTH = 100

Owner = Literal["hub", "client"]
Errors = dict[str, list[str]]


@dataclass(frozen=True)
class Field:
    """One payload key. Keys not declared in a schema are allowed as they are."""

    kind: Literal["string", "integer", "number", "boolean", "array", "object"]
    required: bool = False
    minimum: float | None = None
    maximum: float | None = None
    max_length: int | None = None  # strings: characters; arrays: items


@dataclass(frozen=True)
class EventType:
    name: str  # "cv.ats_scored", or a prefix "aube.*"
    description: str
    owner: Owner = "client"
    schema: Mapping[str, Field] = field(default_factory=dict)
    validator: Callable[[dict], Errors | None] | None = None
    milestone: bool = False  # shown among the Capital Narratif's milestones

    @property
    def is_prefix(self) -> bool:
        return self.name.endswith(".*")


GENERIC = EventType(name="*", description="Unregistered type: any JSON object.")

_registry: dict[str, EventType] = {}


def register(
    type_or_prefix: str,
    *,
    description: str,
    owner: Owner = "client",
    schema: Mapping[str, Field] | None = None,
    validator: Callable[[dict], Errors | None] | None = None,
    milestone: bool = False,
) -> EventType:
    """Declare an event type (``cv.optimized``) or a family (``aube.*``)."""
    name = type_or_prefix
    bare = name[:-2] if name.endswith(".*") else name
    if not (TYPE_PATTERN.match(bare) or re.match(r"^[a-z][a-z0-9_]*$", bare)):
        raise ImproperlyConfigured(f"narrative type {name!r}: not a dotted name")
    if owner not in ("hub", "client"):
        raise ImproperlyConfigured(f"narrative type {name!r}: owner must be hub/client")
    entry = EventType(
        name=name,
        description=description,
        owner=owner,
        schema=dict(schema or {}),
        validator=validator,
        milestone=milestone,
    )
    existing = _registry.get(name)
    if existing is not None and existing != entry:
        raise ImproperlyConfigured(f"narrative type {name!r} is already registered")
    _registry[name] = entry
    return entry


def describe(type: str) -> EventType | None:
    """The registration governing ``type``, or None when nobody registered it."""
    found = _registry.get(type)
    if found is not None:
        return found
    parts = type.split(".")
    for end in range(len(parts) - 1, 0, -1):
        found = _registry.get(".".join(parts[:end]) + ".*")
        if found is not None:
            return found
    return None


def registered() -> list[EventType]:
    return [_registry[name] for name in sorted(_registry)]


def is_registered(type: str) -> bool:
    return describe(type) is not None


def is_client_writable(type: str) -> bool:
    entry = describe(type)
    return entry is None or entry.owner == "client"


def check_name(type: Any) -> list[str]:
    """Messages about a malformed type name (empty list when it is fine)."""
    if not isinstance(type, str) or not type:
        return [_("A type is required.")]
    if len(type) > TYPE_MAX_LENGTH:
        return [_("A type has at most %(n)d characters.") % {"n": TYPE_MAX_LENGTH}]
    if not TYPE_PATTERN.match(type):
        return [_("A type is dotted lower-case words, past tense, e.g. cv.optimized.")]
    return []


def validate(type: str, payload: dict) -> Errors:
    """Check ``payload`` against the schema of ``type``; return errors by key.

    Keys are ``payload.<name>`` so they read the same in API error envelopes.
    """
    entry = describe(type) or GENERIC
    errors: Errors = {}
    for name, spec in entry.schema.items():
        messages = _check_field(spec, name in payload, payload.get(name))
        if messages:
            errors[f"payload.{name}"] = messages
    if entry.validator is not None and not errors:
        for name, messages in (entry.validator(payload) or {}).items():
            errors[f"payload.{name}" if name else "payload"] = list(messages)
    return errors


_KINDS: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "integer": (int,),
    "number": (int, float),
    "boolean": (bool,),
    "array": (list,),
    "object": (dict,),
}


def _kind_message(kind: str) -> str:
    return {
        "string": _("Must be a string."),
        "integer": _("Must be an integer."),
        "number": _("Must be a number."),
        "boolean": _("Must be true or false."),
        "array": _("Must be a list."),
        "object": _("Must be a JSON object."),
    }[kind]


def _check_field(spec: Field, present: bool, value: Any) -> list[str]:
    if not present or value is None:
        return [_("This field is required.")] if spec.required else []
    is_bool = isinstance(value, bool)
    if not isinstance(value, _KINDS[spec.kind]) or (
        is_bool and spec.kind in ("integer", "number")
    ):
        return [_kind_message(spec.kind)]
    if spec.kind in ("integer", "number"):
        if spec.minimum is not None and value < spec.minimum:
            return [_("Must be at least %(n)s.") % {"n": _plain_number(spec.minimum)}]
        if spec.maximum is not None and value > spec.maximum:
            return [_("Must be at most %(n)s.") % {"n": _plain_number(spec.maximum)}]
    if (
        spec.max_length is not None
        and spec.kind in ("string", "array")
        and len(value) > spec.max_length
    ):
        return [_("At most %(n)d characters or items.") % {"n": spec.max_length}]
    if spec.kind == "string" and spec.required and not value.strip():
        return [_("This field may not be blank.")]
    return []


def _plain_number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _string_list(name: str, *, item_length: int, items: int):
    """A validator: ``name`` (when present) is a list of short strings."""

    def check(payload: dict) -> Errors | None:
        value = payload.get(name)
        if value is None:
            return None
        if not isinstance(value, list) or len(value) > items:
            return {name: [_("At most %(n)d items.") % {"n": items}]}
        if any(not isinstance(v, str) or len(v) > item_length for v in value):
            return {
                name: [
                    _("Each item is a string of at most %(n)d characters.")
                    % {"n": item_length}
                ]
            }
        return None

    return check


# --- The types the Phoenix apps send ----------------------------------------

SCORE = Field("number", required=True, minimum=0, maximum=100)
SHORT_TEXT = Field("string", max_length=200)
ACTION = Field("string", required=True, max_length=64)


def register_builtin_types() -> None:
    """Register the satellites' types and the hub's families (idempotent)."""
    skills = _string_list("skills", item_length=100, items=50)
    register(
        "cv.ats_scored",
        description="Phoenix CV scored a CV against applicant-tracking systems.",
        schema={"ats_score": SCORE, "target_role": SHORT_TEXT},
        validator=skills,
        milestone=True,
    )
    register(
        "cv.optimized",
        description="Phoenix CV produced an optimised CV.",
        schema={
            "ats_score": Field("number", minimum=0, maximum=100),
            "target_role": SHORT_TEXT,
        },
        validator=skills,
        milestone=True,
    )
    register(
        "cv.section_improved",
        description="Phoenix CV improved one section of a CV.",
        schema={"section": Field("string", max_length=100)},
        validator=skills,
    )
    register(
        "letter.generated",
        description="Phoenix Letters generated a cover letter.",
        schema={
            "company_name": Field("string", required=True, max_length=200),
            "position_title": Field("string", required=True, max_length=200),
        },
        milestone=True,
    )
    register(
        "mirror_match.analyzed",
        description="A CV was matched against a job offer (Mirror Match).",
        schema={"match_pct": SCORE, "position_title": SHORT_TEXT},
        milestone=True,
    )
    register(
        "interview.prepared",
        description="The user prepared an interview.",
        schema={"position_title": SHORT_TEXT, "company_name": SHORT_TEXT},
        milestone=True,
    )
    register(
        "user.session_started",
        description="The user opened a session in a Phoenix app.",
    )
    register(
        "user.action_completed",
        description="The user completed an action in a Phoenix app.",
        schema={"action": ACTION},
    )
    register(
        "milestone.reached",
        description="The user reached a milestone (a KPI hit its target).",
        schema={
            "kpi": Field("string", max_length=100),
            "title": SHORT_TEXT,
            "value": Field("number"),
            "target": Field("number"),
        },
        milestone=True,
    )
    register("aube.*", description="Phoenix Aube (career discovery and change).")
    # The hub's own families.
    register(
        "energy.*",
        description="Energy wallet movements, recorded by the energy app.",
        owner="hub",
    )
    register(
        "energy.consumed",
        description="Energy spent on an action (amount in energy units).",
        owner="hub",
        schema={"action": ACTION, "amount": Field("integer", required=True, minimum=0)},
    )
    register(
        "billing.*",
        description="Purchases and subscriptions, recorded by billing.",
        owner="hub",
    )
    register("auth.*", description="Account and session security events.", owner="hub")
    register("luna.*", description="Luna, the coach: conversations and celebrations.")
    register(
        "narrative.started",
        description="The user started their Capital Narratif.",
        schema={"motivation": Field("string", max_length=1000)},
        milestone=True,
    )
