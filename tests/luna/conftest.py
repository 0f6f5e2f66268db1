import pytest
from django.test.utils import override_settings

from tests.luna.fake_gemini import FakeGemini


@pytest.fixture(scope="session")
def gemini_server():
    server = FakeGemini().start()
    yield server
    server.stop()


@pytest.fixture
def gemini(gemini_server, settings):
    """The fake Gemini server, wired into settings for this test."""
    gemini_server.reset()
    settings.GEMINI_API_KEY = "test-key"
    settings.GEMINI_BASE_URL = gemini_server.base_url
    # Generous: a busy machine must not turn a slow first request into a
    # timeout. Tests of the timeout itself hang the server on command.
    settings.GEMINI_TIMEOUT = 60.0
    yield gemini_server
    gemini_server.reset()


@pytest.fixture
def no_gemini(settings):
    settings.GEMINI_API_KEY = ""


@pytest.fixture
def no_cooldown():
    with override_settings(LUNA_CELEBRATION_COOLDOWN_SECONDS=0):
        yield
