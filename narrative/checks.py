"""Audit checks for ``manage.py audit`` (tag ``audit``, deployment only)."""

from __future__ import annotations

from django.core import checks
from django.db.models import F

from narrative import verification
from narrative.models import CapitalNarratif


def check_event_chains(app_configs=None, databases=None, **kwargs):
    """Narrative event chains intact (hashes, links, seqs without gaps)."""
    if not databases:
        return []
    report = verification.verify()
    messages = [
        checks.Error(
            problem.message,
            hint="Run: python manage.py verify_events"
            + ("" if problem.stream == "system" else f" --user {problem.stream}"),
            id="narrative.E001",
        )
        for problem in report.problems
    ]
    messages.append(
        checks.Info(
            f"{report.streams} stream(s), {report.events} event(s) "
            + ("read." if report.problems else "verified."),
            id="narrative.I001",
        )
    )
    return messages


def check_projections(app_configs=None, databases=None, **kwargs):
    """Capital Narratif projections up to date."""
    if not databases:
        return []
    behind = CapitalNarratif.objects.exclude(
        last_seq=F("user__narrative_stream__last_seq")
    ).count()
    if not behind:
        return []
    return [
        checks.Warning(
            f"{behind} Capital Narratif projection(s) lag behind their stream.",
            hint="Run: python manage.py rebuild_narrative",
            id="narrative.W001",
        )
    ]
