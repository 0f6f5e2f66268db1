from datetime import UTC, datetime, timedelta

import pytest

from luna.engine.progress import (
    BONUS,
    Fact,
    as_dict,
    celebration,
    compute,
    iso_week,
)

# A Friday: its ISO week (2026-W47) started on Monday 16 November.
NOW = datetime(2026, 11, 20, 18, 0, tzinfo=UTC)


def ago(days=0, hours=0):
    return NOW - timedelta(days=days, hours=hours)


def fact(type, when, **payload):
    return Fact(type, payload, when)


def sessions(*days):
    return [fact("user.session_started", ago(d)) for d in days]


def test_no_facts_is_steady_at_momentum_50_with_nothing_to_celebrate():
    progress = compute([], NOW)
    assert (progress.trend, progress.momentum, progress.achievements) == (
        "steady",
        50,
        (),
    )
    assert progress.metrics["ats_score"].value is None
    assert celebration(progress) is None
    assert {e.reason for e in progress.encourage} == {"untouched"}


def test_counts_cover_the_last_30_days_only():
    facts = sessions(1, 10, 29, 31, 45)
    assert compute(facts, NOW).metrics["session_frequency"].value == 3


def test_deltas_compare_the_recent_window_with_the_window_before():
    # Last 7 days: 4 sessions; the 7 days before: 1.
    facts = sessions(0.5, 2.5, 3, 6, 10)
    metric = compute(facts, NOW).metrics["session_frequency"]
    assert metric.deltas[7] == 4 - 1
    assert metric.deltas[1] == 1 - 0
    # Last 30 days: 5; the 30 before: 0.
    assert metric.deltas[30] == 5


def test_a_quieter_week_is_a_negative_delta_and_a_falling_trend():
    facts = sessions(1, 8, 9, 10, 11, 12)
    progress = compute(facts, NOW)
    metric = progress.metrics["session_frequency"]
    assert metric.deltas[7] == 1 - 5
    assert metric.trend == "falling"
    assert progress.encourage[0].metric == "session_frequency"
    assert progress.encourage[0].reason == "falling"
    assert progress.encourage[0].suggestion == "conseil_rapide"


def test_ats_is_the_latest_score_and_its_delta_the_points_gained():
    facts = [
        fact("cv.ats_scored", ago(20), ats_score=55),
        fact("cv.ats_scored", ago(9), ats_score=62),
        fact("cv.optimized", ago(2), ats_score=70),
        fact("cv.ats_scored", ago(1, hours=2), ats_score=74),
    ]
    metric = compute(facts, NOW).metrics["ats_score"]
    assert metric.value == 74
    assert metric.deltas[7] == 74 - 62  # from the score the week started with
    assert metric.deltas[1] == 0  # nothing scored in the last 24 hours
    assert metric.deltas[30] == 74 - 55
    assert metric.trend == "rising"


def test_an_ats_score_older_than_30_days_is_not_current():
    facts = [fact("cv.ats_scored", ago(40), ats_score=80)]
    assert compute(facts, NOW).metrics["ats_score"].value is None


def test_invalid_scores_are_ignored():
    facts = [
        fact("cv.ats_scored", ago(1), ats_score="90"),
        fact("cv.ats_scored", ago(1), ats_score=150),
        fact("cv.ats_scored", ago(1), ats_score=True),
        fact("cv.optimized", ago(1)),
    ]
    assert compute(facts, NOW).metrics["ats_score"].value is None


def test_future_facts_are_ignored():
    assert compute(sessions(-1), NOW).metrics["session_frequency"].value == 0


@pytest.mark.parametrize(
    ("gain", "level"),
    [(2, None), (3, "minor"), (8, "major"), (14, "major"), (15, "mega"), (30, "mega")],
)
def test_ats_levels(gain, level):
    facts = [
        fact("cv.ats_scored", ago(10), ats_score=50),
        fact("cv.ats_scored", ago(1), ats_score=50 + gain),
    ]
    found = [a for a in compute(facts, NOW).achievements if a.metric == "ats_score"]
    assert [a.level for a in found] == ([level] if level else [])


