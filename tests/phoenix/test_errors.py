import logging

import pytest
from django.test import Client

pytestmark = pytest.mark.urls("tests.phoenix.error_views")


def assert_envelope(response, status, code):
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert set(body) == {"error"}
    assert body["error"]["code"] == code
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    assert isinstance(body["error"]["fields"], dict)
    return body["error"]


def test_validation_error_lists_the_fields(client):
    response = client.post(
        "/api/test/echo",
        {"name": "x" * 30, "count": "lots"},
        content_type="application/json",
    )
    error = assert_envelope(response, 400, "invalid")
    assert set(error["fields"]) == {"name", "count"}


def test_malformed_json_is_a_400(client):
    response = client.post(
        "/api/test/echo", "{not json", content_type="application/json"
    )
    assert_envelope(response, 400, "malformed_request")


def test_deeply_nested_json_is_a_400_not_a_crash(client):
    body = "[" * 100_000 + "]" * 100_000
    response = client.post("/api/test/echo", body, content_type="application/json")
    assert_envelope(response, 400, "malformed_request")


def test_nul_byte_anywhere_in_the_body_is_a_400(client):
    response = client.post(
        "/api/test/echo",
        {"name": "ok", "count": 1, "tags": {"deep": ["fine", "bad\u0000"]}},
        content_type="application/json",
    )
    error = assert_envelope(response, 400, "invalid")
    assert "Null" in error["message"] or "nul" in error["message"].lower()


def test_nul_byte_in_the_query_string_is_a_400(client):
    response = client.get("/api/test/echo?q=%00")
    assert_envelope(response, 400, "invalid")


def test_wrong_content_type_is_a_415(client):
    response = client.post("/api/test/echo", "name=x", content_type="text/plain")
    assert_envelope(response, 415, "unsupported_media_type")


def test_wrong_method_is_a_405(client):
    response = client.delete("/api/test/echo")
    assert_envelope(response, 405, "method_not_allowed")


@pytest.mark.parametrize("method", ["get", "post", "put", "delete"])
def test_unknown_api_route_is_a_json_404(client, method):
    response = getattr(client, method)("/api/does-not-exist/at/all")
    assert_envelope(response, 404, "not_found")


def test_oversized_body_is_refused(client):
    body = '{"name": "' + "x" * 2_000_000 + '", "count": 1}'
    response = client.post("/api/test/echo", body, content_type="application/json")
    assert response.status_code in (400, 413)
    assert response.json()["error"]["code"] in ("bad_request", "request_too_large")


def test_domain_errors_follow_the_protocol(client):
    error = assert_envelope(client.get("/api/test/domain"), 409, "out_of_stock")
    assert error["message"] == "Nothing left."
    assert error["available"] == 0


def test_a_bug_is_a_500_envelope_without_traceback_and_is_logged(caplog):
    client = Client(raise_request_exception=False)
    with caplog.at_level(logging.ERROR, logger="phoenix.errors"):
        response = client.get("/api/test/broken")
    error = assert_envelope(response, 500, "server_error")
    text = response.content.decode()
    assert (
        "Traceback" not in text and "hunter2" not in text and "RuntimeError" not in text
    )
    assert error["message"]
    assert any(record.exc_info for record in caplog.records)


def test_messages_follow_the_language_french_first(client):
    response = client.delete("/api/test/echo", HTTP_ACCEPT_LANGUAGE="en")
    assert response.json()["error"]["message"].startswith("Method")
