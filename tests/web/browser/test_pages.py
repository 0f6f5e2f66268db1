"""Single-page browser checks: keyboard-only login, the language switch,
session resumption, and a screenshot of every page (desktop and phone)."""

import re

import pytest
from playwright.sync_api import expect

from accounts.models import User
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_keyboard_only_login(page, make_user, shoot):
    user = make_user(first_name="Kim")
    page.goto("/login")
    shoot(page, "login")
    # Tab from the top of the page to the email field, using only the keyboard.
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.name") == "email":
            break
    else:
        pytest.fail("the email field is not reachable with Tab")
    page.keyboard.type(user.email)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.name") == "password"
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/app$"))
    expect(page.locator("h1")).to_contain_text("Kim")
    # Focus is visible: the outline style applies to a focused control.
    page.keyboard.press("Tab")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"


def test_language_switch_changes_the_page_and_the_profile(page, make_user, shoot):
    user = make_user(first_name="Lou")
    page.goto("/login")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    page.locator("#id_email").fill(user.email)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#login-form button[type=submit]").click()
    expect(page.locator("h1")).to_contain_text("Lou")
    page.select_option("#lang-select", "en")
    page.locator("form.lang button").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("link", name="Dashboard")).to_be_visible()
    # Packs are named in the chosen language too.
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert User.objects.get(pk=user.pk).language == "en"
    shoot(page, "dashboard-en")


def test_an_expired_access_cookie_is_renewed_from_the_login_page(
    page, browser_context, make_user
):
    user = make_user()
    page.goto("/login")
    page.locator("#id_email").fill(user.email)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#login-form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/app$"))
    cookies = [c for c in browser_context.cookies() if c["name"] != "phoenix_access"]
    browser_context.clear_cookies()
    browser_context.add_cookies(cookies)
    page.goto("/app/energy")
    expect(page).to_have_url(
        f"{page.url.split('/app')[0].split('/login')[0]}/app/energy"
    )
    expect(page.locator("h1")).to_be_visible()
