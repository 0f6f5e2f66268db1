"""The journey a new user takes, in Chromium: sign up, chat with the built-in
coach, see the story, buy a pack through localstripe, end another session,
log out. Plus the 402 in chat."""

import contextlib
import json
import re
import time

import pytest
import stripe
from playwright.sync_api import expect

from accounts import services as accounts
from accounts.models import Session, User
from billing.models import Purchase
from energy import services as energy
from energy.models import Wallet
from tests.billing.conftest import SECRET_KEY
from tests.conftest import PASSWORD
from tests.web.browser.conftest import WAIT_MS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def gauge(page) -> int:
    return int(page.locator("[data-balance]").first.inner_text())


def watch_frames(page) -> list[dict]:
    frames: list[dict] = []

    def on_socket(socket):
        def received(payload):
            with contextlib.suppress(TypeError, ValueError):
                frames.append(json.loads(payload))

        socket.on("framereceived", received)

    page.on("websocket", on_socket)
    return frames


def card_needing_3ds(intent_id: str) -> None:
    """Stripe's side of the card step that localstripe's stand-in script cannot
    do: the card reaches the PaymentIntent and asks for 3-D Secure, which the
    page then completes through Stripe.js (confirmCardPayment)."""
    method = stripe.PaymentMethod.create(
        type="card",
        card={
            "number": "4000000000003220",
            "exp_month": 12,
            "exp_year": 2034,
            "cvc": "123",
        },
        api_key=SECRET_KEY,
    )
    stripe.PaymentIntent.modify(intent_id, payment_method=method.id, api_key=SECRET_KEY)
    intent = stripe.PaymentIntent.confirm(intent_id, api_key=SECRET_KEY)
    assert intent.status == "requires_action"


def deliver_payment_webhooks(harness, intent_id: str) -> None:
    deadline = time.monotonic() + WAIT_MS / 1000
    while True:
        events = harness.events("payment_intent.succeeded", intent_id)
        if events or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert events, "localstripe recorded no payment_intent.succeeded"
    for event in events:
        assert harness.deliver(event).status_code == 200


def test_journey(page, browser_context, stripe_in_browser, shoot):
    frames = watch_frames(page)

    # Sign up → the dashboard shows 100.
    page.goto("/")
    shoot(page, "home")
    page.locator('a[href="/signup"]').first.click()
    page.locator("#id_first_name").fill("Inès")
    page.locator("#id_email").fill("ines@example.com")
    page.locator("#id_password").fill(PASSWORD)
    shoot(page, "signup")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("[data-balance]")).to_have_text("100")
    user = User.objects.get(email="ines@example.com")
    shoot(page, "dashboard")
    assert not [
        c
        for c in browser_context.cookies()
        if not c["httpOnly"] and c["name"].startswith("phoenix_")
    ]
    assert page.evaluate("Object.keys(localStorage).length") == 0

    # Luna: session zéro, then a paid message streamed over the websocket.
    page.locator('nav a[href="/app/luna"]').click()
    expect(page.locator("[data-onboarding]")).to_be_visible()
    shoot(page, "luna-onboarding")
    page.locator("#motivation").fill("Je veux devenir cheffe de produit dans la santé.")
    page.locator("[data-onboarding] button[type=submit]").click()
    expect(page.locator("[data-onboarding]")).to_have_count(0)
    expect(page.locator("[data-send]")).to_be_enabled()
    page.locator("#chat-input").fill(
        "Peux-tu analyser mon CV pour un poste de cheffe de produit ?"
    )
    page.locator("[data-send]").click()
    expect(page.locator("[data-cost]")).to_contain_text("15")
    reply = page.locator("[data-messages] li.luna").last
    expect(reply).to_have_attribute("data-provider", "builtin")
    assert len(reply.inner_text()) > 40
    kinds = [frame["type"] for frame in frames]
    assert kinds.index("ack") < kinds.index("delta") < kinds.index("done")
    expect(page.locator("[data-balance]").first).to_have_text("85")
    assert Wallet.objects.get(pk=user.pk).balance == 85
    expect(page.locator("[data-conversations] li")).to_have_count(1)
    shoot(page, "luna-chat")

    # The Capital Narratif shows the turn's energy.
    page.locator('nav a[href="/app/narrative"]').click()
    expect(
        page.locator('[data-timeline] li[data-event-type="energy.consumed"]')
    ).to_have_count(1)
    shoot(page, "narrative")
    page.locator('nav a[href="/app/energy"]').click()
    shoot(page, "energy")

    # Buy a pack through localstripe: the gauge rises by the pack's energy.
    page.locator('nav a[href="/app/billing"]').click()
    page.locator('[data-buy="cafe_luna"]').click()
    expect(page.locator("[data-payment]")).to_be_visible()
    expect(page.locator("#card-element input").first).to_be_visible()
    page.locator("#card-element input").nth(0).fill("4000000000003220")
    page.locator("#card-element input").nth(1).fill("12")
    page.locator("#card-element input").nth(2).fill("34")
    page.locator("#card-element input").nth(3).fill("123")
    shoot(page, "billing-payment")
    purchase = Purchase.objects.get(user=user)
    card_needing_3ds(purchase.payment_intent_id)
    page.locator("[data-pay]").click()
    page.get_by_role("button", name="Complete authentication").click()
    deliver_payment_webhooks(stripe_in_browser, purchase.payment_intent_id)
    purchase.refresh_from_db()
    assert purchase.status == "paid"
    expect(page.locator("[data-balance]").first).to_have_text(
        str(85 + purchase.energy_credited)
    )
    assert purchase.energy_credited >= purchase.pack.energy
    page.reload()
    expect(page.locator("[data-purchases] tr")).to_have_count(1)
    shoot(page, "billing")

    # Another device's session, ended from the account page.
    other = accounts.open_session(
        user, accounts.Client(ip="192.0.2.7", user_agent="Firefox on Android")
    ).session
    page.locator('nav a[href="/app/account"]').click()
    row = page.locator(f'tr[data-session="{other.pk}"]')
    expect(row).to_be_visible()
    shoot(page, "account")
    row.locator("button").click()
    expect(page.locator(f'tr[data-session="{other.pk}"]')).to_have_count(0)
    assert not Session.objects.active().filter(pk=other.pk).exists()

    # Log out.
    page.locator('nav a[href="/logout"]').click()
    shoot(page, "logout")
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/login$"))
    page.goto("/app")
    expect(page.locator("#login-form")).to_be_visible()
    assert not page.js_errors, page.js_errors


def test_chat_without_enough_energy_offers_the_packs(page, make_user, shoot):
    user = make_user(first_name="Noé")
    energy.adjust(user=user, amount=-95, reason="test", staff_label="test")
    page.goto("/login")
    page.locator("#id_email").fill(user.email)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#login-form button[type=submit]").click()
    expect(page.locator(".banner.warning")).to_be_visible()  # low energy
    page.goto("/app/luna")
    page.locator("[data-onboarding-skip]").click()
    expect(page.locator("[data-send]")).to_be_enabled()
    page.locator("#chat-input").fill(
        "J'ai besoin d'une stratégie de reconversion complète."
    )
    page.locator("#chat-input").press("Enter")
    offers = page.locator("[data-offers]")
    expect(offers).to_be_visible()
    expect(offers.locator("[data-offer]").first).to_be_visible()
    assert "20" in page.locator("[data-offers-text]").inner_text()  # 25 - 5
    shoot(page, "luna-402")
    assert Wallet.objects.get(pk=user.pk).balance == 5
