"""Loop 3 — the user's goal, their career phase and the story connection.

The predecessor gave everyone the same hard-coded goal; here the goal is the
user's own (``luna.models.Goal``), possibly proposed by :func:`propose_goal`
from something they said and stored only once they confirm it. The career
phase reads the hub's event types (the predecessor read a column that was
never filled, so every user was in "discovery").
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils import translation
from django.utils.translation import gettext as _

from luna.engine.progress import Fact
from luna.engine.text import first_match, patterns, words

INTENTS = (
    "cv",
    "letter",
    "job_search",
    "interview",
    "networking",
    "skills",
    "career_strategy",
)
_INTENT_WORDS = {
    "cv": patterns(
        (
            "cv",
            "curriculum",
            "resume",
            "ats",
            "optimise*",
            "optimize*",
        )
    ),
    "letter": patterns(
        (
            "lettre",
            "lettres",
            "candidature",
            "candidatures",
            "postule",
            "cover letter",
            "letter",
            "letters",
        )
    ),
    "job_search": patterns(
        (
            "offre",
            "offres",
            "poste",
            "postes",
            "job",
            "jobs",
            "emploi",
            "emplois",
            "candidater",
            "postuler",
            "recrute*",
            "job offer",
            "opening",
            "openings",
            "apply",
            "applying",
            "hiring",
            "vacancy",
        )
    ),
    "interview": patterns(
        (
            "entretien",
            "entretiens",
            "interview",
            "interviews",
            "prepare*",
            "questions",
            "recruteur",
            "recruiter",
        )
    ),
    "networking": patterns(
        (
            "reseau",
            "reseaux",
            "networking",
            "network",
            "linkedin",
            "contacts",
            "contact",
            "reseauter",
        )
    ),
    "skills": patterns(
        (
            "competence",
            "competences",
            "skill",
            "skills",
            "evalue*",
            "bilan",
            "formation",
            "training",
            "certification",
        )
    ),
    "career_strategy": patterns(
        (
            "carriere",
            "evolution",
            "progression",
            "objectif",
            "objectifs",
            "career",
            "promotion",
            "goal",
            "goals",
            "reconversion",
            "transition",
        )
    ),
}

PHASES = ("discovery", "growth", "acceleration", "transition", "mastery")
PHASE_LOOKBACK_DAYS = 180
# Which facts show which kind of work (the predecessor's basics / skill
# building / strategic / transition, on the hub's types).
_BASICS = ("user.session_started", "narrative.started", "cv.ats_scored")
_SKILL = ("cv.optimized", "cv.section_improved", "letter.generated")
_STRATEGIC = ("mirror_match.analyzed", "interview.prepared", "milestone.reached")
_TRANSITION_ACTIONS = ("transition_carriere", "plan_reconversion")
_TRANSITION_WORDS = ("transition", "reconversion", "pivot", "career_change")

GOAL_CATEGORIES = (
    "career_goal",
    "leadership_role",
    "industry_change",
    "skill_mastery",
)


@dataclass
class GoalDraft:
    title: str
    category: str = "career_goal"
    timeline: str = ""
    why: str = ""


# --- Intent -------------------------------------------------------------------


def detect_intent(text: str) -> str | None:
    """What the message is about (one of :data:`INTENTS`), or ``None``."""
    tokens = words(text)
    for intent in INTENTS:
        if first_match(tokens, _INTENT_WORDS[intent]):
            return intent
    return None


# --- Goal capture ---------------------------------------------------------------

_END = (
    r"(?=\s*(?:[.!?;\n]|,|\s(?:d['’]ici|dans|avant|en\s+\d|within|by|in\s+\d|"
    r"before|parce|car|because|pour\s+(?:pouvoir|avoir|etre|être)|so\s+that)\b|$))"
)
_TIMELINE = re.compile(
    r"\b(?P<timeline>(?:d['’]ici|dans|avant|within|by|in|before)\s+"
    r"(?:(?:la\s+|the\s+)?fin\s+(?:de\s+)?(?:l['’]ann[ée]e|\d{4})|"
    r"(?:the\s+)?end\s+of\s+(?:the\s+year|\d{4})|"
    r"(?:\d+|un|une|deux|trois|six|one|two|three|six|twelve|douze)\s+"
    r"(?:mois|ans?|ann[ée]es?|semaines?|months?|years?|weeks?)|\d{4}))",
    re.IGNORECASE,
)
_WHY = re.compile(
    r"\b(?:parce\s+qu['’]?e?|car|because|pour\s+(?=pouvoir|avoir|[êe]tre)|so\s+that)\s*"
    r"(?P<why>[^.!?\n]{3,200})",
    re.IGNORECASE,
)
_GOAL_PATTERNS = (
    # "je veux devenir product manager chez Doctolib"
    re.compile(
        r"\b(?:je|j['’])\s*(?:veux|voudrais|souhaite|aimerais|compte|vais)\s+"
        r"(?P<title>(?:devenir|[êe]tre|d[ée]crocher|trouver|obtenir|"
        r"rejoindre|int[ée]grer|passer|me\s+reconvertir|changer\s+de)\s*.+?)" + _END,
        re.IGNORECASE,
    ),
    # "mon objectif est de devenir…", "mon but, c'est de…"
    re.compile(
        r"\bmon\s+(?:objectif|but|r[êe]ve|projet)\s*(?:principal\s*)?"
        r"(?:,\s*)?(?:est|c['’]est|serait)\s+(?:de\s+|d['’])"
        r"(?P<title>.+?)" + _END,
        re.IGNORECASE,
    ),
    # "I want to become a data engineer at Spotify"
    re.compile(
        r"\bi\s*(?:want|would\s+like|['’]d\s+like|plan|hope|aim)\s+to\s+"
        r"(?P<title>(?:become|be|land|get|join|find|move\s+into|switch\s+to)\s+.+?)"
        + _END,
        re.IGNORECASE,
    ),
    # "my goal is to…"
    re.compile(
        r"\bmy\s+(?:goal|aim|dream|objective)\s+is\s+to\s+(?P<title>.+?)" + _END,
        re.IGNORECASE,
    ),
)
_LEADERSHIP = patterns(
    (
        "manager",
        "chef",
        "cheffe",
        "directeur",
        "directrice",
        "director",
        "head",
        "lead",
        "responsable",
        "cto",
        "ceo",
        "vp",
        "manager*",
        "team lead",
    )
)
_CHANGE = patterns(
    (
        "reconversion",
        "reconvertir",
        "changer de metier",
        "changer de secteur",
        "career change",
        "switch",
        "pivot",
        "transition",
        "move into",
    )
)
_SKILL_WORDS = patterns(
    (
        "maitriser",
        "apprendre",
        "expert",
        "experte",
        "master",
        "learn",
        "certifie*",
        "certified",
        "competence*",
    )
)


def propose_goal(text: str) -> GoalDraft | None:
    """A goal the user just stated, in their own words, or ``None``.

    Luna offers it; it becomes a ``Goal`` only when the user confirms.
    """
    for goal_pattern in _GOAL_PATTERNS:
        found = goal_pattern.search(text)
        if not found:
            continue
        title = " ".join(found.group("title").split()).strip(" ,;:-")
        if len(title) < 6 or len(words(title)) < 2:
            continue
        title = title[:1].upper() + title[1:]
        title = title[:200]
        rest = text[found.start() :]
        timeline = _TIMELINE.search(rest)
        why = _WHY.search(rest)
        tokens = words(text)
        if first_match(tokens, _CHANGE):
            category = "industry_change"
        elif first_match(words(title), _LEADERSHIP):
            category = "leadership_role"
        elif first_match(words(title), _SKILL_WORDS):
            category = "skill_mastery"
        else:
            category = "career_goal"
        return GoalDraft(
            title=title,
            category=category,
            timeline=" ".join(timeline.group("timeline").split()) if timeline else "",
            why=" ".join(why.group("why").split()).strip(" ,;") if why else "",
        )
    return None


# --- Career phase ---------------------------------------------------------------


def _kind(fact: Fact) -> str | None:
    action = str(fact.payload.get("action", ""))
    if (
        fact.type.startswith("aube.")
        or action in _TRANSITION_ACTIONS
        or any(word in fact.type for word in _TRANSITION_WORDS)
    ):
        return "transition"
    if fact.type in _STRATEGIC or action in (
        "strategie_candidature",
        "mirror_match",
        "simulation_entretien",
        "audit_complet_profil",
    ):
        return "strategic"
    if fact.type in _SKILL or action in (
        "optimisation_cv",
        "lettre_motivation",
        "analyse_cv_complete",
    ):
        return "skill"
    if fact.type in _BASICS or fact.type == "user.action_completed":
        return "basics"
    return None


def career_phase(facts: Iterable[Fact]) -> str:
    """discovery, growth, acceleration, transition or mastery, from the
    user's facts (the caller passes the last :data:`PHASE_LOOKBACK_DAYS`)."""
    kinds = [k for k in (_kind(f) for f in facts) if k]
    if len(kinds) < 3:
        return "discovery"
    total = len(kinds)
    share = {k: kinds.count(k) / total for k in ("transition", "strategic", "skill")}
    milestones = sum(1 for f in facts if f.type == "milestone.reached")
    if share["transition"] > 0.3:
        return "transition"
    if share["strategic"] > 0.4:
        return "mastery" if milestones >= 5 else "acceleration"
    if share["skill"] > 0.5:
        return "growth"
    return "discovery"


