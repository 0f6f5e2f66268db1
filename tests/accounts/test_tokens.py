"""Token attacks: every one of them is a 401 and nothing else."""

import base64
import json
import time

import jwt
import pytest
from django.conf import settings
from rest_framework.test import APIClient

from accounts import services

pytestmark = pytest.mark.django_db


def bearer(token: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


@pytest.fixture
def pair(user):
    return services.open_session(user, services.Client(ip="127.0.0.1")).tokens


def b64(data: dict) -> str:
    raw = json.dumps(data).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def test_a_valid_access_token_works(pair):
    assert bearer(pair.access).get("/api/auth/me").status_code == 200


def test_an_expired_access_token_is_refused(pair):
    claims = jwt.decode(pair.access, options={"verify_signature": False})
    claims["exp"] = int(time.time()) - 10
    expired = jwt.encode(claims, settings.SECRET_KEY, algorithm="HS256")
    response = bearer(expired).get("/api/auth/me")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "token_expired"


def test_a_tampered_signature_is_refused(pair):
    header, payload, signature = pair.access.split(".")
    forged = signature[:-2] + ("AA" if signature[-2:] != "AA" else "BB")
    assert bearer(f"{header}.{payload}.{forged}").get("/api/auth/me").status_code == 401


def test_a_tampered_payload_is_refused(pair, other_user):
    header, _payload, signature = pair.access.split(".")
    claims = jwt.decode(pair.access, options={"verify_signature": False})
    claims["user_id"] = str(other_user.pk)
    forged = f"{header}.{b64(claims)}.{signature}"
    assert bearer(forged).get("/api/auth/me").status_code == 401


def test_alg_none_is_refused(pair):
    claims = jwt.decode(pair.access, options={"verify_signature": False})
    unsigned = f"{b64({'alg': 'none', 'typ': 'JWT'})}.{b64(claims)}."
    assert bearer(unsigned).get("/api/auth/me").status_code == 401


def test_a_token_signed_with_another_key_is_refused(pair):
    claims = jwt.decode(pair.access, options={"verify_signature": False})
    forged = jwt.encode(claims, "not-the-secret-key-" * 3, algorithm="HS256")
    assert bearer(forged).get("/api/auth/me").status_code == 401


def test_a_refresh_token_is_not_an_access_token(pair):
    response = bearer(pair.refresh).get("/api/auth/me")
    assert response.status_code == 401


def test_an_access_token_cannot_refresh(pair, api_client):
    response = api_client.post(
        "/api/auth/refresh", {"refresh": pair.access}, format="json"
    )
    assert response.status_code == 401


def test_a_blacklisted_refresh_token_reused_is_refused(pair, api_client):
    assert (
        api_client.post(
            "/api/auth/refresh", {"refresh": pair.refresh}, format="json"
        ).status_code
        == 200
    )
    again = api_client.post(
        "/api/auth/refresh", {"refresh": pair.refresh}, format="json"
    )
    assert again.status_code == 401


@pytest.mark.parametrize("garbage", ["", "abc", "a.b.c", "x" * 5000, "Bearer"])
def test_garbage_tokens_are_401_not_500(garbage):
    assert bearer(garbage).get("/api/auth/me").status_code == 401


def test_tokens_carry_no_personal_data(pair):
    claims = jwt.decode(pair.access, settings.SECRET_KEY, algorithms=["HS256"])
    assert set(claims) == {"token_type", "exp", "iat", "jti", "user_id", "sid"}
