"""Browser tests: Chromium (Debian's) driven by Playwright against the whole
ASGI application (HTTP, static files, websockets) served in-process by uvicorn
on a free loopback port, over a transactional database the server's threads
share with the test."""

from __future__ import annotations

import asyncio
import shutil
import socket
import threading
import time
from pathlib import Path

import pytest

SCREENSHOTS = Path(__file__).resolve().parents[3] / "var" / "artifacts" / "screenshots"
# How long Playwright waits for what a test expects (an element, a text): long
# enough for a busy machine; a test whose condition never holds still fails.
WAIT_MS = 60_000
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class LiveServer:
    """uvicorn serving phoenix.asgi (with static files) in a daemon thread."""

    def __init__(self):
        import uvicorn
        from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler

        from phoenix.asgi import application

        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(
            ASGIStaticFilesHandler(application),
            host="127.0.0.1",
            port=self.port,
            log_level="warning",
            lifespan="off",
            ws="websockets-sansio" if _has_sansio() else "auto",
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(
            target=lambda: asyncio.run(self.server.serve()), daemon=True
        )

    def start(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + WAIT_MS / 1000
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the live server did not start")
            time.sleep(0.05)
        return self

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=WAIT_MS / 1000)


def _has_sansio() -> bool:
    try:
        import websockets.sansio  # noqa: F401
    except ImportError:
        return False
    return True


@pytest.fixture
def asgi_server(transactional_db, settings):
    from django.db import connections

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "127.0.0.1", "localhost"]
    settings.DEBUG_PROPAGATE_EXCEPTIONS = True
    server = LiveServer().start()
    yield server
    server.stop()
    # The server's threads opened their own connections; close them so the
    # database can be flushed (PostgreSQL) or dropped.
    connections.close_all()


def chromium_path() -> str:
    return shutil.which("chromium") or shutil.which("chromium-browser") or ""


@pytest.fixture
def chromium(transactional_db, monkeypatch):
    """Chromium for one test. Playwright's sync API keeps an event loop in
    this thread, so Django's ORM in the test body (fixtures, assertions),
    synchronous on purpose, is allowed while it runs."""
    from playwright.sync_api import expect, sync_playwright

    path = chromium_path()
    if not path:
        pytest.skip("no Chromium on this machine (apt install chromium)")
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    expect.set_options(timeout=WAIT_MS)  # expect() waits 5 s by default
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=path, args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


@pytest.fixture
def browser_context(chromium, asgi_server):
    context = chromium.new_context(
        base_url=asgi_server.url,
        locale="en-US",
        viewport={"width": 1200, "height": 900},
    )
    context.set_default_timeout(WAIT_MS)
    yield context
    context.close()


@pytest.fixture
def page(browser_context):
    page = browser_context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.js_errors = errors
    yield page


@pytest.fixture
def shoot():
    """Save a full-page screenshot under var/artifacts/screenshots/ (ignored)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(page, name: str) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


# Billing's localstripe harness (a fake Stripe on loopback), shared.
from tests.billing.conftest import (  # noqa: E402, F401
    stripe_settings,
    stripe_side,
)

# Luna's fake Gemini server (streamGenerateContent over SSE), shared.
from tests.luna.conftest import gemini, gemini_server  # noqa: E402, F401


@pytest.fixture
def stripe_in_browser(stripe_side, stripe_settings, localstripe):  # noqa: F811
    """Billing on, the page loading localstripe's stand-in for Stripe.js."""
    stripe_settings.STRIPE_JS_URL = f"{localstripe.url}/js.stripe.com/v3/"
    return stripe_side
