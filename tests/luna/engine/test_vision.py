from datetime import UTC, datetime, timedelta

import pytest

from luna.engine.progress import Fact
from luna.engine.vision import (
    INTENTS,
    career_phase,
    detect_intent,
    propose_goal,
    story_connection,
    suggest_actions,
)

NOW = datetime(2026, 11, 20, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("Peux-tu regarder mon CV ?", "cv"),
        ("J'écris une lettre pour Airbus", "letter"),
        ("Je cherche un emploi à Lyon", "job_search"),
        ("J'ai un entretien mardi", "interview"),
        ("Comment utiliser LinkedIn ?", "networking"),
        ("Quelles sont mes compétences clés ?", "skills"),
        ("Je pense à ma carrière", "career_strategy"),
        ("Can you check my resume?", "cv"),
        ("I have an interview tomorrow", "interview"),
        ("Bonjour Luna", None),
        ("Il fait beau", None),
    ],
)
def test_detect_intent(text, intent):
    assert detect_intent(text) == intent


def test_intents_are_the_seven_of_the_issue():
    assert INTENTS == (
        "cv",
        "letter",
        "job_search",
        "interview",
        "networking",
        "skills",
        "career_strategy",
    )


def test_intent_needs_whole_words():
    # "cv" is not in "cvs-like" tokens glued to other letters, "poste" not in
    # "posterieur".
    assert detect_intent("un avis postérieur") is None


def test_propose_a_french_goal_with_company_timeline_and_reason():
    draft = propose_goal(
        "Je veux devenir product manager chez Doctolib d'ici 12 mois, "
        "parce que j'aime construire des produits utiles."
    )
    assert draft.title == "Devenir product manager chez Doctolib"
    assert draft.category == "leadership_role"
    assert draft.timeline == "d'ici 12 mois"
    assert draft.why == "j'aime construire des produits utiles"


@pytest.mark.parametrize(
    ("text", "title", "category"),
    [
        (
            "Mon objectif est de trouver un CDI en data.",
            "Trouver un CDI en data",
            "career_goal",
        ),
        (
            "J’aimerais devenir développeuse web",
            "Devenir développeuse web",
            "career_goal",
        ),
        (
            "Je veux me reconvertir dans l'enseignement",
            "Me reconvertir dans l'enseignement",
            "industry_change",
        ),
        (
            "I want to become a data engineer at Spotify within 6 months",
            "Become a data engineer at Spotify",
            "career_goal",
        ),
        (
            "My goal is to land a team lead role.",
            "Land a team lead role",
            "leadership_role",
        ),
    ],
)
def test_propose_goal(text, title, category):
    draft = propose_goal(text)
    assert (draft.title, draft.category) == (title, category)


def test_english_timeline():
    draft = propose_goal("I want to become a data engineer at Spotify within 6 months")
    assert draft.timeline == "within 6 months"


@pytest.mark.parametrize(
    "text",
    ["Je veux un café", "Bonjour Luna", "Je veux devenir", "I want to go"],
)
def test_no_goal_is_heard_in_ordinary_messages(text):
    assert propose_goal(text) is None


def facts_of(*types):
    return [Fact(t, {}, NOW - timedelta(days=i)) for i, t in enumerate(types)]


def test_career_phase_is_discovery_without_history():
    assert career_phase([]) == "discovery"
    assert career_phase(facts_of("cv.optimized", "cv.optimized")) == "discovery"


def test_career_phase_growth_acceleration_transition():
    growth = facts_of("cv.optimized", "letter.generated", "cv.section_improved")
    acceleration = facts_of(
        "mirror_match.analyzed", "interview.prepared", "cv.optimized"
    )
    transition = facts_of("aube.session_started", "cv.optimized", "letter.generated")
    basics = facts_of("user.session_started", "user.session_started", "cv.ats_scored")
    assert career_phase(growth) == "growth"
    assert career_phase(acceleration) == "acceleration"
    assert career_phase(transition) == "transition"
    assert career_phase(basics) == "discovery"


def test_transition_actions_count_as_transition():
    facts = [
        Fact("user.action_completed", {"action": "plan_reconversion"}, NOW),
        Fact("cv.optimized", {}, NOW),
        Fact("user.session_started", {}, NOW),
    ]
    assert career_phase(facts) == "transition"


def test_mastery_needs_milestones_on_top_of_strategic_work():
    facts = facts_of(*["milestone.reached"] * 5, "interview.prepared", "cv.optimized")
    assert career_phase(facts) == "mastery"


def test_other_hub_events_do_not_dilute_the_phase():
    facts = facts_of(
        "cv.optimized", "letter.generated", "cv.optimized", *["energy.consumed"] * 20
    )
    assert career_phase(facts) == "growth"


def test_story_connection_ties_the_intent_to_the_goal():
    goal = "Devenir product manager chez Doctolib"
    sentences = {intent: story_connection(intent, goal, "en") for intent in INTENTS}
    assert all(goal in s for s in sentences.values())
    assert len(set(sentences.values())) == len(INTENTS)
    assert "CV" in sentences["cv"]
    assert "letter" in sentences["letter"]
    assert goal in story_connection(None, goal, "en")


def test_story_connection_without_a_goal_asks_for_one():
    for language in ("en", "fr"):
        sentence = story_connection("cv", None, language)
        assert sentence.endswith(".") or sentence.endswith("?")
    assert "goal" in story_connection("cv", None, "en")
    assert "?" in story_connection("cv", "", "en")


def test_suggest_actions_from_the_intent_then_the_progress():
    assert suggest_actions("cv") == [
        "optimisation_cv",
        "analyse_cv_complete",
        "verification_format",
    ]
    assert suggest_actions(None) == [
        "conseil_rapide",
        "optimisation_cv",
        "lettre_motivation",
    ]
    assert len(suggest_actions("letter", limit=2)) == 2
