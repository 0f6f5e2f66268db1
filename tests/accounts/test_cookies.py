"""The browser flow: HttpOnly cookies plus Django's CSRF token."""

import pytest
from django.test import Client

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def browser():
    return Client(enforce_csrf_checks=True)


def csrf_token(browser) -> str:
    response = browser.get("/api/auth/csrf")
    assert response.status_code == 200
    return response.json()["csrf_token"]


def cookie_login(browser, user):
    token = csrf_token(browser)
    response = browser.post(
        "/api/auth/login",
        {"email": user.email, "password": PASSWORD, "mode": "cookie"},
        content_type="application/json",
        HTTP_X_CSRFTOKEN=token,
    )
    assert response.status_code == 200, response.content
    return token, response


def test_cookie_login_sets_httponly_cookies_and_no_tokens_in_the_body(browser, user):
    _, response = cookie_login(browser, user)
    body = response.json()
    assert "access" not in body and "refresh" not in body
    access = response.cookies["phoenix_access"]
    refresh = response.cookies["phoenix_refresh"]
    assert access["httponly"] and refresh["httponly"]
    assert access["path"] == "/"
    assert refresh["path"] == "/api/auth/"
    assert access["samesite"] == refresh["samesite"] == "Lax"
    assert access["secure"]  # DEBUG is off under test


@pytest.mark.parametrize("debug", [True])
def test_cookies_are_not_secure_in_debug(browser, user, settings, debug):
    settings.DEBUG = debug
    _, response = cookie_login(browser, user)
    assert not response.cookies["phoenix_access"]["secure"]


def test_the_whole_browser_flow(browser, user):
    token, _ = cookie_login(browser, user)
    assert browser.get("/api/auth/me").json()["email"] == user.email
    refreshed = browser.post(
        "/api/auth/refresh", content_type="application/json", HTTP_X_CSRFTOKEN=token
    )
    assert refreshed.status_code == 200
    assert "access" not in refreshed.json()
    assert browser.get("/api/auth/me").status_code == 200
    logged_out = browser.post(
        "/api/auth/logout", content_type="application/json", HTTP_X_CSRFTOKEN=token
    )
    assert logged_out.status_code == 204
    assert logged_out.cookies["phoenix_access"].value == ""
    assert browser.get("/api/auth/me").status_code == 401


def test_cookie_authenticated_post_without_csrf_is_403(browser, user):
    cookie_login(browser, user)
    response = browser.post("/api/auth/logout-all", content_type="application/json")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "csrf_failed"


def test_cookie_login_without_csrf_is_403(browser, user):
    response = browser.post(
        "/api/auth/login",
        {"email": user.email, "password": PASSWORD, "mode": "cookie"},
        content_type="application/json",
    )
    assert response.status_code == 403


def test_bearer_requests_do_not_need_csrf(user):
    client = Client(enforce_csrf_checks=True)
    tokens = client.post(
        "/api/auth/login",
        {"email": user.email, "password": PASSWORD},
        content_type="application/json",
    ).json()
    response = client.post(
        "/api/auth/logout-all", HTTP_AUTHORIZATION=f"Bearer {tokens['access']}"
    )
    assert response.status_code == 200


def test_the_header_wins_over_the_cookie(browser, user, other_user):
    cookie_login(browser, user)
    tokens = (
        Client()
        .post(
            "/api/auth/login",
            {"email": other_user.email, "password": PASSWORD},
            content_type="application/json",
        )
        .json()
    )
    me = browser.get("/api/auth/me", HTTP_AUTHORIZATION=f"Bearer {tokens['access']}")
    assert me.json()["email"] == other_user.email
