"""The Journal Narratif (§4.5 of the inventory): the user's story told as
chapters, KPIs and next steps with their energy cost.

The predecessor's builder crashed on every call and served a fallback; this
one is built from the facts the caller passes. The shape follows the
predecessor's JournalDTO for the ``narrative``, ``social_proof`` and
``ethics`` parts; the caller adds ``user`` and ``energy`` (they need the
database).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _

from luna.engine.progress import Fact
from luna.engine.text import contains, patterns, words

MAX_CHAPTERS = 12
MAX_NEXT_STEPS = 3
ATS_TARGET = 85
TREND_THRESHOLD_PCT = 5
_TECH = patterns(
    (
        "tech",
        "developpeur",
        "developpeuse",
        "developer",
        "ingenieur",
        "ingenieure",
        "engineer",
        "software",
        "data",
        "cloud",
        "devops",
    )
)
_DOUBTS = (
    ("networking", patterns(("reseau", "networking", "relationnel", "contacts"))),
    ("quantification", patterns(("quantifier", "chiffres", "mesure*", "impact"))),
    ("career_change", patterns(("reconversion", "changement", "transition", "pivot"))),
    ("experience", patterns(("experience", "junior", "manque", "debutant*"))),
)


def _chapter(fact: Fact) -> dict[str, Any] | None:
    p = fact.payload
    kind, title, gain = "other", "", []
    if fact.type == "cv.optimized":
        kind, title = "cv", _("CV optimised")
        if p.get("ats_score") is not None:
            gain.append(_("ATS score %(score)s") % {"score": p["ats_score"]})
    elif fact.type == "cv.ats_scored":
        kind, title = "cv", _("CV scored")
        gain.append(_("ATS score %(score)s") % {"score": p.get("ats_score")})
    elif fact.type == "cv.section_improved":
        kind, title = "cv", _("CV section improved")
        if p.get("section"):
            gain.append(str(p["section"]))
    elif fact.type == "letter.generated":
        kind = "letter"
        title = _("Cover letter for %(company)s") % {
            "company": p.get("company_name") or "?"
        }
        if p.get("position_title"):
            gain.append(str(p["position_title"]))
    elif fact.type == "mirror_match.analyzed":
        kind, title = "analysis", _("Mirror Match")
        if p.get("match_pct") is not None:
            gain.append(_("%(pct)s%% match") % {"pct": p["match_pct"]})
    elif fact.type == "interview.prepared":
        kind, title = "other", _("Interview prepared")
        if p.get("company_name"):
            gain.append(str(p["company_name"]))
    elif fact.type == "energy.purchased":
        kind, title = "energy", _("Energy recharged")
        if p.get("amount") is not None:
            gain.append(_("+%(amount)s energy") % {"amount": p["amount"]})
    elif fact.type == "milestone.reached":
        kind = "milestone"
        title = str(p.get("title") or p.get("kpi") or _("Milestone reached"))
        if p.get("value") is not None:
            gain.append(str(p["value"]))
    elif fact.type == "narrative.started":
        kind, title = "milestone", _("Start of your Capital Narratif")
    else:
        return None
    return {
        "id": f"{fact.type}:{fact.occurred_at.isoformat()}",
        "type": kind,
        "title": title,
        "gain": gain,
        "ts": fact.occurred_at.isoformat(),
    }


def _scores(facts: list[Fact]) -> list[float]:
    out = []
    for f in facts:
        value = f.payload.get("ats_score")
        if not f.type.startswith("cv.") or isinstance(value, bool):
            continue
        if isinstance(value, int | float):
            out.append(float(value))
    return out


def _ats_kpi(facts: list[Fact]) -> dict[str, Any] | None:
    scores = _scores(facts)  # oldest first
    if not scores:
        return None
    mean = round(sum(scores) / len(scores), 1)
    delta_pct = None
    trend = "flat"
    if len(scores) >= 4:
        half = len(scores) // 2
        older = sum(scores[:half]) / half
        newer = sum(scores[half:]) / (len(scores) - half)
        if older:
            delta_pct = round((newer - older) / older * 100, 1)
            if delta_pct > TREND_THRESHOLD_PCT:
                trend = "up"
            elif delta_pct < -TREND_THRESHOLD_PCT:
                trend = "down"
    return {
        "value": mean,
        "target": ATS_TARGET,
        "trend": trend,
        "delta_pct_14d": delta_pct,
    }


def _last_doubt(facts: list[Fact]) -> str | None:
    for fact in reversed(facts):
        if not (
            fact.type == "narrative.started"
            or "onboarding" in fact.type
            or "session_zero" in fact.type
            or fact.type.startswith("aube.")
        ):
            continue
        text = " ".join(
            str(fact.payload.get(k, "")) for k in ("notes", "feedback", "motivation")
        )
        tokens = words(text)
        for doubt, rule in _DOUBTS:
            if contains(tokens, rule):
                return doubt
    return None


def _tech_target(facts: list[Fact]) -> bool:
    letters = [f for f in facts if f.type == "letter.generated"][-10:]
    texts = (
        f"{f.payload.get('company_name', '')} {f.payload.get('position_title', '')}"
        for f in letters
    )
    return any(contains(text, _TECH) for text in texts)


def build_journal(
    facts: Iterable[Fact],
    *,
    now: datetime,
    window_days: int = 90,
    goal_title: str | None = None,
    costs: dict[str, int],
    language: str = "fr",
) -> dict[str, Any]:
    """The journal over the last ``window_days``; ``costs`` maps the energy
    catalogue's action codes to their cost (codes missing from it are not
    offered)."""
    window = sorted(
        (f for f in facts if now - timedelta(days=window_days) <= f.occurred_at <= now),
        key=lambda f: f.occurred_at,
    )
    week_ago = now - timedelta(days=7)
    with translation.override(language):
        chapters = [c for c in (_chapter(f) for f in reversed(window)) if c][
            :MAX_CHAPTERS
        ]
        kpis: dict[str, Any] = {}
        ats = _ats_kpi(window)
        if ats:
            kpis["ats_mean"] = ats
        letters = sum(1 for f in window if f.type == "letter.generated")
        if letters:
            kpis["letters_count"] = {"value": letters}
        tech = _tech_target(window)
        recent = [f for f in window if f.occurred_at >= week_ago]
        sessions_7d = sum(1 for f in recent if f.type == "user.session_started")
        cv_7d = any(f.type.startswith("cv.") for f in recent)

        candidates: list[tuple[str, str]] = []
        if ats and ats["value"] < 80:
            candidates.append(("optimisation_cv", _("ATS +5 to +15 points")))
        if cv_7d:
            gain = _("See how your CV matches an offer")
            candidates.append(("mirror_match", gain))
        if tech:
            gain = _("A LinkedIn strategy for tech roles")
            candidates.append(("conseil_rapide", gain))
        if sessions_7d > 3:
            gain = _("A complete review of your CV")
            candidates.append(("analyse_cv_complete", gain))
        if not candidates:
            candidates.append(("conseil_rapide", _("A first step with Luna")))
        next_steps = []
        for code, gain in candidates:
            if code in costs and code not in {s["action"] for s in next_steps}:
                next_steps.append(
                    {
                        "action": code,
                        "cost": costs[code],
                        "cost_pct": costs[code],  # the predecessor's name
                        "expected_gain": gain,
                    }
                )
        next_steps = next_steps[:MAX_NEXT_STEPS]

        if tech:
            recommended = _("LinkedIn power moves")
        elif ats and ats["value"] < 75:
            recommended = _("In-depth CV optimisation")
        elif sessions_7d > 4:
            recommended = _("Mirror Match with targeted offers")
        elif not window:
            recommended = _("An initial skills review")
        else:
            recommended = _("Step-by-step profile optimisation")

    return {
        "narrative": {
            "goal": goal_title,
            "chapters": chapters,
            "kpis": kpis,
            "last_doubt": _last_doubt(window),
            "next_steps": next_steps,
        },
        # The predecessor showed invented peer percentages; none are measured,
        # so none are shown.
        "social_proof": {
            "peers_percentage_recommended_step": None,
            "recommended_label": recommended,
        },
        "ethics": {"ownership": True, "export_available": True},
        "window_days": window_days,
        "generated_at": now.isoformat(),
    }
