from datetime import UTC, datetime, timedelta

from luna.engine.journal import build_journal
from luna.engine.progress import Fact

NOW = datetime(2026, 11, 20, 18, tzinfo=UTC)
COSTS = {
    "conseil_rapide": 5,
    "optimisation_cv": 12,
    "mirror_match": 30,
    "analyse_cv_complete": 25,
}


def ago(days):
    return NOW - timedelta(days=days)


def journal(facts, **kwargs):
    options = {
        "now": NOW,
        "window_days": 30,
        "goal_title": None,
        "costs": COSTS,
        "language": "en",
    }
    options.update(kwargs)
    return build_journal(facts, **options)


def test_empty_history_gives_one_first_step():
    data = journal([])
    assert set(data) >= {"narrative", "social_proof", "ethics"}
    narrative = data["narrative"]
    assert narrative["chapters"] == []
    assert narrative["kpis"] == {}
    assert narrative["last_doubt"] is None
    assert narrative["next_steps"] == [
        {
            "action": "conseil_rapide",
            "cost": 5,
            "cost_pct": 5,
            "expected_gain": "A first step with Luna",
        }
    ]
    assert data["ethics"] == {"ownership": True, "export_available": True}
    # No invented statistics.
    assert data["social_proof"]["peers_percentage_recommended_step"] is None


def test_chapters_newest_first_typed_and_capped():
    facts = [
        Fact("cv.optimized", {"ats_score": 78}, ago(3)),
        Fact(
            "letter.generated",
            {"company_name": "Airbus", "position_title": "Chef de projet"},
            ago(2),
        ),
        Fact("mirror_match.analyzed", {"match_pct": 82}, ago(1)),
        Fact("energy.consumed", {"action": "x", "amount": 5}, ago(1)),  # no chapter
    ]
    chapters = journal(facts)["narrative"]["chapters"]
    assert [c["type"] for c in chapters] == ["analysis", "letter", "cv"]
    assert chapters[1]["title"] == "Cover letter for Airbus"
    assert chapters[1]["gain"] == ["Chef de projet"]
    assert chapters[2]["gain"] == ["ATS score 78"]
    assert chapters[0]["gain"] == ["82% match"]
    assert set(chapters[0]) == {"id", "type", "title", "gain", "ts"}
    many = [Fact("cv.section_improved", {}, ago(d / 10)) for d in range(30)]
    assert len(journal(many)["narrative"]["chapters"]) == 12


def test_facts_outside_the_window_are_left_out():
    facts = [Fact("cv.optimized", {}, ago(40))]
    assert journal(facts)["narrative"]["chapters"] == []
    assert len(journal(facts, window_days=90)["narrative"]["chapters"]) == 1


def test_kpis_ats_mean_trend_and_letters():
    facts = [
        Fact("cv.ats_scored", {"ats_score": score}, ago(20 - i))
        for i, score in enumerate((60, 62, 70, 72))
    ] + [Fact("letter.generated", {"company_name": "A", "position_title": "B"}, ago(1))]
    kpis = journal(facts)["narrative"]["kpis"]
    assert kpis["ats_mean"]["value"] == 66.0
    assert kpis["ats_mean"]["target"] == 85
    assert kpis["ats_mean"]["delta_pct_14d"] == round((71 - 61) / 61 * 100, 1)
    assert kpis["ats_mean"]["trend"] == "up"
    assert kpis["letters_count"] == {"value": 1}


def test_next_steps_follow_the_predecessors_rules_with_costs():
    facts = [
        Fact("cv.ats_scored", {"ats_score": 70}, ago(2)),
        Fact(
            "letter.generated",
            {"company_name": "Datadog", "position_title": "Software engineer"},
            ago(3),
        ),
    ]
    steps = journal(facts)["narrative"]["next_steps"]
    assert [(s["action"], s["cost"]) for s in steps] == [
        ("optimisation_cv", 12),
        ("mirror_match", 30),
        ("conseil_rapide", 5),
    ]
    assert steps[0]["expected_gain"] == "ATS +5 to +15 points"


def test_actions_missing_from_the_catalogue_are_not_offered():
    facts = [Fact("cv.ats_scored", {"ats_score": 70}, ago(2))]
    steps = journal(facts, costs={"conseil_rapide": 5})["narrative"]["next_steps"]
    assert [s["action"] for s in steps] == ["conseil_rapide"]


def test_last_doubt_from_the_onboarding():
    facts = [
        Fact(
            "narrative.started",
            {"motivation": "Je manque d'expérience, je suis junior"},
            ago(5),
        )
    ]
    assert journal(facts)["narrative"]["last_doubt"] == "experience"


def test_goal_and_language():
    data = journal([], goal_title="Devenir PM", language="fr")
    assert data["narrative"]["goal"] == "Devenir PM"
    assert data["window_days"] == 30
