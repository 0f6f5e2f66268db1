import json

import pytest

from accounts.models import User
from narrative.models import Event
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def auth_events(user):
    return list(
        Event.objects.for_user(user)
        .filter(type__startswith="auth.")
        .order_by("seq")
        .values_list("type", "payload")
    )


def test_security_events_are_recorded_without_secrets(api_client, user):
    api_client.post(
        "/api/auth/login", {"email": user.email, "password": "wrong"}, format="json"
    )
    tokens = api_client.post(
        "/api/auth/login", {"email": user.email, "password": PASSWORD}, format="json"
    ).json()
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens['access']}")
    api_client.post(
        "/api/auth/password/change",
        {"old_password": PASSWORD, "new_password": "a-brand-new-passphrase"},
        format="json",
    )
    api_client.get("/api/account/export")
    api_client.post("/api/auth/logout")
    types = [kind for kind, _ in auth_events(user)]
    assert types == [
        "auth.login_failed",
        "auth.login_succeeded",
        "auth.password_changed",
        "auth.account_exported",
        "auth.session_revoked",
    ]
    text = json.dumps(auth_events(user))
    for secret in (user.email, PASSWORD, "a-brand-new-passphrase", tokens["access"]):
        assert secret not in text


def test_token_reuse_is_recorded(api_client, user):
    tokens = api_client.post(
        "/api/auth/login", {"email": user.email, "password": PASSWORD}, format="json"
    ).json()
    api_client.post("/api/auth/refresh", {"refresh": tokens["refresh"]}, format="json")
    api_client.post("/api/auth/refresh", {"refresh": tokens["refresh"]}, format="json")
    assert "auth.token_reused" in [kind for kind, _ in auth_events(user)]


def test_erasure_redacts_the_story_and_keeps_the_chain(auth_client, user):
    from narrative import services as narrative

    auth_client.post(
        "/api/energy/consume",
        {"action": "optimisation_cv", "context": {"note": f"CV of {user.email}"}},
        format="json",
        HTTP_IDEMPOTENCY_KEY="k-1",
    )
    email = user.email
    assert (
        auth_client.delete(
            "/api/account", {"password": PASSWORD}, format="json"
        ).status_code
        == 204
    )
    erased = User.objects.get(pk=user.pk)
    payloads = json.dumps(
        list(Event.objects.for_user(erased).values_list("payload", flat=True))
    )
    assert email not in payloads
    assert narrative.verify_stream(user=erased) == []
    assert "auth.account_erased" in [kind for kind, _ in auth_events(erased)]
