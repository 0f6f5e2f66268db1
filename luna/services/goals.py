"""Goals (the vision loop) and the onboarding "session zéro"."""

from __future__ import annotations

import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from luna.engine import vision as engine_vision
from luna.models import Goal, GoalCategory, GoalStatus
from luna.services.errors import AlreadyOnboarded, NotFound
from narrative import services as narrative
from narrative.errors import EventConflict
from narrative.models import Event

ONBOARDING_NAMESPACE = uuid.UUID("6f1f3c52-6b0e-4d8e-9a57-4c2b8f0e7a11")
EDITABLE = (
    "title",
    "category",
    "timeline",
    "why",
    "success_metrics",
    "progress",
    "status",
    "is_primary",
)


def get_goal(*, user, goal_id) -> Goal:
    try:
        return Goal.objects.owned_by(user).get(pk=goal_id)
    except (Goal.DoesNotExist, ValidationError, ValueError, TypeError):
        raise NotFound(_("No such goal.")) from None


def _make_primary(user, goal: Goal) -> None:
    Goal.objects.owned_by(user).filter(is_primary=True).exclude(pk=goal.pk).update(
        is_primary=False
    )


def _record(user, type_: str, goal: Goal) -> None:
    narrative.record(
        user=user,
        type=type_,
        payload={
            "goal_id": str(goal.pk),
            "title": goal.title[:200],
            "category": goal.category,
            "status": goal.status,
            "progress": goal.progress,
        },
        app_source="luna",
    )


def create_goal(*, user, title: str, **fields: Any) -> Goal:
    """Store a goal (the user's own, or a proposal they confirmed).

    The first open goal becomes the primary one; ``is_primary=True`` moves the
    flag to the new goal.
    """
    with transaction.atomic():
        goal = Goal(
            user=user, title=title, **{k: fields[k] for k in fields if k in EDITABLE}
        )
        has_primary = Goal.objects.owned_by(user).open().filter(is_primary=True)
        if fields.get("is_primary") or not has_primary.exists():
            Goal.objects.owned_by(user).filter(is_primary=True).update(is_primary=False)
            goal.is_primary = True
        goal.save()
        _record(user, "luna.goal_set", goal)
    return goal


def update_goal(*, user, goal_id, changes: dict[str, Any]) -> Goal:
    with transaction.atomic():
        goal = get_goal(user=user, goal_id=goal_id)
        goal = Goal.objects.select_for_update().get(pk=goal.pk)
        for name, value in changes.items():
            if name in EDITABLE:
                setattr(goal, name, value)
        if changes.get("is_primary"):
            _make_primary(user, goal)
        goal.updated_at = timezone.now()
        goal.save()
        _record(
            user,
            "luna.goal_achieved"
            if goal.status == GoalStatus.ACHIEVED
            else "luna.goal_updated",
            goal,
        )
    return goal


def delete_goal(*, user, goal_id) -> None:
    with transaction.atomic():
        goal = get_goal(user=user, goal_id=goal_id)
        narrative.record(
            user=user,
            type="luna.goal_removed",
            payload={"goal_id": str(goal.pk)},
            app_source="luna",
        )
        goal.delete()


def start_onboarding(*, user, motivation: str) -> Goal:
    """Session zéro: once per user, record ``narrative.started`` and a draft goal.

    The event's id derives from the user, so two concurrent requests cannot
    both start the story; the second gets 409 like any later one.
    """
    message = _("Your Capital Narratif has already started.")
    started = Event.objects.for_user(user).filter(type="narrative.started")
    if started.exists():
        raise AlreadyOnboarded(message)
    event_id = uuid.uuid5(ONBOARDING_NAMESPACE, str(user.pk))
    with transaction.atomic():
        try:
            _event, created = narrative.record(
                user=user,
                type="narrative.started",
                payload={"motivation": motivation, "source": "luna_session_zero"},
                app_source="luna",
                event_id=event_id,
            )
        except EventConflict:
            raise AlreadyOnboarded(message) from None
        if not created:
            raise AlreadyOnboarded(message)
        draft = engine_vision.propose_goal(motivation)
        return create_goal(
            user=user,
            title=draft.title if draft else _("Define my career goal"),
            category=draft.category if draft else GoalCategory.CAREER_GOAL,
            timeline=draft.timeline if draft else "",
            why=(draft.why if draft else "") or motivation,
            status=GoalStatus.DEFINING,
        )
