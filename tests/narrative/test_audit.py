import json

import pytest
from django.core.management import call_command

from narrative import services
from narrative.models import CapitalNarratif

pytestmark = pytest.mark.django_db


def audit(capsys):
    code = 0
    try:
        call_command("audit", "--format", "json")
    except SystemExit as exit:
        code = exit.code
    report = json.loads(capsys.readouterr().out)
    return code, {check["title"]: check for check in report["checks"]}


def test_the_audit_verifies_event_chains(capsys, user):
    services.record(user=user, type="luna.note")
    code, checks = audit(capsys)
    chains = checks["Narrative event chains intact (hashes, links, seqs without gaps)"]
    assert code == 0
    assert chains["status"] == "info"
    assert "1 event(s) verified" in chains["messages"][0]["message"]


def test_the_audit_fails_naming_a_broken_event(capsys, user, tamper):
    event, _ = services.record(user=user, type="luna.note", payload={"a": 1})
    tamper(
        "UPDATE narrative_event SET payload = %s WHERE id = %s", ['{"a": 2}', event.pk]
    )
    code, checks = audit(capsys)
    chains = checks["Narrative event chains intact (hashes, links, seqs without gaps)"]
    assert code == 1
    assert chains["status"] == "error"
    assert str(event.pk) in chains["messages"][0]["message"]


def test_the_audit_warns_about_a_lagging_projection(capsys, user):
    services.record(user=user, type="luna.note")
    services.record(user=user, type="luna.note")
    CapitalNarratif.objects.filter(user=user).update(last_seq=1)
    code, checks = audit(capsys)
    assert code == 0
    assert checks["Capital Narratif projections up to date"]["status"] == "warning"
