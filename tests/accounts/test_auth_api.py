import pytest
from django.core import mail
from rest_framework.test import APIClient

from accounts.models import Session, User
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def register(client, **overrides):
    body = {"email": "new@example.com", "password": PASSWORD, "first_name": "Nina"}
    body.update(overrides)
    return client.post("/api/auth/register", body, format="json")


def login(client, email, password=PASSWORD, **headers):
    body = {"email": email, "password": password}
    return client.post("/api/auth/login", body, format="json", **headers)


def bearer(token):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


def test_register_returns_the_user_and_a_token_pair(api_client):
    response = register(api_client, email="Nina@Example.com", language="en")
    assert response.status_code == 201
    body = response.json()
    assert body["user"]["email"] == "nina@example.com"
    assert body["user"]["language"] == "en"
    assert body["access"] and body["refresh"]
    me = bearer(body["access"]).get("/api/auth/me")
    assert me.status_code == 200 and me.json()["first_name"] == "Nina"


def test_register_refuses_a_taken_email_whatever_its_case(api_client, user):
    response = register(api_client, email=user.email.upper())
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "email_taken"


def test_register_applies_django_password_validators(api_client):
    response = register(api_client, password="123")
    assert response.status_code == 400
    assert "password" in response.json()["error"]["fields"]
    assert not User.objects.filter(email="new@example.com").exists()


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"email": "not-an-email", "password": PASSWORD},
        {"email": ["a@b.c"], "password": PASSWORD},
        {"email": "a@b.co", "password": 12},
        {"email": "a@b.co", "password": "x" * 10_000},
        {"email": "a@b.co", "password": PASSWORD, "language": "de"},
        {"email": "a@b.co", "password": PASSWORD, "mode": "session"},
    ],
)
def test_register_rejects_bad_input_with_field_errors(api_client, body):
    response = api_client.post("/api/auth/register", body, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["fields"]


def test_login_same_message_for_unknown_email_and_wrong_password(api_client, user):
    unknown = login(api_client, "nobody@example.com")
    wrong = login(api_client, user.email, "wrong-password")
    assert unknown.status_code == wrong.status_code == 401
    assert unknown.json() == wrong.json()


def test_login_bearer_mode_gives_tokens_in_the_body(api_client, user):
    response = login(api_client, user.email)
    assert response.status_code == 200
    body = response.json()
    assert body["access"] and body["refresh"]
    assert "phoenix_access" not in response.cookies


def test_a_deactivated_account_cannot_log_in(api_client, user):
    User.objects.filter(pk=user.pk).update(is_active=False)
    assert login(api_client, user.email).status_code == 401


def test_me_can_be_updated_and_never_shows_a_password_hash(auth_client):
    response = auth_client.patch(
        "/api/auth/me", {"first_name": "Alicia", "language": "en"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["first_name"] == "Alicia"
    assert "password" not in response.content.decode()
    assert (
        auth_client.patch("/api/auth/me", {"language": "xx"}, format="json").status_code
        == 400
    )


def test_refresh_rotates_and_blacklists_the_old_token(api_client, user):
    first = login(api_client, user.email).json()
    rotated = api_client.post(
        "/api/auth/refresh", {"refresh": first["refresh"]}, format="json"
    )
    assert rotated.status_code == 200
    second = rotated.json()
    assert second["refresh"] != first["refresh"]
    assert bearer(second["access"]).get("/api/auth/me").status_code == 200


def test_reusing_a_rotated_refresh_token_revokes_the_whole_session(api_client, user):
    first = login(api_client, user.email).json()
    second = api_client.post(
        "/api/auth/refresh", {"refresh": first["refresh"]}, format="json"
    ).json()
    replay = api_client.post(
        "/api/auth/refresh", {"refresh": first["refresh"]}, format="json"
    )
    assert replay.status_code == 401
    assert replay.json()["error"]["code"] == "token_reused"
    # The thief's replay ends the session for everyone holding its tokens.
    assert bearer(second["access"]).get("/api/auth/me").status_code == 401
    legit = api_client.post(
        "/api/auth/refresh", {"refresh": second["refresh"]}, format="json"
    )
    assert legit.status_code == 401
    assert Session.objects.get(user=user).revoked_reason == "reuse"


def test_logout_ends_the_session_at_once(api_client, user):
    tokens = login(api_client, user.email).json()
    client = bearer(tokens["access"])
    assert client.post("/api/auth/logout").status_code == 204
    assert client.get("/api/auth/me").status_code == 401
    refreshed = api_client.post(
        "/api/auth/refresh", {"refresh": tokens["refresh"]}, format="json"
    )
    assert refreshed.status_code == 401


def test_logout_works_with_only_a_refresh_token(api_client, user):
    tokens = login(api_client, user.email).json()
    response = api_client.post(
        "/api/auth/logout", {"refresh": tokens["refresh"]}, format="json"
    )
    assert response.status_code == 204
    assert bearer(tokens["access"]).get("/api/auth/me").status_code == 401


def test_logout_all_keeps_only_the_current_session(api_client, user):
    phone = login(api_client, user.email).json()
    laptop = login(api_client, user.email).json()
    current = login(api_client, user.email).json()
    response = bearer(current["access"]).post("/api/auth/logout-all")
    assert response.json() == {"sessions_revoked": 2}
    assert bearer(phone["access"]).get("/api/auth/me").status_code == 401
    assert bearer(laptop["access"]).get("/api/auth/me").status_code == 401
    assert bearer(current["access"]).get("/api/auth/me").status_code == 200


def test_sessions_list_marks_the_current_one_and_truncates_ips(api_client, user):
    login(
        api_client,
        user.email,
        HTTP_USER_AGENT="Mozilla/5.0 (Windows NT 10.0) Firefox/130.0",
    )
    current = api_client.post(
        "/api/auth/login",
        {"email": user.email, "password": PASSWORD},
        format="json",
        REMOTE_ADDR="203.0.113.42",
    ).json()
    sessions = bearer(current["access"]).get("/api/auth/sessions").json()
    assert len(sessions) == 2
    assert sum(s["current"] for s in sessions) == 1
    mine = next(s for s in sessions if s["current"])
    assert mine["ip"] == "203.0.113.x"
    assert set(mine) == {
        "id",
        "device_label",
        "ip",
        "created_at",
        "last_seen",
        "current",
    }


def test_a_session_can_be_revoked_but_not_someone_elses(client_for, user, other_user):
    mine = client_for(user)
    spare = client_for(user)
    theirs = client_for(other_user)
    foreign = mine.delete(f"/api/auth/sessions/{theirs.session_row.pk}")
    assert foreign.status_code == 404
    assert theirs.get("/api/auth/me").status_code == 200
    assert mine.delete(f"/api/auth/sessions/{spare.session_row.pk}").status_code == 204
    assert spare.get("/api/auth/me").status_code == 401
    assert mine.delete("/api/auth/sessions/not-a-uuid").status_code == 404


def test_password_change_needs_the_old_one_and_ends_other_sessions(client_for, user):
    current = client_for(user)
    other = client_for(user)
    wrong = current.post(
        "/api/auth/password/change",
        {"old_password": "nope", "new_password": "another-long-passphrase"},
        format="json",
    )
    assert wrong.status_code == 400
    assert "old_password" in wrong.json()["error"]["fields"]
    response = current.post(
        "/api/auth/password/change",
        {"old_password": PASSWORD, "new_password": "another-long-passphrase"},
        format="json",
    )
    assert response.json() == {"sessions_revoked": 1}
    assert other.get("/api/auth/me").status_code == 401
    assert current.get("/api/auth/me").status_code == 200


def test_password_reset_is_always_202_and_mails_only_real_accounts(api_client, user):
    # (A later login would invalidate the link: Django's tokens cover last_login.)
    session = client_for_user_session(user)
    unknown = api_client.post(
        "/api/auth/password/reset", {"email": "ghost@example.com"}, format="json"
    )
    known = api_client.post(
        "/api/auth/password/reset", {"email": user.email}, format="json"
    )
    assert unknown.status_code == known.status_code == 202
    assert unknown.json() == known.json()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [user.email]
    link = next(
        line for line in message.body.splitlines() if "/password/reset/" in line
    )
    uid, token = link.rstrip("/").split("/")[-2:]
    confirm = api_client.post(
        "/api/auth/password/reset/confirm",
        {"uid": uid, "token": token, "new_password": "brand-new-passphrase"},
        format="json",
    )
    assert confirm.status_code == 204
    assert login(api_client, user.email, "brand-new-passphrase").status_code == 200
    session.refresh_from_db()
    assert session.revoked_reason == "password"
    again = api_client.post(
        "/api/auth/password/reset/confirm",
        {"uid": uid, "token": token, "new_password": "yet-another-passphrase"},
        format="json",
    )
    assert again.status_code == 400
    assert again.json()["error"]["code"] == "invalid_reset_link"


def client_for_user_session(user):
    from accounts import services

    return services.open_session(user, services.Client(ip="10.0.0.1")).session


def test_reset_mail_speaks_the_users_language(api_client, make_user):
    english = make_user(language="en")
    api_client.post("/api/auth/password/reset", {"email": english.email}, format="json")
    assert mail.outbox[0].subject == "Reset your Phoenix Luna password"


@pytest.mark.parametrize(
    "body",
    [
        {"uid": "garbage", "token": "x", "new_password": "brand-new-passphrase"},
        {"uid": "", "token": "", "new_password": ""},
        {"uid": "MQ", "token": "x" * 129, "new_password": "brand-new-passphrase"},
    ],
)
def test_password_reset_confirm_rejects_bad_links(api_client, body):
    response = api_client.post("/api/auth/password/reset/confirm", body, format="json")
    assert response.status_code == 400


def test_service_keys_cannot_use_user_endpoints(service_client_for):
    service = service_client_for(["energy:write"])
    response = service.get("/api/auth/me")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "user_token_required"


def test_anonymous_requests_get_401_with_a_challenge(api_client):
    response = api_client.get("/api/auth/me")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert response.json()["error"]["code"] == "not_authenticated"
