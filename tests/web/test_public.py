"""Visitor pages: home, sign-up, login, logout, password reset, language."""

import re

import pytest
from django.core import mail
from django.test import Client

from accounts.authentication import ACCESS_COOKIE, REFRESH_COOKIE
from accounts.models import Session, User
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def csrf_client() -> Client:
    return Client(enforce_csrf_checks=True)


def csrf_of(client: Client, url: str) -> str:
    client.get(url)
    return client.cookies["csrftoken"].value


def test_home_presents_luna_and_the_packs_in_french():
    response = Client().get("/")
    assert response.status_code == 200
    body = response.content.decode()
    assert '<html lang="fr">' in body
    assert "Luna" in body
    assert "Café Luna" in body or "cafe" in body.lower()
    assert 'href="/signup"' in body


def test_home_ignores_the_browser_language_but_honours_the_switch():
    response = Client(HTTP_ACCEPT_LANGUAGE="en-US").get("/")
    assert '<html lang="fr">' in response.content.decode()
    client = Client()
    client.post("/language", {"language": "en", "next": "/"})
    assert '<html lang="en">' in client.get("/").content.decode()


def test_signup_creates_the_account_and_signs_in_by_cookie():
    client = csrf_client()
    token = csrf_of(client, "/signup")
    response = client.post(
        "/signup",
        {
            "first_name": "Chloé",
            "email": "chloe@example.com",
            "password": PASSWORD,
            "csrfmiddlewaretoken": token,
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/app"
    assert response.cookies[ACCESS_COOKIE]["httponly"]
    assert response.cookies[REFRESH_COOKIE]["httponly"]
    user = User.objects.get(email="chloe@example.com")
    assert user.language == "fr"
    dashboard = client.get("/app")
    assert dashboard.status_code == 200
    assert "100" in dashboard.content.decode()


def test_signup_without_csrf_is_refused():
    response = csrf_client().post(
        "/signup",
        {"first_name": "X", "email": "x@example.com", "password": PASSWORD},
    )
    assert response.status_code == 403
    assert not User.objects.filter(email="x@example.com").exists()


def test_signup_shows_a_taken_email_on_the_form(user):
    response = Client().post(
        "/signup",
        {"first_name": "Again", "email": user.email, "password": PASSWORD},
    )
    assert response.status_code == 200
    assert "existe déjà" in response.content.decode() or "already" in (
        response.content.decode()
    )


def test_signup_refuses_a_weak_password_on_its_field():
    response = Client().post(
        "/signup",
        {"first_name": "W", "email": "w@example.com", "password": "12345678"},
    )
    assert response.status_code == 200
    assert 'class="field has-error"' in response.content.decode()


def test_login_page_and_wrong_password(user):
    client = Client()
    assert client.get("/login").status_code == 200
    response = client.post("/login", {"email": user.email, "password": "nope-nope"})
    assert response.status_code == 200
    assert ACCESS_COOKIE not in response.cookies


def test_login_goes_back_to_the_page_asked_for(user):
    client = Client()
    assert client.get("/app/energy")["Location"] == "/login?next=%2Fapp%2Fenergy"
    response = client.post(
        "/login", {"email": user.email, "password": PASSWORD, "next": "/app/energy"}
    )
    assert response["Location"] == "/app/energy"
    assert client.get("/app/energy").status_code == 200


def test_login_never_redirects_off_site(user):
    response = Client().post(
        "/login",
        {"email": user.email, "password": PASSWORD, "next": "https://evil.example"},
    )
    assert response["Location"] == "/app"


def test_logout_ends_the_session(page_client, user):
    client = page_client(user)
    assert client.get("/logout").status_code == 200
    response = client.post("/logout")
    assert response["Location"] == "/login"
    assert not Session.objects.active().filter(pk=client.session_row.pk).exists()
    assert client.get("/app")["Location"].startswith("/login")


def test_password_reset_mails_a_link_that_sets_a_new_password(user):
    client = Client()
    assert client.get("/password/reset").status_code == 200
    response = client.post("/password/reset", {"email": user.email})
    assert response.status_code == 200
    link = re.search(r"http\S+/password/reset/\S+", mail.outbox[0].body).group(0)
    path = "/" + link.split("/", 3)[3]
    assert client.get(path).status_code == 200
    new = "another-long-passphrase-42"
    response = client.post(path, {"new_password": new})
    assert response["Location"] == "/login"
    user.refresh_from_db()
    assert user.check_password(new)


def test_password_reset_with_a_bad_link_says_so():
    response = Client().post(
        "/password/reset/xx/yy", {"new_password": "another-long-passphrase-42"}
    )
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode() or "error" in (
        response.content.decode()
    )


def test_language_switch_saves_the_signed_in_users_preference(page_client, user):
    client = page_client(user)
    response = client.post("/language", {"language": "en", "next": "/app"})
    assert response["Location"] == "/app"
    user.refresh_from_db()
    assert user.language == "en"
    assert '<html lang="en">' in client.get("/app").content.decode()
