import json

import pytest
from django.core.management import call_command
from django.test import override_settings

DEAD_CACHE = {
    "default": {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
        "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 0.5, "SOCKET_TIMEOUT": 0.5},
    }
}


def run_audit(capsys, *args):
    code = 0
    try:
        call_command("audit", *args)
    except SystemExit as exit:
        code = exit.code
    return code, capsys.readouterr()


@pytest.mark.django_db
def test_audit_json_lists_each_check_it_ran_and_exits_zero_without_errors(capsys):
    code, output = run_audit(capsys, "--format", "json")
    report = json.loads(output.out)
    assert code == 0 == report["exit_code"]
    titles = {check["title"] for check in report["checks"]}
    assert {
        "Production configuration (Django's deployment checks)",
        "Database reachable",
        "All migrations applied",
        "Cache reachable",
        "Optional integrations configured",
    } <= titles
    by_title = {check["title"]: check for check in report["checks"]}
    assert by_title["Database reachable"]["status"] == "ok"
    assert by_title["All migrations applied"]["status"] == "ok"
    integrations = by_title["Optional integrations configured"]["messages"]
    assert any("GEMINI_API_KEY" in m["message"] for m in integrations)


@pytest.mark.django_db
@override_settings(DEBUG=True)
def test_audit_reports_production_misconfiguration_as_warnings(capsys):
    _, output = run_audit(capsys, "--format", "json")
    report = json.loads(output.out)
    production = next(
        c for c in report["checks"] if c["title"].startswith("Production")
    )
    assert "security.W018" in {m["id"] for m in production["messages"]}  # DEBUG on


@pytest.mark.django_db
def test_audit_exits_one_and_names_the_failing_check(capsys):
    with override_settings(CACHES=DEAD_CACHE):
        code, output = run_audit(capsys, "--format", "json")
    report = json.loads(output.out)
    assert code == 1 == report["exit_code"]
    failing = [c["title"] for c in report["checks"] if c["status"] == "error"]
    assert failing == ["Cache reachable"]


@pytest.mark.django_db
def test_audit_text_report_is_readable(capsys):
    code, output = run_audit(capsys)
    assert code == 0
    assert "Database reachable" in output.out
    assert "checks:" in output.out
    assert "[1/" in output.err  # progress while it runs
