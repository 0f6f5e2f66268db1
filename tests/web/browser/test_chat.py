"""The chat page keeps working when its websocket drops."""

import re
import time

import pytest
from playwright.sync_api import expect

from tests.conftest import PASSWORD
from tests.web.browser.conftest import WAIT_MS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_chat_reconnects_by_itself_after_the_socket_drops(page, make_user):
    user = make_user(first_name="Rémi")
    sockets = []

    def through(ws):
        ws.connect_to_server()
        sockets.append(ws)

    page.route_web_socket(re.compile(r"/ws/luna/chat/$"), through)
    page.goto("/login")
    page.locator("#id_email").fill(user.email)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#login-form button[type=submit]").click()
    expect(page.locator("[data-balance]")).to_be_visible()
    page.goto("/app/luna")
    page.locator("[data-onboarding-skip]").click()
    expect(page.locator("[data-send]")).to_be_enabled()
    assert len(sockets) == 1

    sockets[0].close(code=1011, reason="server restarted")
    expect(page.locator("[data-connection]")).to_be_visible()
    deadline = time.monotonic() + WAIT_MS / 1000
    while len(sockets) < 2 and time.monotonic() < deadline:
        page.wait_for_timeout(100)
    assert len(sockets) == 2
    expect(page.locator("[data-connection]")).to_be_hidden()

    page.locator("#chat-input").fill("Bonjour Luna, merci !")
    page.locator("[data-send]").click()
    expect(page.locator("[data-messages] li.luna").last).to_have_attribute(
        "data-provider", "builtin"
    )


def test_stop_keeps_the_partial_reply(page, make_user, gemini):
    from tests.luna.fake_gemini import Stream

    user = make_user(first_name="Théo")
    chunks = [f"Morceau {n}. " for n in range(40)]
    # Two pieces, then the model holds until the test ends: only Stop can
    # end this reply, however slow the machine.
    gemini.default = Stream(chunks, hold_after=2)
    page.goto("/login")
    page.locator("#id_email").fill(user.email)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#login-form button[type=submit]").click()
    expect(page.locator("[data-balance]")).to_be_visible()
    page.goto("/app/luna")
    page.locator("[data-onboarding-skip]").click()
    expect(page.locator("[data-send]")).to_be_enabled()
    page.locator("#chat-input").fill("Bonjour Luna, merci !")
    page.locator("[data-send]").click()
    reply = page.locator("[data-messages] li.luna").last
    expect(reply).to_contain_text("Morceau 1.")
    expect(page.locator("[data-stop]")).to_be_enabled()
    page.locator("[data-stop]").click()
    expect(page.locator("[data-send]")).to_be_enabled()
    text = reply.inner_text()
    assert "Morceau 39." not in text
    assert "Morceau 0." in text
