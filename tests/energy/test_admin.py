import pytest

from accounts.models import User
from energy.models import Action, Kind, LedgerEntry, Wallet
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client, make_user):
    admin_user = make_user(email="ops@phoenix.ai")
    User.objects.filter(pk=admin_user.pk).update(is_staff=True, is_superuser=True)
    client.login(email="ops@phoenix.ai", password=PASSWORD)
    return client


def test_staff_edit_costs_in_the_catalogue_list(staff):
    page = staff.get("/admin/energy/action/")
    assert page.status_code == 200 and b"optimisation_cv" in page.content


def test_staff_grant_energy_with_a_reason_through_the_service(staff, user):
    from energy import services

    services.open_wallet(user=user)
    url = "/admin/energy/wallet/"
    form = staff.post(
        url, {"action": "adjust_energy", "_selected_action": [str(user.pk)]}
    )
    assert form.status_code == 200 and b"reason" in form.content.lower()
    staff.post(
        url,
        {
            "action": "adjust_energy",
            "_selected_action": [str(user.pk)],
            "apply": "1",
            "amount": "25",
            "reason": "Geste commercial",
        },
    )
    assert Wallet.objects.get(pk=user.pk).balance == 125
    entry = LedgerEntry.objects.for_user(user).get(kind=Kind.ADJUSTMENT)
    assert entry.reason == "Geste commercial" and entry.actor == "staff"


def test_a_reason_is_required(staff, user):
    from energy import services

    services.open_wallet(user=user)
    staff.post(
        "/admin/energy/wallet/",
        {
            "action": "adjust_energy",
            "_selected_action": [str(user.pk)],
            "apply": "1",
            "amount": "25",
            "reason": "",
        },
    )
    assert Wallet.objects.get(pk=user.pk).balance == 100


def test_ledger_and_wallet_balance_are_read_only(staff, user):
    from energy import services

    services.open_wallet(user=user)
    entry = LedgerEntry.objects.for_user(user).first()
    assert (
        staff.post(f"/admin/energy/ledgerentry/{entry.pk}/change/", {}).status_code
        == 403
    )
    assert staff.get("/admin/energy/ledgerentry/add/").status_code == 403
    staff.post(f"/admin/energy/wallet/{user.pk}/change/", {"balance": "9999"})
    assert Wallet.objects.get(pk=user.pk).balance == 100
    assert Action.objects.count() == 20
