from energy import services as energy
from energy.models import Kind, LedgerEntry
from narrative import services as narrative


def balance(user) -> int:
    return energy.open_wallet(user=user).__class__.objects.get(pk=user.pk).balance


def set_balance(user, value: int) -> None:
    current = balance(user)
    if value != current:
        energy.adjust(
            user=user, amount=value - current, reason="test", staff_label="test"
        )


def letters(user, count: int) -> None:
    for index in range(count):
        narrative.record(
            user=user,
            type="letter.generated",
            payload={"company_name": f"Acme {index}", "position_title": "PM"},
            app_source="letters",
        )


def consumes(user):
    return LedgerEntry.objects.for_user(user).filter(kind=Kind.CONSUME)


def refunds(user):
    return LedgerEntry.objects.for_user(user).filter(kind=Kind.REFUND)
