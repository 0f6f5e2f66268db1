import pytest

from luna.engine.sentiment import FRENCH_LABELS, analyze, tone_instruction


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("super motivé, on fonce", "motivated"),
        ("un peu perdu… je ne sais pas par où commencer", "anxious"),
        ("m'expliquer concrètement comment optimiser les mots-clés ATS", "factual"),
        ("Qu'est-ce qui rend une lettre vraiment différente", "curious"),
        ("SUPER MOTIVÉE, ON FONCE !!!", "motivated"),
        ("I'm so excited, let's go!", "motivated"),
        ("I'm worried and a bit lost, I don't know where to start", "anxious"),
        ("Give me precisely the metrics, step by step", "factual"),
        ("What makes a letter stand out? I'm curious", "curious"),
        ("Je voudrais un café", "neutral"),
    ],
)
def test_the_predecessors_examples_and_their_english_twins(text, label):
    assert analyze(text).label == label


def test_keywords_are_whole_words_not_substrings():
    assert analyze("c'est durable").label != "anxious"
    assert analyze("I booked a call").label != "motivated"
    assert analyze("I booked a call").label == "neutral"


@pytest.mark.parametrize(
    "text",
    [
        "pas motivé du tout",
        "je ne suis pas motivée",
        "I am not excited",
        "I'm not really motivated",
        "honestly I don't feel ready",
    ],
)
def test_a_negated_motivation_is_not_motivation(text):
    result = analyze(text)
    assert result.label != "motivated"
    assert result.label == "anxious"  # a low mood, answered gently


def test_a_negated_worry_is_not_a_worry():
    assert analyze("je ne suis pas stressé").label == "neutral"
    assert analyze("I'm not worried at all").label == "neutral"


def test_no_keyword_is_neutral_at_the_predecessors_confidence():
    result = analyze("Voici mon numéro de dossier 1234")
    assert (result.label, result.confidence, result.keywords) == ("neutral", 0.3, ())


def test_confidence_is_the_winners_share_of_the_points():
    # "perdu" (+2 anxious) against "comment" (+1 factual).
    result = analyze("je suis perdu, comment faire")
    assert result.label == "anxious"
    assert result.confidence == pytest.approx(2 / 3, abs=0.01)


def test_ties_go_to_the_predecessors_order():
    # "motivé" (+2 motivated) and "perdu" (+2 anxious): motivated comes first.
    assert analyze("motivé mais perdu").label == "motivated"


def test_history_boost_when_the_same_label_won_two_of_the_last_three():
    text = "je suis perdu, comment faire"
    alone = analyze(text).confidence
    history = ["bonjour", "je suis stressé", "c'est trop compliqué"]
    assert analyze(text, history).confidence == pytest.approx(alone + 0.2)


def test_no_history_boost_with_one_message_or_another_label():
    text = "je suis perdu, comment faire"
    alone = analyze(text).confidence
    assert analyze(text, ["je suis stressé"]).confidence == alone
    assert analyze(text, ["super !", "on fonce", "je suis stressé"]).confidence == alone


def test_only_the_last_three_messages_count_for_the_boost():
    text = "je suis perdu, comment faire"
    alone = analyze(text).confidence
    old = ["je suis stressé", "c'est compliqué", "merci", "ok", "super"]
    assert analyze(text, old).confidence == alone


def test_keywords_are_reported_in_text_order_at_most_five():
    result = analyze("super motivé, on fonce, c'est parti, génial, parfait, excellent")
    assert result.keywords == ("super", "motive", "fonce", "c'est parti", "genial")


def test_emotional_state_style_and_energy():
    high = analyze("Vite, donne-moi la suite maintenant !!")
    assert high.energy_level == "high"
    assert high.communication_style in {"urgent", "direct"}
    assert analyze("bon... je suis fatigué").energy_level == "low"
    assert analyze("c'est génial, merci !").emotional_state == "positive"
    assert analyze("j'en ai marre, c'est nul...").emotional_state == "negative"
    assert analyze("Pourrais-tu m'aider s'il te plaît, merci").communication_style == (
        "polite"
    )
    assert analyze("salut, cool").communication_style == "casual"
    assert analyze("Mon CV est prêt").energy_level == "medium"


def test_a_negated_positive_word_is_not_positive():
    assert analyze("I am not excited").emotional_state == "neutral"
    assert analyze("ce n'est pas génial").emotional_state == "neutral"


def test_a_capitalised_sentence_is_not_shouting():
    assert analyze("Je travaille sur mon CV chez Airbus").communication_style == (
        "neutral"
    )


def test_each_label_keeps_its_french_name():
    assert FRENCH_LABELS == {
        "motivated": "motivé",
        "anxious": "anxieux",
        "factual": "factuel",
        "curious": "curieux",
        "neutral": "neutre",
    }
    assert analyze("super motivé").french_label == "motivé"


@pytest.mark.parametrize(
    ("label", "words"),
    [
        ("motivated", "ambitious"),
        ("anxious", "small, easy steps"),
        ("factual", "figures"),
        ("curious", "question"),
        ("neutral", "warm"),
    ],
)
def test_each_label_has_its_tone(label, words):
    assert words in tone_instruction(label, "en")


def test_tones_differ_per_label():
    labels = ["motivated", "anxious", "factual", "curious", "neutral"]
    assert len({tone_instruction(label, "en") for label in labels}) == 5
