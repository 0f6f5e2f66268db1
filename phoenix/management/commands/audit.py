"""Run every registered audit check and print what each one found."""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime

from django.core import checks
from django.core.checks.registry import registry
from django.core.management.base import BaseCommand

from phoenix.checks import AUDIT, default_databases

LEVELS = (
    (checks.CRITICAL, "error"),
    (checks.ERROR, "error"),
    (checks.WARNING, "warning"),
    (checks.INFO, "info"),
    (checks.DEBUG, "info"),
)
RANK = {"ok": 0, "info": 1, "warning": 2, "error": 3}


def level_name(level: int) -> str:
    return next(name for threshold, name in LEVELS if level >= threshold)


def run_audit_check(check) -> dict:
    title = (check.__doc__ or check.__name__).strip().splitlines()[0].rstrip(".")
    entry = {"id": f"{check.__module__}.{check.__qualname__}", "title": title}
    try:
        found = check(app_configs=None, databases=default_databases())
    except Exception as error:  # a crashed check is an error, not a pass
        found = [
            checks.Error(f"The check itself failed: {type(error).__name__}: {error}")
        ]
    entry["messages"] = [
        {
            "level": level_name(m.level),
            "id": m.id,
            "message": m.msg,
            "hint": m.hint,
            "object": None if m.obj is None else str(m.obj),
        }
        for m in found
    ]
    entry["status"] = max(
        (message["level"] for message in entry["messages"]),
        key=RANK.__getitem__,
        default="ok",
    )
    return entry


class Command(BaseCommand):
    help = "Run the platform's audit checks; exit 1 when any check reports an error."
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=("text", "json"), default="text")

    def handle(self, *args, **options):
        audit_checks = [
            check
            for check in registry.get_checks(include_deployment_checks=True)
            if AUDIT in getattr(check, "tags", ())
        ]
        text = options["format"] == "text"
        results = []
        for number, check in enumerate(audit_checks, start=1):
            if text:
                self.stderr.write(f"[{number}/{len(audit_checks)}] {check.__name__}…")
            results.append(run_audit_check(check))
        summary = {level: 0 for level in RANK}
        for result in results:
            summary[result["status"]] += 1
        exit_code = 1 if summary["error"] else 0
        report = {
            "generated_at": datetime.now(UTC).isoformat(),
            "checks": results,
            "summary": summary,
            "exit_code": exit_code,
        }
        if text:
            self.print_text(report)
        else:
            self.stdout.write(json.dumps(report, indent=2, ensure_ascii=False))
        sys.stdout.flush()
        if exit_code:
            raise SystemExit(exit_code)

    def print_text(self, report: dict) -> None:
        style = {
            "ok": self.style.SUCCESS,
            "info": self.style.SUCCESS,
            "warning": self.style.WARNING,
            "error": self.style.ERROR,
        }
        self.stdout.write(f"Phoenix Luna Hub audit ({report['generated_at']})")
        for result in report["checks"]:
            status = result["status"].upper().ljust(7)
            self.stdout.write(f"  {style[result['status']](status)}  {result['title']}")
            for message in result["messages"]:
                label = f"{message['id']}: " if message["id"] else ""
                self.stdout.write(
                    f"           {message['level']}: {label}{message['message']}"
                )
                if message["hint"]:
                    self.stdout.write(f"             hint: {message['hint']}")
        s = report["summary"]
        self.stdout.write(
            f"{len(report['checks'])} checks: {s['ok']} ok, {s['info']} info, "
            f"{s['warning']} with warnings, {s['error']} with errors."
        )
