"""The Capital Narratif as the API serves it, computed from the folded state.

Rules (adapted from the predecessor, inventory §3.4 and §4.4, reading the
fields that are really written):

Career phase, from ``phase_signals`` (each career event counted once as
transition, strategy, skills or basics; see ``fold.PHASE_KEYWORDS``):

* fewer than 5 career events: **discovery** (not enough story yet);
* transition events > 30 %: **transition**;
* strategy events > 40 %: **acceleration**;
* strategy + skills events > 50 %: **growth** (the predecessor asked skills
  alone > 50 %, so a user doing both fell back to discovery);
* otherwise **discovery**.

Growth trajectory, from the actions performed (``energy.consumed`` and
``user.action_completed`` payloads): fewer than 3 actions: **early_user**;
otherwise the mean complexity of the 5 latest actions (``COMPLEXITY``):
≥ 4 **advanced_user**, ≥ 2.5 **progressing**, else **beginner**.

Engagement score, 0 to 100 (the predecessor's formula): up to 50 for the
variety of actions (10 per distinct action) plus up to 50 for activity
(2 per event).

Recommendations, at most three, in this order, never suggesting what the
user already does:

1. more than 3 letters and no ``strategie_candidature`` yet → that action;
2. more than 2 complete CV analyses and no Mirror Match yet → ``mirror_match``;
3. latest ATS score under 80 → ``optimisation_cv``;
4. a single kind of action so far → explore the other tools;
5. a tech profile (skills or target roles) → the tech templates;
6. nothing above → keep going.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from narrative.capital.fold import OTHER

# Complexity of an action, 1 to 5: the predecessor's table (conseil_rapide 1,
# format_lettre 2, lettre_motivation 3, analyse_cv_complete 4, mirror_match 5,
# strategie_candidature 5), extended to the whole catalogue by cost group.
COMPLEXITY = {
    "conseil_rapide": 1,
    "correction_ponctuelle": 1,
    "verification_format": 1,
    "luna_conversation": 1,
    "luna_conseil": 1,
    "format_lettre": 2,
    "analyse_offre": 2,
    "optimisation_cv": 3,
    "lettre_motivation": 3,
    "luna_optimisation": 3,
    "luna_analyse": 3,
    "analyse_cv_complete": 4,
    "salary_analysis": 4,
    "luna_strategie": 4,
    "mirror_match": 5,
    "strategie_candidature": 5,
    "transition_carriere": 5,
    "audit_complet_profil": 5,
    "plan_reconversion": 5,
    "simulation_entretien": 5,
}
MIN_PHASE_EVENTS = 5
ATS_TARGET = 80
TECH_WORDS = (
    "tech",
    "développeur",
    "developpeur",
    "developer",
    "ingénieur",
    "engineer",
    "software",
    "data",
    "cloud",
)


def phase_labels() -> dict[str, str]:
    return {
        "discovery": _("Discovery"),
        "growth": _("Growth"),
        "acceleration": _("Acceleration"),
        "transition": _("Transition"),
    }


def trajectory_labels() -> dict[str, str]:
    return {
        "early_user": _("Getting started"),
        "beginner": _("First steps"),
        "progressing": _("Progressing"),
        "advanced_user": _("Advanced"),
    }


def career_phase(signals: dict[str, int]) -> str:
    total = sum(signals.values())
    if total < MIN_PHASE_EVENTS:
        return "discovery"
    if signals["transition"] / total > 0.30:
        return "transition"
    if signals["strategy"] / total > 0.40:
        return "acceleration"
    if (signals["strategy"] + signals["skills"]) / total > 0.50:
        return "growth"
    return "discovery"


def growth_trajectory(actions: dict[str, int], recent: list[str]) -> str:
    if sum(actions.values()) < 3 or not recent:
        return "early_user"
    mean = sum(COMPLEXITY.get(action, 1) for action in recent) / len(recent)
    if mean >= 4:
        return "advanced_user"
    if mean >= 2.5:
        return "progressing"
    return "beginner"


def recommendations(state: dict[str, Any]) -> list[dict[str, Any]]:
    actions, counts, ats = state["actions"], state["types"], state["ats"]
    # A letter may be reported twice (energy spent, letter generated): count
    # the larger of the two, not their sum.
    letters = max(
        actions.get("lettre_motivation", 0), counts.get("letter.generated", 0)
    )
    analyses = max(
        actions.get("analyse_cv_complete", 0), counts.get("cv.ats_scored", 0)
    )
    matched = actions.get("mirror_match", 0) + counts.get("mirror_match.analyzed", 0)
    profile = " ".join(state["skills"] + state["target_roles"]).casefold()
    found = []
    if letters > 3 and not actions.get("strategie_candidature"):
        found.append(
            (
                "strategie_candidature",
                "strategie_candidature",
                _(
                    "You have written several letters: a targeted application "
                    "strategy would make each one count."
                ),
            )
        )
    if analyses > 2 and not matched:
        found.append(
            (
                "mirror_match",
                "mirror_match",
                _("Match your CV against a real job offer with Mirror Match."),
            )
        )
    if ats["latest"] is not None and ats["latest"] < ATS_TARGET:
        found.append(
            (
                "optimisation_cv",
                "optimisation_cv",
                _("Your ATS score is under %(target)d: optimise your CV.")
                % {"target": ATS_TARGET},
            )
        )
    if len([a for a in actions if a != OTHER]) == 1:
        found.append(
            (
                "explore",
                None,
                _("Explore the other Phoenix tools: CV, letters, Mirror Match."),
            )
        )
    if any(word in profile for word in TECH_WORDS):
        found.append(
            (
                "tech_templates",
                None,
                _("Use the templates made for tech profiles."),
            )
        )
    if not found:
        found.append(
            ("keep_going", None, _("Keep going: every step adds to your story."))
        )
    return [
        {"code": code, "action": action, "message": message}
        for code, action, message in found[:3]
    ]


def engagement_score(state: dict[str, Any]) -> int:
    distinct = len([action for action in state["actions"] if action != OTHER])
    return min(10 * distinct, 50) + min(2 * state["events"], 50)


def by_count(counter: dict[str, int]) -> dict[str, int]:
    return dict(sorted(counter.items(), key=lambda item: (-item[1], item[0])))


def render(state: dict[str, Any]) -> dict[str, Any]:
    """The API's view of a folded state (labels in the active language)."""
    ats = state["ats"]
    actions = by_count(state["actions"])
    phase = career_phase(state["phase_signals"])
    trajectory = growth_trajectory(state["actions"], state["recent_actions"])
    energy = state["energy"]
    return {
        "events_total": state["events"],
        "first_seen": state["first_seen"],
        "last_activity": state["last_activity"],
        "apps_used": [
            {"app_source": app, "events": count}
            for app, count in by_count(state["apps"]).items()
        ],
        "counts_by_type": by_count(state["types"]),
        "actions_performed": actions,
        "most_frequent_action": next(iter(actions), None),
        "skills": list(state["skills"]),
        "target_roles": list(state["target_roles"]),
        "energy": {
            "spent": energy["spent"],
            "refunded": energy["refunded"],
            "net": energy["spent"] - energy["refunded"],
            "by_action": by_count(energy["by_action"]),
        },
        "ats": {
            "scores": ats["count"],
            "latest": ats["latest"],
            "best": ats["best"],
            "mean": round(ats["sum"] / ats["count"], 1) if ats["count"] else None,
        },
        "career_phase": {
            "code": phase,
            "label": phase_labels()[phase],
            "signals": dict(state["phase_signals"]),
        },
        "growth_trajectory": {
            "code": trajectory,
            "label": trajectory_labels()[trajectory],
        },
        "engagement_score": engagement_score(state),
        "milestones": list(reversed(state["milestones"])),
        "recommendations": recommendations(state),
    }
