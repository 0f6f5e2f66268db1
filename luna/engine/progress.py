"""Loop 2 — narrative facts → metrics, trends, momentum and achievements.

The predecessor's metrics and thresholds (§3.3 of the inventory), on the hub's
event types, with its defects fixed:

- deltas compare the *recent* window with the window before it (the
  predecessor subtracted the older part of the window);
- achievements belong to a calendar period (the ISO week of ``now``), so the
  caller keys the energy bonus by ``(user, metric, level, period)`` and the
  same progress can never pay twice, however many messages are sent.

Pass :func:`compute` the user's facts of at least the last
:data:`LOOKBACK_DAYS` days (the 30-day delta needs the 30 days before the
window); older facts are ignored.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

WINDOW_DAYS = 30
LOOKBACK_DAYS = 2 * WINDOW_DAYS
DELTA_DAYS = (1, 7, 30)

ATS_SCORE = "ats_score"
CV_OPTIMIZATIONS = "cv_optimizations"
LETTERS_CREATED = "letters_created"
ACTIONS_COMPLETED = "actions_completed"
SESSION_FREQUENCY = "session_frequency"
METRICS = (
    ATS_SCORE,
    CV_OPTIMIZATIONS,
    LETTERS_CREATED,
    ACTIONS_COMPLETED,
    SESSION_FREQUENCY,
)

# Which facts feed which metric. ATS is a level (the latest score); the others
# count events.
SOURCES: dict[str, tuple[str, ...]] = {
    ATS_SCORE: ("cv.ats_scored", "cv.optimized"),
    CV_OPTIMIZATIONS: ("cv.optimized", "cv.section_improved"),
    LETTERS_CREATED: ("letter.generated",),
    ACTIONS_COMPLETED: ("user.action_completed",),
    SESSION_FREQUENCY: ("user.session_started",),
}
# Celebration levels (mega, major, minor), the predecessor's numbers: ATS in
# score points gained, the others in events within the period.
LEVELS: dict[str, tuple[float, float, float]] = {
    ATS_SCORE: (15, 8, 3),
    LETTERS_CREATED: (5, 3, 1),
    CV_OPTIMIZATIONS: (8, 5, 2),
    SESSION_FREQUENCY: (10, 6, 3),
    ACTIONS_COMPLETED: (15, 8, 3),
}
DEFAULT_LEVELS = (10, 5, 2)
BONUS = {"mega": 10, "major": 5, "minor": 0}
LEVEL_RANK = {"mega": 3, "major": 2, "minor": 1}

RISING, STEADY, FALLING = "rising", "steady", "falling"
_TREND_SCORE = {RISING: 1, STEADY: 0, FALLING: -1}
_TREND_BASE = {RISING: 75, STEADY: 50, FALLING: 30}

# What to suggest when a metric falls or was never touched (action codes of
# the energy catalogue).
SUGGESTIONS = {
    ATS_SCORE: "optimisation_cv",
    CV_OPTIMIZATIONS: "optimisation_cv",
    LETTERS_CREATED: "lettre_motivation",
    ACTIONS_COMPLETED: "conseil_rapide",
    SESSION_FREQUENCY: "conseil_rapide",
}


@dataclass(frozen=True)
class Fact:
    """What the engine needs of a narrative event."""

    type: str
    payload: dict
    occurred_at: datetime


@dataclass(frozen=True)
class MetricProgress:
    name: str
    value: float | None  # latest ATS score, or events over the 30-day window
    deltas: dict[int, float]  # days → recent window minus the window before
    trend: str  # rising | steady | falling


@dataclass(frozen=True)
class Achievement:
    metric: str
    level: str  # mega | major | minor
    period: str  # the ISO week, e.g. "2026-W47": key the bonus with it
    value: float  # ATS points gained, or events, within the period
    bonus: int  # energy: mega +10, major +5, minor 0


@dataclass(frozen=True)
class Encouragement:
    metric: str
    reason: str  # "falling" or "untouched"
    delta_7d: float
    suggestion: str  # an action code


@dataclass(frozen=True)
class Progress:
    metrics: dict[str, MetricProgress]
    trend: str
    momentum: int  # 0–100
    achievements: tuple[Achievement, ...]
    encourage: tuple[Encouragement, ...]
    period: str
    computed_at: datetime | None = None

    @property
    def active_metrics(self) -> list[MetricProgress]:
        return [m for m in self.metrics.values() if m.value]


def iso_week(moment: datetime) -> str:
    year, week, _day = moment.isocalendar()
    return f"{year}-W{week:02d}"


def week_start(moment: datetime) -> datetime:
    day = moment - timedelta(days=moment.weekday())
    return day.replace(hour=0, minute=0, second=0, microsecond=0)


def _score(fact: Fact) -> float | None:
    value = fact.payload.get("ats_score")
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if 0 <= value <= 100:
        return float(value)
    return None


def _sources(facts: Iterable[Fact], metric: str) -> list[Fact]:
    types = SOURCES[metric]
    chosen = [f for f in facts if f.type in types and f.occurred_at is not None]
    if metric == ATS_SCORE:
        chosen = [f for f in chosen if _score(f) is not None]
    return sorted(chosen, key=lambda f: f.occurred_at)


def _count(facts: Sequence[Fact], start: datetime, end: datetime) -> int:
    return sum(1 for f in facts if start <= f.occurred_at < end)


def _latest_score(facts: Sequence[Fact], before: datetime) -> float | None:
    scores = [_score(f) for f in facts if f.occurred_at < before]
    return scores[-1] if scores else None


def _score_gain(facts: Sequence[Fact], start: datetime, end: datetime) -> float:
    """Points gained in [start, end): the latest score in it minus the score
    it started from (the last one before, else its first one)."""
    inside = [_score(f) for f in facts if start <= f.occurred_at < end]
    if not inside:
        return 0.0
    baseline = _latest_score(facts, start)
    if baseline is None:
        baseline = inside[0]
    return round(inside[-1] - baseline, 1)


def _delta(metric: str, facts: Sequence[Fact], now: datetime, days: int) -> float:
    span = timedelta(days=days)
    if metric == ATS_SCORE:
        return _score_gain(facts, now - span, now + timedelta(microseconds=1))
    recent = _count(facts, now - span, now + timedelta(microseconds=1))
    before = _count(facts, now - 2 * span, now - span)
    return float(recent - before)


def _trend(metric: str, delta_7d: float) -> str:
    step = LEVELS.get(metric, DEFAULT_LEVELS)[2]  # the "minor" level
    if delta_7d >= step:
        return RISING
    if delta_7d <= -step:
        return FALLING
    return STEADY


def _level(metric: str, value: float) -> str | None:
    mega, major, minor = LEVELS.get(metric, DEFAULT_LEVELS)
    if value >= mega:
        return "mega"
    if value >= major:
        return "major"
    if value >= minor:
        return "minor"
    return None


def compute(facts: Iterable[Fact], now: datetime) -> Progress:
    """The user's progress over the last 30 days, as of ``now`` (aware)."""
    facts = [
        f
        for f in facts
        if f.occurred_at is not None
        and now - timedelta(days=LOOKBACK_DAYS) <= f.occurred_at <= now
    ]
    window_start = now - timedelta(days=WINDOW_DAYS)
    period = iso_week(now)
    period_start = week_start(now)
    end = now + timedelta(microseconds=1)

    metrics: dict[str, MetricProgress] = {}
    achievements: list[Achievement] = []
    encourage: list[Encouragement] = []
    momentum_parts: list[float] = []
    trend_scores: list[int] = []
    for metric in METRICS:
        sources = _sources(facts, metric)
        if metric == ATS_SCORE:
            value = _latest_score(sources, end)
            if value is not None and not any(
                f.occurred_at >= window_start for f in sources
            ):
                value = None  # no score within the 30 days
        else:
            value = float(_count(sources, window_start, end))
        deltas = {days: _delta(metric, sources, now, days) for days in DELTA_DAYS}
        trend = _trend(metric, deltas[7])
        metrics[metric] = MetricProgress(metric, value, deltas, trend)

        if sources:  # the metric has a history: it counts in the overall trend
            step = LEVELS.get(metric, DEFAULT_LEVELS)[2]
            trend_scores.append(_TREND_SCORE[trend])
            push = max(-20.0, min(20.0, 10 * deltas[7] / step))
            momentum_parts.append(_TREND_BASE[trend] + push)

        gained = (
            _score_gain(sources, period_start, end)
            if metric == ATS_SCORE
            else float(_count(sources, period_start, end))
        )
        level = _level(metric, gained)
        if level:
            achievements.append(
                Achievement(metric, level, period, gained, BONUS[level])
            )
        if trend == FALLING:
            encourage.append(
                Encouragement(metric, "falling", deltas[7], SUGGESTIONS[metric])
            )
        elif not value:
            encourage.append(
                Encouragement(metric, "untouched", 0.0, SUGGESTIONS[metric])
            )

    achievements.sort(key=_achievement_rank, reverse=True)
    falling = sorted(
        (e for e in encourage if e.reason == "falling"),
        key=lambda e: abs(e.delta_7d) / LEVELS[e.metric][2],
        reverse=True,
    )
    untouched = [e for e in encourage if e.reason == "untouched"]

    if trend_scores:
        average = sum(trend_scores) / len(trend_scores)
        overall = STEADY
        if average >= 1 / 3:
            overall = RISING
        elif average <= -1 / 3:
            overall = FALLING
        momentum = round(sum(momentum_parts) / len(momentum_parts))
    else:
        overall, momentum = STEADY, 50
    return Progress(
        metrics=metrics,
        trend=overall,
        momentum=max(0, min(100, momentum)),
        achievements=tuple(achievements),
        encourage=tuple(falling + untouched),
        period=period,
        computed_at=now,
    )


