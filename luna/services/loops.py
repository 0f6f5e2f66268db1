"""The three loops' inputs from the database, and the celebration award.

The engine (``luna.engine``) is pure: it gets facts and returns judgements.
This module reads what it needs (narrative events, goals, the energy
catalogue) and writes what it decides (a celebration and its bonus).
"""

from __future__ import annotations

from dataclasses import asdict, is_dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from energy import services as energy
from luna.engine import journal as engine_journal
from luna.engine import progress as engine_progress
from luna.engine import vision as engine_vision
from luna.models import Celebration, Goal
from narrative import services as narrative
from narrative.models import Event

FACT_DAYS = 60  # the 30-day window and the one before it
FACT_LIMIT = 2000
# Luna's own bookkeeping: a reply, a celebration, the energy a chat message
# spent. No loop reads them, and they are most of a talkative user's stream:
# reading them made every message pay for the whole chat history (and could
# push real career events past FACT_LIMIT).
CHATTER = Q(type__in=("luna.replied", "luna.celebrated")) | Q(
    type="energy.consumed", app_source="luna"
)


def facts(user, *, now: datetime | None = None, days: int = FACT_DAYS) -> list:
    """The user's career events of the last ``days`` as engine facts."""
    now = now or timezone.now()
    rows = (
        Event.objects.for_user(user)
        .since(now - timedelta(days=days))
        .filter(redacted_at__isnull=True)
        .exclude(CHATTER)
        .order_by("-seq")
        .values_list("type", "payload", "occurred_at")[:FACT_LIMIT]
    )
    return [
        engine_progress.Fact(type=type_, payload=payload or {}, occurred_at=at)
        for type_, payload, at in reversed(rows)
    ]


def action_costs() -> dict[str, int]:
    """Code → cost (display only: energy.services.consume decides)."""
    return {code: entry[0] for code, entry in energy.action_catalogue().items()}


def next_actions(codes: list[str], language: str) -> list[tuple[str, str, int]]:
    """(code, label, cost) for the prompt and the coach, in ``language``."""
    catalogue = energy.action_catalogue()
    return [
        (code, catalogue[code][2 if language == "en" else 1], catalogue[code][0])
        for code in codes
        if code in catalogue
    ]


def primary_goal(user) -> Goal | None:
    return (
        Goal.objects.owned_by(user)
        .open()
        .order_by("-is_primary", "-updated_at")
        .first()
    )


def plain(value: Any) -> Any:
    """Engine results (dataclasses, tuples) as JSON-ready values."""
    if is_dataclass(value) and not isinstance(value, type):
        return {key: plain(item) for key, item in asdict(value).items()}
    if isinstance(value, dict):
        return {str(key): plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(item) for item in value]
    if isinstance(value, datetime):
        return value.isoformat()
    return value


# --- Loop 2: progress and celebrations -----------------------------------------


def progress_for(user, *, now: datetime | None = None, events=None):
    now = now or timezone.now()
    return engine_progress.compute(events if events is not None else facts(user), now)


def progress_view(*, user) -> dict[str, Any]:
    """``GET /api/luna/progress``: the engine's progress, JSON-ready."""
    return plain(engine_progress.as_dict(progress_for(user)))


def _cooldown_key(user) -> str:
    return f"luna:celebration-cooldown:{user.pk}"


def award_celebration(*, user, progress, message=None) -> dict[str, Any] | None:
    """Celebrate the progress's top achievement once per (metric, level, period).

    The unique constraint on ``Celebration`` and the bonus's idempotency key
    ``luna:celebration:<user>:<metric>:<level>:<period>`` make a repeat (or a
    concurrent twin) a no-op; the per-user cooldown spaces celebrations out.
    """
    if not progress.achievements:
        return None  # nothing to celebrate: no need to ask what already was
    already = set(
        Celebration.objects.filter(user=user, period=progress.period).values_list(
            "metric", "level", "period"
        )
    )
    achievement = engine_progress.celebration(progress, already)
    if achievement is None:
        return None
    key = (achievement.metric, achievement.level, achievement.period)
    cooldown = settings.LUNA_CELEBRATION_COOLDOWN_SECONDS
    since = timezone.now() - timedelta(seconds=cooldown)
    if cooldown and Celebration.objects.filter(user=user, created_at__gte=since):
        return None
    # Two messages of one user racing here: one takes the cooldown slot.
    if cooldown and not cache.add(_cooldown_key(user), 1, timeout=cooldown):
        return None
    try:
        with transaction.atomic():
            celebration = Celebration.objects.create(
                user=user,
                metric=achievement.metric,
                level=achievement.level,
                period=achievement.period,
                value=float(achievement.value or 0),
                bonus=achievement.bonus,
                message=message,
            )
            balance = None
            if achievement.bonus > 0:
                receipt = energy.credit_bonus(
                    user=user,
                    amount=achievement.bonus,
                    key=f"luna:celebration:{user.pk}:{':'.join(key)}",
                    reason=f"Luna celebration {achievement.level}",
                    reference=str(celebration.pk),
                    app_source="luna",
                )
                celebration.energy_entry = receipt.entry
                celebration.save(update_fields=["energy_entry"])
                balance = receipt.balance
                credited = receipt.entry.amount
            else:
                credited = 0
            narrative.record(
                user=user,
                type="luna.celebrated",
                payload={
                    "celebration_id": str(celebration.pk),
                    "metric": achievement.metric,
                    "level": achievement.level,
                    "period": achievement.period,
                    "bonus": credited,
                },
                app_source="luna",
            )
    except IntegrityError:  # a concurrent message celebrated it first
        return None
    return {
        "id": str(celebration.pk),
        "metric": achievement.metric,
        "level": achievement.level,
        "period": achievement.period,
        "value": celebration.value,
        "bonus": credited,
        "balance": balance,
        "achievement": achievement,
    }


# --- Loop 3: vision ---------------------------------------------------------------


def vision_for(user, text: str, *, events, language: str) -> dict[str, Any]:
    goal = primary_goal(user)
    intent = engine_vision.detect_intent(text)
    title = goal.title if goal else None
    proposal = engine_vision.propose_goal(text)
    return {
        "goal": goal,
        "goal_title": title,
        "phase": engine_vision.career_phase(events),
        "intent": intent,
        "story_connection": engine_vision.story_connection(intent, title, language),
        "proposal": proposal,
    }


def proposal_body(proposal) -> dict[str, Any] | None:
    if proposal is None:
        return None
    return {
        "title": proposal.title,
        "category": proposal.category,
        "timeline": proposal.timeline,
        "why": proposal.why,
    }


# --- Journal ------------------------------------------------------------------------


def journal(*, user, window_days: int = 14) -> dict[str, Any]:
    """The Journal Narratif (chapters, KPIs, next steps with their costs)."""
    goal = primary_goal(user)
    language = getattr(user, "language", "fr") or "fr"
    body = engine_journal.build_journal(
        facts(user, days=max(window_days, 30)),
        now=timezone.now(),
        window_days=window_days,
        goal_title=goal.title if goal else None,
        costs=action_costs(),
        language=language,
    )
    view = energy.wallet_view(user=user)
    body = plain(body)
    body.setdefault("energy", {"balance": view.balance, "unlimited": view.unlimited})
    body.setdefault("window_days", window_days)
    return body
