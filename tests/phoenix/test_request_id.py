import logging

import pytest
from django.test import Client

from phoenix.logging import RedactingFilter, RequestIDFilter, redact


def test_a_given_request_id_is_echoed(client):
    response = client.get("/health", HTTP_X_REQUEST_ID="cv-frontend.1234")
    assert response["X-Request-ID"] == "cv-frontend.1234"


def test_a_missing_or_unsafe_request_id_is_replaced(client):
    generated = client.get("/health")["X-Request-ID"]
    assert len(generated) == 32
    unsafe = client.get("/health", HTTP_X_REQUEST_ID="bad id\nInjected: yes")
    assert unsafe["X-Request-ID"] != "bad id\nInjected: yes"
    assert len(unsafe["X-Request-ID"]) == 32


class Capture(logging.Handler):
    def __init__(self):
        super().__init__()
        self.addFilter(RequestIDFilter())
        self.addFilter(RedactingFilter())
        self.lines = []

    def emit(self, record):
        self.lines.append((record.request_id, record.getMessage(), record.exc_text))


@pytest.mark.urls("tests.phoenix.error_views")
def test_log_lines_of_a_request_carry_its_id_and_no_secrets():
    handler = Capture()
    logger = logging.getLogger("phoenix.errors")
    logger.addHandler(handler)
    try:
        Client(raise_request_exception=False).get(
            "/api/test/broken", HTTP_X_REQUEST_ID="req-42"
        )
    finally:
        logger.removeHandler(handler)
    assert handler.lines, "the 500 was not logged"
    request_id, _, exc_text = handler.lines[0]
    assert request_id == "req-42"
    assert "hunter2" not in exc_text and "alice@example.com" not in exc_text


def test_redaction_covers_emails_tokens_keys_and_passwords():
    text = redact(
        "login alice@example.com Bearer abc.def password=s3cret "
        '"refresh": "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig" '
        "key sk_test_abcdefghijklmnopqrstuvwx Api-Key plk_123"
    )
    for secret in (
        "alice@example.com",
        "abc.def",
        "s3cret",
        "eyJhbGci",
        "sk_test_abc",
        "plk_123",
    ):
        assert secret not in text
