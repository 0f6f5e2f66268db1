import json

import pytest

from accounts import registry
from accounts.models import Session, User
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_export_contains_the_account_and_its_sessions(auth_client, user):
    response = auth_client.get("/api/account/export")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    document = response.json()
    assert document["account"]["email"] == user.email
    assert document["account"]["first_name"] == "Alice"
    assert len(document["sessions"]) == 1
    assert "password" not in json.dumps(document)


def test_apps_contribute_to_export_and_erasure_through_the_registry(auth_client, user):
    erased = []
    registry.register_gdpr(
        "test_app",
        export=lambda user: {"notes": [f"note of {user.first_name}"]},
        erase=lambda user: erased.append(user.pk),
    )
    try:
        document = auth_client.get("/api/account/export").json()
        assert document["test_app"] == {"notes": ["note of Alice"]}
        auth_client.delete("/api/account", {"password": PASSWORD}, format="json")
        assert erased == [user.pk]
    finally:
        registry._gdpr.pop("test_app")


def test_erasure_needs_the_password(auth_client, user):
    response = auth_client.delete("/api/account", {"password": "wrong"}, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "wrong_password"
    assert User.objects.get(pk=user.pk).is_active


def test_erasure_leaves_no_email_or_name_behind_and_ends_every_session(
    auth_client, client_for, user
):
    other_device = client_for(user)
    email = user.email
    response = auth_client.delete("/api/account", {"password": PASSWORD}, format="json")
    assert response.status_code == 204
    erased = User.objects.get(pk=user.pk)
    assert email not in erased.email and erased.first_name == ""
    assert not erased.is_active and not erased.has_usable_password()
    assert not Session.objects.filter(user=erased, revoked_at__isnull=True).exists()
    assert other_device.get("/api/auth/me").status_code == 401
    # The address can be used again for a new account.
    again = auth_client.post(
        "/api/auth/register", {"email": email, "password": PASSWORD}, format="json"
    )
    assert again.status_code == 201
    for session in Session.objects.filter(user=erased):
        assert "Alice" not in str(session.__dict__) and email not in str(
            session.__dict__
        )


def test_the_password_hash_never_appears_in_any_response(api_client, user):
    stored_hash = User.objects.get(pk=user.pk).password
    responses = []
    login = api_client.post(
        "/api/auth/login", {"email": user.email, "password": PASSWORD}, format="json"
    )
    responses.append(login)
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {login.json()['access']}")
    for path in ("/api/auth/me", "/api/auth/sessions", "/api/account/export"):
        responses.append(api_client.get(path))
    responses.append(
        api_client.patch("/api/auth/me", {"first_name": "A"}, format="json")
    )
    responses.append(
        api_client.post(
            "/api/auth/register",
            {"email": user.email, "password": PASSWORD},
            format="json",
        )
    )
    for response in responses:
        text = response.content.decode()
        assert stored_hash not in text
        assert "md5$" not in text and "pbkdf2" not in text
