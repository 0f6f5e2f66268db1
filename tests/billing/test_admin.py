"""Staff pages: packs editable, purchases filtered and re-synced from Stripe."""

import pytest

from accounts.models import User
from billing.models import Pack, Purchase
from energy.models import Wallet
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client, make_user):
    admin_user = make_user(email="ops@phoenix.ai")
    User.objects.filter(pk=admin_user.pk).update(is_staff=True, is_superuser=True)
    client.login(email="ops@phoenix.ai", password=PASSWORD)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"  # the texts asserted below
    return client


def test_staff_edit_a_pack(staff):
    pack = Pack.objects.get(code="petit_dej_luna")
    page = staff.get(f"/admin/billing/pack/{pack.pk}/change/")
    assert page.status_code == 200 and b"features_fr" in page.content
    assert staff.get("/admin/billing/pack/").status_code == 200


def test_purchases_are_listed_with_status_filters(staff, stripe_side, auth_client):
    body = auth_client.post("/api/billing/purchases", {"pack": "cafe_luna"}).json()
    marker = body["purchase_id"].encode()
    page = staff.get("/admin/billing/purchase/", {"status__exact": "pending"})
    assert page.status_code == 200 and marker in page.content
    assert b"Re-sync from Stripe" in page.content
    empty = staff.get("/admin/billing/purchase/", {"status__exact": "paid"})
    assert empty.status_code == 200 and marker not in empty.content


def test_resync_from_stripe_credits_a_payment_whose_webhook_was_lost(
    staff, stripe_side, auth_client, user
):
    body = auth_client.post("/api/billing/purchases", {"pack": "repas_luna"}).json()
    purchase = Purchase.objects.get(pk=body["purchase_id"])
    stripe_side.pay(purchase.payment_intent_id)
    before = Wallet.objects.get(pk=user.pk).balance

    response = staff.post(
        "/admin/billing/purchase/",
        {"action": "resync_from_stripe", "_selected_action": [str(purchase.pk)]},
        follow=True,
    )

    assert b"Purchases re-synced from Stripe: 1." in response.content
    purchase.refresh_from_db()
    assert purchase.status == "paid"
    assert Wallet.objects.get(pk=user.pk).balance == before + 400


def test_purchases_cannot_be_edited_or_deleted(staff, stripe_side, auth_client):
    body = auth_client.post("/api/billing/purchases", {"pack": "cafe_luna"}).json()
    url = f"/admin/billing/purchase/{body['purchase_id']}/"
    assert staff.get(f"{url}delete/").status_code == 403
    staff.post(f"{url}change/", {"status": "paid"})
    assert Purchase.objects.get(pk=body["purchase_id"]).status == "pending"


def test_dj_stripes_admin_is_there(staff):
    assert staff.get("/admin/djstripe/webhookeventtrigger/").status_code == 200
    assert staff.get("/admin/djstripe/event/").status_code == 200
