"""Celebrations under concurrent messages, on PostgreSQL with real threads."""

import threading

import pytest
from django.db import connection

from energy.models import Kind, LedgerEntry
from luna import services
from luna.models import Celebration, Message
from tests.luna.helpers import balance, letters, set_balance

PAID = "Optimise mon CV pour ce poste"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_messages_celebrate_once_and_charge_each_once(
    make_user, no_gemini, settings
):
    settings.LUNA_CELEBRATION_COOLDOWN_SECONDS = 0  # only the unique key guards
    user = make_user()
    letters(user, 3)  # major: +5
    set_balance(user, 100)
    threads, results, errors = 8, [], []
    barrier = threading.Barrier(threads)

    def send():
        try:
            barrier.wait()
            results.append(services.chat(user=user, text=PAID))
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            connection.close()

    workers = [threading.Thread(target=send) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert errors == []
    assert len(results) == threads
    assert Celebration.objects.filter(user=user).count() == 1
    bonuses = LedgerEntry.objects.for_user(user).filter(kind=Kind.BONUS)
    assert [entry.amount for entry in bonuses] == [5]
    consumed = LedgerEntry.objects.for_user(user).filter(kind=Kind.CONSUME)
    assert consumed.count() == threads
    replies = Message.objects.filter(role="luna", status="complete")
    assert {m.energy_entry_id for m in replies} == {e.pk for e in consumed}
    assert balance(user) == 100 - threads * 12 + 5
    assert sum(1 for result in results if result.turn.celebration) == 1


@pytest.mark.django_db(transaction=True)
def test_repeated_messages_celebrate_once(make_user, no_gemini, no_cooldown):
    user = make_user()
    letters(user, 5)  # mega: +10
    set_balance(user, 50)
    celebrated = [
        services.chat(user=user, text=PAID).turn.celebration for _ in range(4)
    ]
    assert [bool(c) for c in celebrated] == [True, False, False, False]
    assert celebrated[0]["level"] == "mega" and celebrated[0]["bonus"] == 10
    assert balance(user) == 50 - 4 * 12 + 10
