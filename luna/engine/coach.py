"""The built-in coach: Luna's answer when no model is configured or the
model is unavailable.

It composes a short, deterministic reply from the three loops in the user's
language: it acknowledges the mood, celebrates an achievement, ties the
message to the goal (or asks for one), proposes 2–3 concrete next actions
with their energy cost (or says they are free with Unlimited) and ends with a
question. It answers from what the engine knows and never pretends to be the
model: the caller marks its messages ``provider: "builtin"``.
"""

from __future__ import annotations

import re

from django.utils import translation
from django.utils.translation import gettext as _

from luna.engine import vision
from luna.engine.progress import Achievement
from luna.engine.prompt import PromptContext, metric_label

CHUNK_WORDS = 4
MAX_ACTIONS = 3


def _opening(ctx: PromptContext) -> str:
    label = ctx.mood().label
    name = ctx.first_name
    if label == "motivated":
        text = (
            _("I love this energy, %(name)s! 🚀")
            if name
            else _("I love this energy! 🚀")
        )
    elif label == "anxious":
        text = (
            _("I hear you, %(name)s: it is normal to feel this way. Step by step.")
            if name
            else _("I hear you: it is normal to feel this way. Step by step.")
        )
    elif label == "factual":
        text = _("Let us be concrete, %(name)s.") if name else _("Let us be concrete.")
    elif label == "curious":
        text = (
            _("Good question, %(name)s, let us explore it together.")
            if name
            else _("Good question, let us explore it together.")
        )
    else:
        text = _("Hello %(name)s! 🌙") if name else _("Hello! 🌙")
    return text % {"name": name} if name else text


def _celebrate(achievement: Achievement) -> str:
    if achievement.metric == "ats_score":
        text = _("Bravo: your ATS score rose by %(value)g points this week! 🎯")
    else:
        text = _("Bravo: %(value)g %(metric)s this week! 🎯")
    metric = metric_label(achievement.metric)
    text = text % {"value": achievement.value, "metric": metric}
    if achievement.bonus:
        text += " " + _("You earn a bonus of %(bonus)d energy.") % {
            "bonus": achievement.bonus
        }
    return text


def _actions(ctx: PromptContext) -> str:
    options = ctx.next_actions[:MAX_ACTIONS]
    if not options:
        return _("Tell me what you are working on and we will find the next step.")
    lines = [_("Here is what I suggest:")]
    for _code, label, cost in options:
        if ctx.is_unlimited:
            lines.append(_("• %(label)s — free with Luna Unlimited") % {"label": label})
        elif cost <= 0:
            lines.append(_("• %(label)s — free") % {"label": label})
        else:
            lines.append(
                _("• %(label)s — %(cost)d energy") % {"label": label, "cost": cost}
            )
    return "\n".join(lines)


def _question(ctx: PromptContext) -> str:
    label = ctx.mood().label
    if not ctx.next_actions:
        return _("What would help you most right now?")
    return {
        "motivated": _("Which one do we start with?"),
        "anxious": _("Which small step feels doable today?"),
        "factual": _("Do you want the details of one of them?"),
        "curious": _("Which one would you like to explore first?"),
    }.get(label, _("Which one suits you best?"))


def compose(ctx: PromptContext) -> str:
    """The whole reply, as one text."""
    with translation.override(ctx.language):
        paragraphs = [_opening(ctx)]
        if ctx.celebration is not None:
            paragraphs.append(_celebrate(ctx.celebration))
        story = ctx.story or vision.story_connection(
            vision.detect_intent(ctx.message), ctx.goal_title, ctx.language
        )
        paragraphs.append(story)
        paragraphs.append(_actions(ctx))
        paragraphs.append(_question(ctx))
    return "\n\n".join(p for p in paragraphs if p)


def chunks(text: str, size: int = CHUNK_WORDS) -> list[str]:
    """``text`` cut into groups of ``size`` words; joined, they give it back."""
    pieces = re.findall(r"\S+\s*", text)
    leading = text[: len(text) - len(text.lstrip())]
    groups = ["".join(pieces[i : i + size]) for i in range(0, len(pieces), size)]
    if groups and leading:
        groups[0] = leading + groups[0]
    return groups or [text]


def reply(ctx: PromptContext) -> list[str]:
    """The built-in reply for ``ctx``, in chunks for streaming."""
    return chunks(compose(ctx))