def _achievement_rank(achievement: Achievement) -> tuple[int, float]:
    minor = LEVELS.get(achievement.metric, DEFAULT_LEVELS)[2]
    return LEVEL_RANK[achievement.level], achievement.value / minor


def celebration(
    progress: Progress, already: Collection[tuple[str, str, str]] = ()
) -> Achievement | None:
    """The best achievement to celebrate now, skipping the ``(metric, level,
    period)`` keys already celebrated; ``None`` when there is nothing new."""
    for achievement in progress.achievements:  # best first
        key = (achievement.metric, achievement.level, achievement.period)
        if key not in already:
            return achievement
    return None


def as_dict(progress: Progress) -> dict[str, Any]:
    """A JSON-ready view, for the API and the prompt."""
    return {
        "trend": progress.trend,
        "momentum": progress.momentum,
        "period": progress.period,
        "metrics": {
            name: {
                "value": m.value,
                "trend": m.trend,
                "delta_1d": m.deltas[1],
                "delta_7d": m.deltas[7],
                "delta_30d": m.deltas[30],
            }
            for name, m in progress.metrics.items()
        },
        "achievements": [
            {
                "metric": a.metric,
                "level": a.level,
                "period": a.period,
                "value": a.value,
                "bonus": a.bonus,
            }
            for a in progress.achievements
        ],
        "encourage": [
            {"metric": e.metric, "reason": e.reason, "suggestion": e.suggestion}
            for e in progress.encourage
        ],
    }
