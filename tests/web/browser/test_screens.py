"""Every page at desktop and phone width: it renders, nothing overflows
sideways, no script error, and a screenshot is saved for review."""

import pytest
from playwright.sync_api import expect

from energy import services as energy
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VISITOR_PAGES = ["/", "/signup", "/login", "/password/reset"]
SIGNED_IN_PAGES = [
    "/app",
    "/app/luna",
    "/app/narrative",
    "/app/energy",
    "/app/billing",
    "/app/account",
    "/logout",
]
WIDTHS = {"desktop": 1200, "phone": 390}


def name_of(path: str) -> str:
    return path.strip("/").replace("/", "-") or "home"


@pytest.mark.parametrize("device", WIDTHS)
def test_every_page_fits_and_is_captured(page, make_user, shoot, device):
    page.set_viewport_size({"width": WIDTHS[device], "height": 900})
    user = make_user(first_name="Sam")
    energy.consume(user=user, action="analyse_offre", key="s1", app_source="cv")

    def visit(path: str) -> None:
        page.goto(path)
        expect(page.locator("main")).to_be_visible()
        shoot(page, f"{device}-{name_of(path)}")
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - window.innerWidth"
        )
        assert overflow <= 1, f"{path} overflows by {overflow}px at {device} width"

    for path in VISITOR_PAGES:
        visit(path)
    page.goto("/login")
    page.locator("#id_email").fill(user.email)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#login-form button[type=submit]").click()
    expect(page.locator("[data-balance]")).to_be_visible()
    for path in SIGNED_IN_PAGES:
        visit(path)
    assert not page.js_errors, page.js_errors


def test_staff_admin_is_branded(page, django_user_model, shoot):
    django_user_model.objects.create_superuser("staff@example.com", PASSWORD)
    page.goto("/admin/login/")
    page.locator("#id_username").fill("staff@example.com")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("input[type=submit]").click()
    expect(page.locator("#site-name")).to_contain_text("Phoenix Luna Hub")
    shoot(page, "admin")
