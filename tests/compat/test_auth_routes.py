"""Contract tests: the predecessor's /auth/* request shapes in, the fields its
clients read out, with the right types."""

import pytest

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def login(client, email, password=PASSWORD):
    return client.post(
        "/auth/login", {"email": email, "password": password}, format="json"
    )


def test_register_returns_tokens_and_the_user(api_client):
    response = api_client.post(
        "/auth/register",
        {"email": "cv@example.com", "password": PASSWORD, "name": "Camille"},
        format="json",
    )
    assert response.status_code == 201
    body = response.json()
    assert body["token_type"] == "bearer"
    assert isinstance(body["access_token"], str) and isinstance(
        body["refresh_token"], str
    )
    assert body["email"] == "cv@example.com"
    assert body["user"]["name"] == "Camille"
    assert body["user"]["luna_energy"] == 100


def test_login_returns_the_old_fields(api_client, user):
    body = login(api_client, user.email).json()
    assert set(body) >= {
        "access_token",
        "token_type",
        "refresh_token",
        "user_id",
        "email",
        "user",
    }
    assert body["user_id"] == str(user.pk)
    assert body["expires_in"] == 900


def test_errors_use_the_old_detail_shape(api_client, user):
    response = login(api_client, user.email, "wrong")
    assert response.status_code == 401
    assert isinstance(response.json()["detail"], str)
    assert "error" not in response.json()
    missing = api_client.post("/auth/login", {}, format="json")
    assert missing.status_code == 400 and "detail" in missing.json()
    assert api_client.get("/luna/unknown-route").json() == {
        "detail": "Aucun point d'API à cette adresse."
    }


def test_refresh_rotates_like_the_new_api(api_client, user):
    first = login(api_client, user.email).json()
    rotated = api_client.post(
        "/auth/refresh", {"refresh_token": first["refresh_token"]}, format="json"
    )
    assert rotated.status_code == 200
    body = rotated.json()
    assert set(body) == {"access_token", "token_type", "refresh_token", "expires_in"}
    replay = api_client.post(
        "/auth/refresh", {"refresh_token": first["refresh_token"]}, format="json"
    )
    assert replay.status_code == 401 and "detail" in replay.json()


def test_me_has_the_fields_the_apps_read(auth_client, user):
    body = auth_client.get("/auth/me").json()
    assert body["id"] == str(user.pk)
    assert body["email"] == user.email
    assert body["luna_energy"] == 100
    assert body["narrative_started"] is False
    assert body["is_unlimited"] is False
    assert body["subscription_type"] is None
    assert isinstance(body["created_at"], str)
    assert "password" not in body


def test_sessions_logout_and_logout_all(client_for, user):
    first = client_for(user)
    second = client_for(user)
    third = client_for(user)
    sessions = first.get("/auth/sessions").json()["sessions"]
    assert len(sessions) == 3
    assert {"id", "device_label", "ip", "user_agent", "created_at", "last_seen"} <= set(
        sessions[0]
    )
    deleted = first.delete(f"/auth/sessions/{second.session_row.pk}")
    assert deleted.json() == {"message": "Session revoked successfully"}
    everywhere = first.post("/auth/logout-all").json()
    assert everywhere["sessions_revoked"] == 1
    assert third.get("/auth/me").status_code == 401
    assert first.post("/auth/logout").status_code == 200
    assert first.get("/auth/me").status_code == 401


def test_someone_elses_session_is_404_in_the_old_shape(client_for, user, other_user):
    theirs = client_for(other_user)
    response = client_for(user).delete(f"/auth/sessions/{theirs.session_row.pk}")
    assert response.status_code == 404
    assert "detail" in response.json()
