import uuid

import pytest

from energy import services
from energy.models import LedgerEntry, Wallet


def consume(client, action="optimisation_cv", key=None, **body):
    return client.post(
        "/api/energy/consume",
        {"action": action, **body},
        format="json",
        HTTP_IDEMPOTENCY_KEY=key or uuid.uuid4().hex,
    )


def set_balance(user, balance: int) -> None:
    """Bring a wallet to ``balance`` through the service (a staff adjustment)."""
    current = services.wallet_view(user=user).balance
    if balance != current:
        services.adjust(
            user=user, amount=balance - current, reason="test setup", staff_label="test"
        )


def ledger_sum(user) -> int:
    return sum(LedgerEntry.objects.for_user(user).values_list("amount", flat=True))


def wallet(user) -> Wallet:
    return Wallet.objects.get(pk=user.pk)


@pytest.fixture
def consume_as():
    return consume