@pytest.mark.parametrize(
    ("type", "count", "level"),
    [
        ("letter.generated", 1, "minor"),
        ("letter.generated", 3, "major"),
        ("letter.generated", 5, "mega"),
        ("cv.section_improved", 1, None),
        ("cv.section_improved", 2, "minor"),
        ("cv.section_improved", 5, "major"),
        ("cv.optimized", 8, "mega"),
        ("user.session_started", 3, "minor"),
        ("user.session_started", 6, "major"),
        ("user.session_started", 10, "mega"),
        ("user.action_completed", 3, "minor"),
        ("user.action_completed", 8, "major"),
        ("user.action_completed", 15, "mega"),
    ],
)
def test_count_levels_per_metric(type, count, level):
    facts = [fact(type, ago(hours=i + 1)) for i in range(count)]
    progress = compute(facts, NOW)
    levels = {a.metric: a.level for a in progress.achievements}
    metric = {
        "letter.generated": "letters_created",
        "cv.section_improved": "cv_optimizations",
        "cv.optimized": "cv_optimizations",
        "user.session_started": "session_frequency",
        "user.action_completed": "actions_completed",
    }[type]
    assert levels.get(metric) == level


def test_bonuses_are_ten_five_and_zero():
    assert BONUS == {"mega": 10, "major": 5, "minor": 0}
    facts = [fact("letter.generated", ago(hours=i + 1)) for i in range(5)]
    (achievement,) = compute(facts, NOW).achievements
    assert (achievement.level, achievement.bonus) == ("mega", 10)


def test_achievements_count_the_iso_week_and_name_it():
    # Two letters last week, one this week (Monday morning).
    facts = [
        fact("letter.generated", datetime(2026, 11, 13, 10, tzinfo=UTC)),
        fact("letter.generated", datetime(2026, 11, 14, 10, tzinfo=UTC)),
        fact("letter.generated", datetime(2026, 11, 16, 8, tzinfo=UTC)),
    ]
    (achievement,) = compute(facts, NOW).achievements
    assert achievement.period == "2026-W47" == iso_week(NOW)
    assert achievement.value == 1
    assert achievement.level == "minor"


def test_the_same_progress_keeps_the_same_key_all_week():
    facts = [fact("letter.generated", ago(hours=i + 1)) for i in range(3)]
    keys = {
        (a.metric, a.level, a.period)
        for moment in (NOW, NOW + timedelta(hours=5), NOW + timedelta(days=2))
        for a in compute(facts, moment).achievements
    }
    assert keys == {("letters_created", "major", "2026-W47")}


def test_celebration_is_the_best_achievement_not_yet_celebrated():
    facts = [
        fact("cv.ats_scored", ago(10), ats_score=50),
        fact("cv.ats_scored", ago(1), ats_score=66),  # mega
        *[fact("letter.generated", ago(hours=i + 1)) for i in range(3)],  # major
        *sessions(0.1, 0.2, 0.3),  # minor
    ]
    progress = compute(facts, NOW)
    best = celebration(progress)
    assert (best.metric, best.level, best.bonus) == ("ats_score", "mega", 10)
    already = {("ats_score", "mega", "2026-W47")}
    assert celebration(progress, already).metric == "letters_created"
    already.add(("letters_created", "major", "2026-W47"))
    already.add(("session_frequency", "minor", "2026-W47"))
    assert celebration(progress, already) is None


def test_overall_trend_and_momentum_follow_the_metrics():
    rising = compute(
        [
            *sessions(0.5, 1, 2, 3),
            *[fact("letter.generated", ago(d)) for d in (1, 2)],
        ],
        NOW,
    )
    falling = compute(sessions(9, 10, 11, 12, 13), NOW)
    assert rising.trend == "rising"
    assert falling.trend == "falling"
    assert rising.momentum > 50 > falling.momentum
    assert falling.momentum >= 0 and rising.momentum <= 100


def test_as_dict_is_json_ready():
    data = as_dict(compute(sessions(0.5, 2.5, 3.5), NOW))
    assert data["trend"] == "rising"
    assert data["metrics"]["session_frequency"] == {
        "value": 3.0,
        "trend": "rising",
        "delta_1d": 1.0,
        "delta_7d": 3.0,
        "delta_30d": 3.0,
    }
    assert data["achievements"][0]["period"] == "2026-W47"
