import pytest
from django.utils import translation

from luna.engine.coach import chunks, compose, reply
from luna.engine.progress import Achievement
from luna.engine.prompt import PromptContext

ACTIONS = [
    ("optimisation_cv", "Optimisation du CV", 12),
    ("analyse_cv_complete", "Analyse complète du CV", 25),
    ("verification_format", "Vérification du format", 3),
]
GOAL = "Devenir product manager chez Doctolib"


def context(**overrides):
    values = {
        "language": "en",
        "first_name": "Ana",
        "app_context": "cv",
        "message": "je suis un peu perdue avec mon CV",
        "next_actions": ACTIONS,
        "goal_title": GOAL,
    }
    values.update(overrides)
    return PromptContext(**values)


def test_reply_acknowledges_links_proposes_with_costs_and_asks():
    text = compose(context())
    assert text.startswith("I hear you, Ana")
    assert GOAL in text
    assert "Optimisation du CV — 12 energy" in text
    assert "Analyse complète du CV — 25 energy" in text
    assert "Vérification du format — 3 energy" in text
    assert text.rstrip().endswith("?")


def test_reply_is_streamed_in_chunks_that_rebuild_it():
    parts = reply(context())
    assert len(parts) > 5
    assert "".join(parts) == compose(context())


def test_chunks_keep_every_character():
    text = "  Un deux  trois\n\nquatre cinq six sept huit neuf "
    assert "".join(chunks(text, size=3)) == text
    assert chunks("") == [""]


@pytest.mark.parametrize(
    ("message", "opening", "question"),
    [
        ("super motivée", "I love this energy", "Which one do we start with?"),
        ("je suis perdue", "I hear you", "Which small step feels doable today?"),
        (
            "explique-moi concrètement",
            "Let us be concrete",
            "Do you want the details of one of them?",
        ),
        (
            "qu'est-ce qui rend un CV différent ?",
            "Good question",
            "Which one would you like to explore first?",
        ),
        ("Salut", "Hello Ana", "Which one suits you best?"),
    ],
)
def test_the_mood_sets_the_opening_and_the_question(message, opening, question):
    text = compose(context(message=message))
    assert text.startswith(opening)
    assert text.endswith(question)


def test_at_most_three_actions():
    many = [*ACTIONS, ("mirror_match", "Mirror Match", 30)]
    assert "Mirror Match" not in compose(context(next_actions=many))


def test_unlimited_users_see_free_actions():
    text = compose(context(is_unlimited=True))
    assert "free with Luna Unlimited" in text
    assert "12 energy" not in text


def test_free_actions_are_said_free():
    text = compose(context(next_actions=[("luna_conversation", "Discuter", 0)]))
    assert "Discuter — free" in text


def test_no_goal_means_asking_for_one():
    text = compose(context(goal_title=None))
    assert "Tell me about your goal" in text


def test_celebration_with_bonus():
    achievement = Achievement("ats_score", "major", "2026-W47", 9, 5)
    text = compose(context(celebration=achievement))
    assert "your ATS score rose by 9 points this week" in text
    assert "bonus of 5 energy" in text
    letters = Achievement("letters_created", "minor", "2026-W47", 1, 0)
    text = compose(context(celebration=letters))
    assert "Letters written this week: 1. Bravo!" in text
    assert "bonus" not in text


def test_without_actions_the_coach_still_asks():
    text = compose(context(next_actions=[]))
    assert text.endswith("What would help you most right now?")


def test_french_reply_keeps_the_data_and_the_shape():
    text = compose(context(language="fr"))
    assert "Ana" in text
    assert GOAL in text
    assert "Optimisation du CV" in text and "12" in text
    assert text.rstrip().endswith("?")


def test_french_reply_is_in_french_once_the_catalogue_is_compiled():
    with translation.override("fr"):
        if translation.gettext("Here is what I suggest:") == "Here is what I suggest:":
            pytest.skip("French catalogue not compiled yet (tools/fr-luna-engine.json)")
    text = compose(context(language="fr"))
    assert text.startswith("Je t'entends, Ana")
    assert "Optimisation du CV — 12 points d'énergie" in text
    assert "Here is what I suggest" not in text


def test_the_active_language_is_restored():
    with translation.override("en"):
        compose(context(language="fr"))
        assert translation.get_language() == "en"


def test_reply_is_deterministic():
    assert reply(context()) == reply(context())
