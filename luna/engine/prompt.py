"""The model's prompt, assembled from the three loops in the predecessor's
order (§3.5 of the inventory): persona, app context, memory, progress,
vision, celebration, sentiment, the message, answer rules.

:func:`build` returns the system instruction, the Gemini-style ``contents``
(the remembered turns that fit the token budget, then the message) and each
section by name, so tests and the admin can see what the model was told.
The text is in the user's language (``translation.override``), which is also
the language Luna is asked to answer in.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils import translation
from django.utils.translation import gettext as _

from luna.engine import sentiment as sentiment_loop
from luna.engine.progress import Achievement, Progress
from luna.engine.sentiment import Sentiment

SECTION_ORDER = (
    "persona",
    "app_context",
    "memory",
    "progress",
    "vision",
    "celebration",
    "sentiment",
    "message",
    "rules",
)
CHARS_PER_TOKEN = 4
TURN_OVERHEAD_TOKENS = 4  # role and separators
DEFAULT_MEMORY_BUDGET = 1500  # tokens of past turns
APP_CONTEXTS = ("cv", "letters", "website", "aube", "general")
FREE_ACTION = "luna_conversation"


@dataclass
class Turn:
    role: str  # "user" | "luna"
    text: str


@dataclass
class PromptContext:
    language: str
    first_name: str
    app_context: str
    message: str
    sentiment: Sentiment | None = None
    action_code: str = FREE_ACTION
    cost: int = 0
    is_unlimited: bool = False
    memory: list[Turn] = field(default_factory=list)
    progress: Progress | None = None
    phase: str | None = None
    goal_title: str | None = None
    story: str | None = None
    celebration: Achievement | None = None
    # (action code, label, energy cost) from the energy catalogue
    next_actions: list[tuple[str, str, int]] = field(default_factory=list)
    memory_budget_tokens: int = DEFAULT_MEMORY_BUDGET

    def mood(self) -> Sentiment:
        return self.sentiment or sentiment_loop.analyze(self.message)


@dataclass
class Prompt:
    system: str
    contents: list[dict]
    sections: dict[str, str]


def estimate_tokens(text: str) -> int:
    return -(-len(text) // CHARS_PER_TOKEN) + TURN_OVERHEAD_TOKENS


def fit_turns(turns: list[Turn], budget_tokens: int) -> list[Turn]:
    """The most recent turns whose estimated size fits ``budget_tokens``,
    oldest first; the first turn that does not fit stops the walk back."""
    kept: list[Turn] = []
    used = 0
    for turn in reversed(turns):
        size = estimate_tokens(turn.text)
        if used + size > budget_tokens:
            break
        kept.append(turn)
        used += size
    kept.reverse()
    return kept


# --- Sections -----------------------------------------------------------------


def _persona(ctx: PromptContext) -> str:
    lines = [
        _(
            "You are Luna, the warm, encouraging and pragmatic career coach of "
            "the Phoenix ecosystem (CV, cover letters, job search)."
        ),
        _(
            "Write short sentences, use few emojis (🎯 ✅ 🚀 🌙 at most), say "
            '"we" to show you act together with the user, and avoid HR jargon.'
        ),
        _("Always answer in English, whatever the language of the prompt."),
        _(
            "Before proposing a significant action, mention its energy cost; never "
            "mention energy for small talk."
        ),
    ]
    if ctx.is_unlimited:
        lines.append(
            _(
                "The user has Luna Unlimited: every action is free for them, say "
                "so instead of giving costs."
            )
        )
    if ctx.first_name:
        lines.append(
            _("The user's first name is %(name)s; use it naturally.")
            % {"name": ctx.first_name}
        )
    lines.append(
        _(
            'Celebrate real progress, and when the user says "go", act instead '
            "of proposing again."
        )
    )
    return "\n".join(lines)


def _app_context(ctx: PromptContext) -> str:
    texts = {
        "cv": _(
            "The user is in Phoenix CV: act as a CV and ATS expert; structured "
            "answers with measurable results."
        ),
        "letters": _(
            "The user is in Phoenix Letters: act as a cover-letter expert; "
            "storytelling and personalisation to the company."
        ),
        "website": _(
            "The user is on the Phoenix website: act as a guide to the whole "
            "strategy; help them choose the right tool and spend energy wisely."
        ),
        "aube": _(
            "The user is in Phoenix Aube: help them explore career directions "
            "with light exercises, suggestions rather than verdicts."
        ),
    }
    return texts.get(
        ctx.app_context,
        _("The user is talking with Luna directly about their career."),
    )


def _memory(turns: list[Turn]) -> str:
    if not turns:
        return _("This is a new conversation.")
    return _(
        "The conversation continues: the %(count)d previous messages follow. "
        "Build on them and do not repeat yourself."
    ) % {"count": len(turns)}


def metric_label(metric: str) -> str:
    return {
        "ats_score": _("ATS score"),
        "cv_optimizations": _("CV optimisations"),
        "letters_created": _("letters written"),
        "actions_completed": _("actions completed"),
        "session_frequency": _("sessions"),
    }.get(metric, metric)


def trend_label(trend: str) -> str:
    return {
        "rising": _("rising"),
        "steady": _("steady"),
        "falling": _("falling"),
    }.get(trend, trend)


def _progress(progress: Progress | None) -> str:
    if progress is None or not progress.active_metrics:
        return _(
            "No recorded progress yet in the last 30 days: encourage a first "
            "concrete step."
        )
    lines = [
        _("Progress over 30 days: trend %(trend)s, momentum %(momentum)d/100.")
        % {"trend": trend_label(progress.trend), "momentum": progress.momentum}
    ]
    for metric in progress.active_metrics:
        lines.append(
            _("- %(metric)s: %(value)s (7 days: %(delta)+g, %(trend)s)")
            % {
                "metric": metric_label(metric.name),
                "value": f"{metric.value:g}",
                "delta": metric.deltas[7],
                "trend": trend_label(metric.trend),
            }
        )
    falling = [e for e in progress.encourage if e.reason == "falling"]
    if falling:
        lines.append(
            _("Encourage gently, without blame: %(metrics)s.")
            % {"metrics": ", ".join(metric_label(e.metric) for e in falling)}
        )
    return "\n".join(lines)


def _vision(ctx: PromptContext) -> str:
    from luna.engine.vision import phase_label

    lines = []
    if ctx.phase:
        lines.append(
            _("Career phase: %(phase)s.")
            % {"phase": phase_label(ctx.phase, translation.get_language())}
        )
    if ctx.goal_title:
        lines.append(_("Primary goal: %(goal)s.") % {"goal": ctx.goal_title})
    else:
        lines.append(
            _(
                "The user has no goal yet: ask what they want to achieve, and "
                "offer to note it as their goal."
            )
        )
    if ctx.story:
        lines.append(
            _("Tie your answer to the goal with this idea: %(story)s")
            % {"story": ctx.story}
        )
    return "\n".join(lines)


def _celebration(achievement: Achievement | None) -> str:
    if achievement is None:
        return ""
    lines = [
        _(
            "Celebrate this achievement naturally at the start of your answer: "
            "%(metric)s, level %(level)s (%(value)g this week)."
        )
        % {
            "metric": metric_label(achievement.metric),
            "level": achievement.level,
            "value": achievement.value,
        }
    ]
    if achievement.bonus:
        lines.append(
            _("Tell the user they receive a bonus of %(bonus)d energy.")
            % {"bonus": achievement.bonus}
        )
    return "\n".join(lines)


def _sentiment(mood: Sentiment) -> str:
    lines = [
        _(
            "Detected mood: %(label)s (confidence %(confidence).0f%%), emotional "
            "state %(state)s, style %(style)s, energy %(energy)s."
        )
        % {
            "label": mood.label,
            "confidence": mood.confidence * 100,
            "state": mood.emotional_state,
            "style": mood.communication_style,
            "energy": mood.energy_level,
        },
        sentiment_loop.tone_instruction(mood.label, translation.get_language()),
    ]
    if mood.keywords:
        lines.append(
            _("Words that showed it: %(words)s.")
            % {"words": ", ".join(mood.keywords[:3])}
        )
    return "\n".join(lines)


def _message(ctx: PromptContext) -> str:
    name = ctx.first_name or _("User")
    return f"{name}: {ctx.message}"


def _rules(ctx: PromptContext) -> str:
    lines = [
        _("Refer to the earlier conversation when it helps."),
        _("Propose 2 or 3 concrete next actions."),
    ]
    if ctx.next_actions:
        if ctx.is_unlimited:
            options = ", ".join(label for _code, label, _cost in ctx.next_actions)
            lines.append(
                _("Actions you can offer (free for this user): %(options)s.")
                % {"options": options}
            )
        else:
            options = ", ".join(
                _("%(label)s (%(cost)d energy)") % {"label": label, "cost": cost}
                for _code, label, cost in ctx.next_actions
            )
            lines.append(
                _("Actions you can offer, with their cost: %(options)s.")
                % {"options": options}
            )
    lines.append(_("End with one short follow-up question."))
    return "\n".join(lines)


def build(ctx: PromptContext) -> Prompt:
    """The prompt for ``ctx``, in ``ctx.language``."""
    turns = fit_turns(ctx.memory, ctx.memory_budget_tokens)
    with translation.override(ctx.language):
        sections = {
            "persona": _persona(ctx),
            "app_context": _app_context(ctx),
            "memory": _memory(turns),
            "progress": _progress(ctx.progress),
            "vision": _vision(ctx),
            "celebration": _celebration(ctx.celebration),
            "sentiment": _sentiment(ctx.mood()),
            "message": _message(ctx),
            "rules": _rules(ctx),
        }
    system = "\n\n".join(
        text for name, text in sections.items() if text and name != "message"
    )
    return Prompt(
        system=system,
        contents=_contents(turns, ctx.message),
        sections=sections,
    )


def _contents(turns: list[Turn], message: str) -> list[dict]:
    """Gemini ``contents``: alternating roles, starting with the user, ending
    with the message (consecutive turns of one role are merged)."""
    contents: list[dict] = []
    for turn in [*turns, Turn("user", message)]:
        role = "user" if turn.role == "user" else "model"
        if not contents and role == "model":
            continue
        if contents and contents[-1]["role"] == role:
            contents[-1]["parts"].append({"text": turn.text})
        else:
            contents.append({"role": role, "parts": [{"text": turn.text}]})
    return contents
