from datetime import UTC, datetime, timedelta

from luna.engine.progress import Achievement, Fact, compute
from luna.engine.prompt import (
    SECTION_ORDER,
    PromptContext,
    Turn,
    build,
    estimate_tokens,
    fit_turns,
)
from luna.engine.sentiment import analyze

NOW = datetime(2026, 11, 20, 18, tzinfo=UTC)
ACTIONS = [
    ("optimisation_cv", "CV optimisation", 12),
    ("analyse_cv_complete", "Full CV analysis", 25),
]


def context(**overrides):
    values = {
        "language": "en",
        "first_name": "Ana",
        "app_context": "cv",
        "message": "Optimise mon CV, je suis un peu perdue",
        "action_code": "luna_optimisation",
        "cost": 12,
        "next_actions": ACTIONS,
    }
    values.update(overrides)
    return PromptContext(**values)


def test_sections_come_in_the_predecessors_order():
    prompt = build(context())
    assert (
        tuple(prompt.sections)
        == SECTION_ORDER
        == (
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
    )
    # The system instruction keeps that order and leaves the message to contents.
    positions = [
        prompt.system.index(prompt.sections[name])
        for name in SECTION_ORDER
        if prompt.sections[name] and name != "message"
    ]
    assert positions == sorted(positions)
    assert "Optimise mon CV" not in prompt.system


def test_persona_rules():
    persona = build(context()).sections["persona"]
    assert "Luna" in persona
    assert "short sentences" in persona
    assert '"we"' in persona
    assert "Always answer in English" in persona
    assert "energy cost" in persona and "small talk" in persona
    assert "Ana" in persona
    assert "Unlimited" not in persona


def test_unlimited_users_are_told_actions_are_free():
    prompt = build(context(is_unlimited=True))
    assert "Unlimited" in prompt.sections["persona"]
    assert "free for this user" in prompt.sections["rules"]
    assert "12 energy" not in prompt.system


def test_rules_list_the_actions_with_their_costs():
    rules = build(context()).sections["rules"]
    assert "CV optimisation (12 energy)" in rules
    assert "Full CV analysis (25 energy)" in rules
    assert "2 or 3 concrete next actions" in rules
    assert "question" in rules


def test_app_context_per_app():
    texts = {
        app: build(context(app_context=app)).sections["app_context"]
        for app in ("cv", "letters", "website", "aube", "general")
    }
    assert "ATS" in texts["cv"]
    assert "cover-letter" in texts["letters"]
    assert len(set(texts.values())) == 5


def test_sentiment_section_carries_the_mood_and_its_tone():
    section = build(context()).sections["sentiment"]
    assert "anxious" in section
    assert "small, easy steps" in section
    given = build(context(sentiment=analyze("super motivé, on fonce")))
    assert "motivated" in given.sections["sentiment"]


def test_vision_section_with_and_without_goal():
    with_goal = build(
        context(
            phase="growth",
            goal_title="Devenir product manager",
            story="A sharper CV brings you closer.",
        )
    ).sections["vision"]
    assert "growth" in with_goal
    assert "Devenir product manager" in with_goal
    assert "A sharper CV brings you closer." in with_goal
    assert "no goal yet" in build(context()).sections["vision"]


def test_progress_and_celebration_sections():
    facts = [
        Fact("cv.ats_scored", {"ats_score": 60}, NOW - timedelta(days=9)),
        Fact("cv.ats_scored", {"ats_score": 75}, NOW - timedelta(days=1)),
    ]
    progress = compute(facts, NOW)
    prompt = build(
        context(
            progress=progress,
            celebration=Achievement("ats_score", "mega", "2026-W47", 15, 10),
        )
    )
    assert "momentum" in prompt.sections["progress"]
    assert "ATS score: 75 (7 days: +15, rising)" in prompt.sections["progress"]
    assert "mega" in prompt.sections["celebration"]
    assert "10 energy" in prompt.sections["celebration"]
    assert build(context()).sections["celebration"] == ""
    assert "No recorded progress" in build(context()).sections["progress"]


def test_the_message_section_names_the_user():
    assert build(context()).sections["message"] == (
        "Ana: Optimise mon CV, je suis un peu perdue"
    )


def test_contents_alternate_roles_and_end_with_the_message():
    memory = [
        Turn("luna", "Bienvenue !"),  # a leading model turn is dropped
        Turn("user", "Salut"),
        Turn("user", "Tu es là ?"),  # merged with the previous user turn
        Turn("luna", "Oui !"),
    ]
    contents = build(context(memory=memory)).contents
    assert [c["role"] for c in contents] == ["user", "model", "user"]
    assert contents[0]["parts"] == [{"text": "Salut"}, {"text": "Tu es là ?"}]
    message = "Optimise mon CV, je suis un peu perdue"
    assert contents[-1]["parts"][-1] == {"text": message}


def test_memory_section_says_whether_the_conversation_is_new():
    assert "new conversation" in build(context()).sections["memory"]
    memory = [Turn("user", "Salut"), Turn("luna", "Bonjour")]
    assert "2 previous messages" in build(context(memory=memory)).sections["memory"]


def test_fit_turns_keeps_the_most_recent_turns_within_budget():
    turns = [Turn("user" if i % 2 else "luna", "x" * 400) for i in range(10)]
    size = estimate_tokens("x" * 400)  # 100 tokens + overhead
    kept = fit_turns(turns, budget_tokens=3 * size)
    assert kept == turns[-3:]
    assert fit_turns(turns, budget_tokens=size - 1) == []
    assert fit_turns(turns, budget_tokens=100_000) == turns


def test_fit_turns_stops_at_the_first_turn_that_does_not_fit():
    turns = [Turn("user", "a"), Turn("luna", "x" * 4000), Turn("user", "b")]
    assert fit_turns(turns, budget_tokens=50) == [turns[-1]]


def test_build_applies_the_memory_budget():
    memory = [Turn("user", f"message {i} " + "x" * 400) for i in range(50)]
    prompt = build(context(memory=memory, memory_budget_tokens=500))
    texts = [p["text"] for c in prompt.contents for p in c["parts"]]
    assert "message 49" in texts[-2]
    assert not any(t.startswith("message 0 ") for t in texts)
    assert sum(estimate_tokens(t) for t in texts[:-1]) <= 500


def test_french_prompt_uses_the_french_catalogue():
    prompt = build(context(language="fr"))
    # Without the compiled catalogue the English text stands in; the
    # structure and the data are the same either way.
    assert tuple(prompt.sections) == SECTION_ORDER
    assert "12" in prompt.sections["rules"]
