"""Signed-in pages: status and the content a person relies on."""

import json

import pytest
from django.test import Client

from accounts.models import Session
from energy import services as energy
from energy.models import Wallet
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def balance(user) -> int:
    return Wallet.objects.get(pk=user.pk).balance


PAGES = ["/app", "/app/luna", "/app/narrative", "/app/energy", "/app/billing"]


@pytest.mark.parametrize("path", [*PAGES, "/app/account"])
def test_signed_in_pages_need_a_session(path):
    response = Client().get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/login?next=")


def test_an_expired_or_revoked_cookie_is_no_session(browser_client):
    browser_client.session_row.revoked_at = browser_client.session_row.created_at
    browser_client.session_row.save()
    assert browser_client.get("/app").status_code == 302


def test_dashboard_shows_the_gauge_and_the_latest_entries(browser_client):
    body = browser_client.get("/app").content.decode()
    assert 'aria-valuenow="100"' in body
    assert "Alice" in body
    assert 'data-entry="' in body  # the welcome grant
    assert "banner warning" not in body


def test_dashboard_warns_when_energy_is_low(browser_client, user):
    energy.consume(user=user, action="analyse_offre", key="k1", app_source="hub")
    energy.adjust(user=user, amount=-85, reason="test", staff_label="t")
    body = browser_client.get("/app").content.decode()
    assert "banner warning" in body
    assert 'href="/app/billing"' in body


def test_energy_page_offers_the_guarantee_on_eligible_entries(browser_client, user):
    receipt = energy.consume(
        user=user, action="analyse_offre", key="k2", app_source="hub"
    )
    body = browser_client.get("/app/energy").content.decode()
    assert f'name="entry_id" value="{receipt.entry.id}"' in body
    response = browser_client.post(
        "/app/energy/refund", {"entry_id": str(receipt.entry.id)}
    )
    assert response["Location"] == "/app/energy"
    assert balance(user) == 100
    body = browser_client.get("/app/energy").content.decode()
    assert f'name="entry_id" value="{receipt.entry.id}"' not in body


def test_refund_of_someone_elses_entry_is_refused(browser_client, other_user):
    receipt = energy.consume(
        user=other_user, action="analyse_offre", key="k3", app_source="hub"
    )
    browser_client.post("/app/energy/refund", {"entry_id": str(receipt.entry.id)})
    assert balance(other_user) == receipt.balance


def test_narrative_page_shows_phase_timeline_and_filters(browser_client, user):
    energy.consume(user=user, action="analyse_offre", key="k4", app_source="cv")
    body = browser_client.get("/app/narrative").content.decode()
    assert "energy.consumed" in body
    assert 'id="id_type"' in body
    filtered = browser_client.get("/app/narrative?type=energy.granted").content
    assert b"energy.consumed</strong>" not in filtered


def test_luna_page_offers_session_zero_on_the_first_visit(browser_client):
    body = browser_client.get("/app/luna").content.decode()
    assert "data-onboarding" in body
    assert "chat.js" in body


def test_billing_page_without_stripe_says_so_and_shows_no_form(
    browser_client, settings
):
    settings.BILLING_ENABLED = False
    body = browser_client.get("/app/billing").content.decode()
    assert "data-billing-off" in body
    assert "data-buy" not in body
    assert "card-element" not in body
    assert "js.stripe.com" not in body


def test_billing_page_with_stripe_loads_the_configured_script(browser_client, settings):
    settings.BILLING_ENABLED = True
    settings.STRIPE_JS_URL = "http://127.0.0.1:1/js.stripe.com/v3/"
    body = browser_client.get("/app/billing").content.decode()
    assert 'src="http://127.0.0.1:1/js.stripe.com/v3/"' in body
    assert 'data-buy="cafe_luna"' in body


def test_account_page_lists_sessions_and_revokes_another(
    browser_client, page_client, user
):
    other = page_client(user).session_row
    body = browser_client.get("/app/account").content.decode()
    assert user.email in body
    assert f'value="{other.pk}"' in body
    browser_client.post("/app/account/sessions/revoke", {"session_id": str(other.pk)})
    assert not Session.objects.active().filter(pk=other.pk).exists()
    assert Session.objects.active().filter(pk=browser_client.session_row.pk).exists()


def test_account_profile_change_sets_language(browser_client, user):
    response = browser_client.post(
        "/app/account/profile", {"first_name": "Alicia", "language": "en"}
    )
    assert response["Location"] == "/app/account"
    user.refresh_from_db()
    assert (user.first_name, user.language) == ("Alicia", "en")


def test_password_change_keeps_this_session(browser_client, user):
    response = browser_client.post(
        "/app/account/password",
        {"old_password": "wrong", "new_password": "a-new-long-passphrase-1"},
    )
    assert response.status_code == 200
    response = browser_client.post(
        "/app/account/password",
        {"old_password": PASSWORD, "new_password": "a-new-long-passphrase-1"},
    )
    assert response["Location"] == "/app/account"
    assert browser_client.get("/app").status_code == 200


def test_export_downloads_my_data(browser_client, user):
    response = browser_client.get("/app/account/export")
    assert response["Content-Disposition"].startswith("attachment")
    assert json.loads(response.content)["account"]["email"] == user.email


def test_delete_needs_the_password_then_erases(browser_client, user):
    response = browser_client.post("/app/account/delete", {"password": "wrong"})
    assert response.status_code == 200
    user.refresh_from_db()
    assert user.is_active
    response = browser_client.post("/app/account/delete", {"password": PASSWORD})
    assert response["Location"] == "/"
    user.refresh_from_db()
    assert not user.is_active


def test_admin_is_branded_for_staff(admin_client):
    body = admin_client.get("/admin/").content.decode()
    assert "Phoenix Luna Hub" in body
    assert "/admin/energy/wallet/" in body


def test_admin_user_page_links_to_the_wallet_grant(admin_client, user):
    body = admin_client.get(f"/admin/accounts/user/{user.pk}/change/").content.decode()
    assert f"/admin/energy/wallet/{user.pk}/change/" in body
    wallet_page = admin_client.get(f"/admin/energy/wallet/{user.pk}/change/")
    assert wallet_page.status_code == 200


def test_cancel_without_billing_explains_instead_of_failing(browser_client, settings):
    settings.BILLING_ENABLED = False
    response = browser_client.post("/app/billing/cancel", follow=True)
    assert response.status_code == 200
    assert b'class="message error"' in response.content


def test_chat_page_wires_the_websocket_protocol(browser_client):
    body = browser_client.get("/app/luna").content.decode()
    for hook in ("data-composer", "data-stop", "data-cost", "data-offers"):
        assert hook in body
