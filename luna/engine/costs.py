"""Which chat action a message is, and so what it costs.

The predecessor's classes and keywords (§3.6 of the inventory), fixed: rules
match whole words on folded text ("non" is not in "annonce") and the paid
intents are checked *before* small talk, so "merci, analyse mon CV" is an
analysis, not a free thank-you. The costs live in the energy catalogue
(``energy.models.Action``); this module only names the action.
"""

from __future__ import annotations

from luna.engine.text import contains, patterns, words

CONVERSATION = "luna_conversation"
CONSEIL = "luna_conseil"
OPTIMISATION = "luna_optimisation"
ANALYSE = "luna_analyse"
STRATEGIE = "luna_strategie"
ACTIONS = (CONVERSATION, CONSEIL, OPTIMISATION, ANALYSE, STRATEGIE)

# Paid intents, most expensive first; the first class that matches wins.
_PAID = (
    (
        STRATEGIE,
        patterns(
            (
                "reconversion",
                "transition",
                "strategie",
                "plan de carriere",
                "vision long terme",
                "vision a long terme",
                "changer de metier",
                "strategy",
                "career change",
                "career plan",
                "career transition",
                "long-term vision",
                "long term vision",
                "switch careers",
            )
        ),
    ),
    (
        ANALYSE,
        patterns(
            (
                "analyse",
                "analyser",
                "analyses",
                "analysez",
                "evalue",
                "evaluer",
                "evaluation",
                "audit",
                "auditer",
                "diagnostique",
                "diagnostic",
                "examine",
                "examiner",
                "decortique",
                "decortiquer",
                "passe au crible",
                "analyze",
                "analyse",
                "analysis",
                "assess",
                "assessment",
                "evaluate",
                "review my",
                "examine",
                "diagnose",
                "break down",
            )
        ),
    ),
    (
        OPTIMISATION,
        patterns(
            (
                "optimise",
                "optimiser",
                "optimisation",
                "optimize",
                "optimization",
                "ameliore",
                "ameliorer",
                "amelioration",
                "perfectionne",
                "perfectionner",
                "booster",
                "booste",
                "revois",
                "revoir",
                "repense",
                "repenser",
                "mon cv",
                "ma lettre",
                "lettre de motivation",
                "profil linkedin",
                "improve",
                "polish",
                "boost",
                "rewrite",
                "my cv",
                "my resume",
                "my letter",
                "cover letter",
                "linkedin profile",
            )
        ),
    ),
    (
        CONSEIL,
        patterns(
            (
                "conseil",
                "conseils",
                "conseille",
                "aide",
                "aide-moi",
                "aidez-moi",
                "suggestion",
                "suggestions",
                "suggere",
                "recommandation",
                "recommandations",
                "recommande",
                "idee",
                "idees",
                "fais-le",
                "go pour",
                "lance",
                "lancer",
                "commence",
                "commencer",
                "demarre",
                "demarrer",
                "advice",
                "advise",
                "help",
                "suggest",
                "suggestion",
                "recommend",
                "recommendation",
                "idea",
                "ideas",
                "tip",
                "tips",
                "let's start",
                "get started",
            )
        ),
    ),
)
# Small talk is free; it no longer needs a list to be free (unmatched → free),
# but it is kept so the rule reads as the predecessor's.
_SMALL_TALK = patterns(
    (
        "salut",
        "bonjour",
        "bonsoir",
        "hello",
        "coucou",
        "hey",
        "hi",
        "ca va",
        "comment vas-tu",
        "merci",
        "thanks",
        "thank you",
        "ok",
        "d'accord",
        "oui",
        "non",
        "yes",
        "no",
        "cool",
        "super",
        "genial",
        "je vois",
        "je comprends",
        "c'est quoi",
        "comment ca marche",
        "qui es-tu",
        "que peux-tu faire",
        "how are you",
        "who are you",
        "what can you do",
        "how does it work",
    )
)


def classify(text: str) -> str:
    """The chat action for ``text``: one of :data:`ACTIONS`."""
    tokens = words(text)
    for action, rule in _PAID:
        if contains(tokens, rule):
            return action
    # Small talk, a short reply or anything unrecognised is free.
    return CONVERSATION


def is_small_talk(text: str) -> bool:
    return classify(text) == CONVERSATION and (
        contains(text, _SMALL_TALK) or len(text.strip()) < 10
    )
