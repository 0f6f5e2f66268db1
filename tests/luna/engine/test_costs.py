import pytest

from luna.engine.costs import ACTIONS, classify, is_small_talk


@pytest.mark.parametrize(
    ("text", "action"),
    [
        # The predecessor's test expectations.
        ("Salut Luna !", "luna_conversation"),
        ("Comment ça marche ?", "luna_conversation"),
        ("Donne-moi un conseil rapide", "luna_conseil"),
        ("Aide-moi avec mon CV", "luna_optimisation"),
        ("Optimise mon CV pour ce poste", "luna_optimisation"),
        ("Fais une analyse complète de mon profil", "luna_analyse"),
        ("Je veux une stratégie de reconversion", "luna_strategie"),
        # Paid intents come before small talk.
        ("merci, analyse mon CV", "luna_analyse"),
        ("ok, améliore ma lettre de motivation", "luna_optimisation"),
        ("Bonjour, j'ai besoin d'un conseil", "luna_conseil"),
        # English.
        ("Hi Luna!", "luna_conversation"),
        ("Thanks!", "luna_conversation"),
        ("Can you give me some advice?", "luna_conseil"),
        ("Please improve my resume", "luna_optimisation"),
        ("Run a full assessment of my profile", "luna_analyse"),
        ("I need a career change strategy", "luna_strategie"),
    ],
)
def test_classification(text, action):
    assert classify(text) == action


def test_words_inside_other_words_do_not_count():
    # "non" in "annonce", "aide" in "aidera", "audit" in "auditorium".
    assert classify("J'ai trouvé une annonce") == "luna_conversation"
    assert classify("Ça m'aidera demain à l'auditorium") == "luna_conversation"


def test_classification_is_accent_and_case_blind():
    assert classify("STRATÉGIE") == classify("strategie") == "luna_strategie"


def test_every_class_is_a_catalogue_code():
    assert set(ACTIONS) == {
        "luna_conversation",
        "luna_conseil",
        "luna_optimisation",
        "luna_analyse",
        "luna_strategie",
    }


def test_small_talk():
    assert is_small_talk("Merci Luna, bonne soirée")
    assert is_small_talk("ok")
    assert not is_small_talk("merci, analyse mon CV")
