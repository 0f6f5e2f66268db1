import json

import pytest
from django.core.management import call_command
from django.db.models import F

from energy import services
from energy.models import Kind, LedgerEntry, Plan, Wallet
from tests.energy.conftest import consume

pytestmark = pytest.mark.django_db


def audit(capsys):
    code = 0
    try:
        call_command("audit", "--format", "json")
    except SystemExit as exit:
        code = exit.code
    report = json.loads(capsys.readouterr().out)
    by_id = {c["id"].rsplit(".", 1)[-1]: c for c in report["checks"]}
    return code, by_id


def test_a_consistent_ledger_passes(capsys, auth_client):
    consume(auth_client)
    code, checks = audit(capsys)
    assert checks["check_ledger_consistency"]["status"] == "ok"
    assert code == 0


def test_a_drifted_balance_is_reported_with_the_wallet(capsys, user):
    services.open_wallet(user=user)
    Wallet.objects.filter(pk=user.pk).update(balance=F("balance") + 5)
    code, checks = audit(capsys)
    assert code == 1
    message = checks["check_ledger_consistency"]["messages"][0]["message"]
    assert str(user.pk) in message and "105" in message


def test_the_first_bad_entry_is_named(capsys, user):
    services.open_wallet(user=user)
    wallet = Wallet.objects.get(pk=user.pk)
    bad = LedgerEntry.objects.create(
        wallet=wallet,
        seq=2,
        kind=Kind.GRANT,
        amount=10,
        balance_after=999,
        idempotency_key="forged",
        actor="system",
    )
    Wallet.objects.filter(pk=user.pk).update(balance=110, entry_count=2)
    code, checks = audit(capsys)
    assert code == 1
    assert str(bad.pk) in checks["check_ledger_consistency"]["messages"][0]["message"]


def test_an_unlimited_plan_without_reason_is_reported(capsys, user):
    services.open_wallet(user=user)
    Wallet.objects.filter(pk=user.pk).update(plan=Plan.UNLIMITED, unlimited_reason="")
    code, checks = audit(capsys)
    assert code == 1
    assert checks["check_unlimited_reasons"]["status"] == "error"
