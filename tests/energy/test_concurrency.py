"""Real concurrency on PostgreSQL: threads, each with its own connection."""

import threading
import uuid

import pytest
from django.db import DatabaseError, connection, transaction
from rest_framework.test import APIClient

from energy.models import Kind, LedgerEntry
from tests.energy.conftest import consume, ledger_sum, set_balance, wallet

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def run_in_threads(count, work):
    barrier = threading.Barrier(count)
    results = [None] * count

    def target(index):
        try:
            barrier.wait()
            results[index] = work(index)
        finally:
            connection.close()

    threads = [threading.Thread(target=target, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def bearer_client(token):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


def test_32_threads_spend_exactly_what_the_balance_covers(auth_client, user):
    set_balance(user, 60)  # covers exactly 5 optimisations at 12
    token = auth_client.tokens.access

    def spend(index):
        response = consume(bearer_client(token), "optimisation_cv", key=f"t-{index}")
        return response.status_code

    codes = run_in_threads(32, spend)
    assert codes.count(201) == 5
    assert codes.count(402) == 27
    assert wallet(user).balance == 0 == ledger_sum(user)
    assert LedgerEntry.objects.for_user(user).filter(kind=Kind.CONSUME).count() == 5
    seqs = list(
        LedgerEntry.objects.for_user(user).order_by("seq").values_list("seq", flat=True)
    )
    assert seqs == list(range(1, len(seqs) + 1))


def test_the_same_key_20_times_at_once_spends_once(auth_client, user):
    token = auth_client.tokens.access
    key = str(uuid.uuid4())

    def spend(_index):
        response = consume(bearer_client(token), "optimisation_cv", key=key)
        return response.status_code, response.content

    results = run_in_threads(20, spend)
    codes = sorted(code for code, _ in results)
    assert codes == [200] * 19 + [201]
    assert len({body for _, body in results}) == 1
    assert LedgerEntry.objects.for_user(user).filter(kind=Kind.CONSUME).count() == 1
    assert wallet(user).balance == 88


def test_concurrent_refunds_of_one_consume_refund_once(auth_client, user):
    entry_id = consume(auth_client, "optimisation_cv").json()["entry"]["id"]
    token = auth_client.tokens.access

    def refund(_index):
        return (
            bearer_client(token)
            .post(
                "/api/energy/refund",
                {"entry_id": entry_id, "reason": "r"},
                format="json",
            )
            .status_code
        )

    codes = sorted(run_in_threads(10, refund))
    assert codes == [201] + [409] * 9
    assert wallet(user).balance == 100 == ledger_sum(user)


def test_the_database_refuses_to_update_or_delete_ledger_rows(user):
    from energy import services

    services.open_wallet(user=user)
    entry = LedgerEntry.objects.for_user(user).first()
    for statement in (
        "UPDATE energy_ledgerentry SET amount = 1000 WHERE id = %s",
        "DELETE FROM energy_ledgerentry WHERE id = %s",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement, [entry.pk])
    assert LedgerEntry.objects.get(pk=entry.pk).amount == 100


def test_the_database_refuses_a_negative_balance(user):
    from energy.models import Wallet

    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as c:
        c.execute("UPDATE energy_wallet SET balance = -1 WHERE user_id = %s", [user.pk])
    assert Wallet.objects.get(pk=user.pk).balance == 100