def phase_label(phase: str, language: str) -> str:
    with translation.override(language):
        return {
            "discovery": _("discovery"),
            "growth": _("growth"),
            "acceleration": _("acceleration"),
            "transition": _("transition"),
            "mastery": _("mastery"),
        }.get(phase, phase)


# --- Story connection -------------------------------------------------------------


def story_connection(intent: str | None, goal_title: str | None, language: str) -> str:
    """One sentence tying what the user is doing to their primary goal; with
    no goal, a sentence asking for one."""
    with translation.override(language):
        if not goal_title:
            return _(
                "Tell me about your goal: what would you like to achieve in the "
                "coming months? I will link every step to it."
            )
        goal = {"goal": goal_title}
        sentences = {
            "cv": _("A sharper CV brings you closer to your goal: %(goal)s."),
            "letter": _("Each letter you write is a step towards your goal: %(goal)s."),
            "job_search": _(
                "Targeting the right offers is how we reach your goal: %(goal)s."
            ),
            "interview": _(
                "Preparing this interview is the last stretch towards your goal: "
                "%(goal)s."
            ),
            "networking": _(
                "The right contacts open doors towards your goal: %(goal)s."
            ),
            "skills": _(
                "Knowing your strengths makes your goal more reachable: %(goal)s."
            ),
            "career_strategy": _(
                "Let us keep the strategy aligned with your goal: %(goal)s."
            ),
        }
        sentence = sentences.get(intent or "")
        if sentence is None:
            sentence = _("Everything we do together serves your goal: %(goal)s.")
        return sentence % goal


# --- Suggestions -------------------------------------------------------------------

_BY_INTENT = {
    "cv": ("optimisation_cv", "analyse_cv_complete", "verification_format"),
    "letter": ("lettre_motivation", "format_lettre", "analyse_offre"),
    "job_search": ("analyse_offre", "mirror_match", "strategie_candidature"),
    "interview": ("simulation_entretien", "conseil_rapide", "analyse_offre"),
    "networking": ("conseil_rapide", "audit_complet_profil", "strategie_candidature"),
    "skills": ("audit_complet_profil", "analyse_cv_complete", "conseil_rapide"),
    "career_strategy": ("strategie_candidature", "plan_reconversion", "conseil_rapide"),
}


def suggest_actions(intent: str | None, progress=None, limit: int = 3) -> list[str]:
    """Action codes (energy catalogue) worth proposing next, best first: the
    intent's own actions, then what the progress loop says to encourage."""
    codes: list[str] = list(_BY_INTENT.get(intent or "", ()))
    if progress is not None:
        codes += [e.suggestion for e in progress.encourage]
    codes += ["conseil_rapide", "optimisation_cv", "lettre_motivation"]
    return list(dict.fromkeys(codes))[:limit]
