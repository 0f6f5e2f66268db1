import os
import threading

import pytest
from django.db import connection

from accounts import services
from accounts.throttling import RedisStore, SlidingWindow
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def attempt(client, email, password="wrong-password", ip="198.51.100.7"):
    return client.post(
        "/api/auth/login",
        {"email": email, "password": password},
        format="json",
        REMOTE_ADDR=ip,
    )


def test_five_failures_per_account_and_ip_then_429_with_retry_after(api_client, user):
    for _ in range(5):
        assert attempt(api_client, user.email).status_code == 401
    blocked = attempt(api_client, user.email, password=PASSWORD)
    assert blocked.status_code == 429
    retry_after = int(blocked["Retry-After"])
    assert 0 < retry_after <= 15 * 60
    assert blocked.json()["error"]["code"] == "too_many_attempts"
    assert blocked.json()["error"]["retry_after"] == retry_after


def test_another_ip_is_not_locked_out_by_an_attackers_failures(api_client, user):
    for _ in range(5):
        attempt(api_client, user.email, ip="198.51.100.7")
    assert (
        attempt(api_client, user.email, PASSWORD, ip="203.0.113.9").status_code == 200
    )


def test_unknown_emails_are_limited_the_same_way(api_client):
    for _ in range(5):
        assert attempt(api_client, "ghost@example.com").status_code == 401
    assert attempt(api_client, "ghost@example.com").status_code == 429


def test_a_success_forgives_earlier_failures_from_that_ip(api_client, user):
    for _ in range(4):
        attempt(api_client, user.email)
    assert attempt(api_client, user.email, PASSWORD).status_code == 200
    for _ in range(4):
        assert attempt(api_client, user.email).status_code == 401


def test_account_wide_limit_spares_an_ip_the_user_already_used(
    api_client, user, settings
):
    settings.AUTH_LOGIN_FAILURES_PER_ACCOUNT = (3, 3600)
    home = "192.0.2.10"
    services.open_session(user, services.Client(ip=home))
    for n in range(3):
        assert attempt(api_client, user.email, ip=f"198.51.100.{n}").status_code == 401
    assert (
        attempt(api_client, user.email, PASSWORD, ip="198.51.100.99").status_code == 429
    )
    # The attacker cannot keep the real user out of their own IP.
    assert attempt(api_client, user.email, PASSWORD, ip=home).status_code == 200


def test_registration_is_limited_per_ip(api_client, settings):
    settings.AUTH_REGISTRATIONS_PER_IP = (2, 3600)
    for n in range(2):
        response = api_client.post(
            "/api/auth/register",
            {"email": f"r{n}@example.com", "password": PASSWORD},
            format="json",
            REMOTE_ADDR="198.51.100.20",
        )
        assert response.status_code == 201
    third = api_client.post(
        "/api/auth/register",
        {"email": "r3@example.com", "password": PASSWORD},
        format="json",
        REMOTE_ADDR="198.51.100.20",
    )
    assert third.status_code == 429
    assert int(third["Retry-After"]) > 0


def test_password_reset_is_limited_per_ip(api_client, settings):
    settings.AUTH_PASSWORD_RESETS_PER_IP = (2, 3600)
    codes = [
        api_client.post(
            "/api/auth/password/reset", {"email": f"x{n}@example.com"}, format="json"
        ).status_code
        for n in range(3)
    ]
    assert codes == [202, 202, 429]


def test_the_client_ip_comes_from_trusted_proxies_only(api_client, user, settings):
    # Without a trusted proxy, a forged X-Forwarded-For changes nothing.
    for n in range(5):
        api_client.post(
            "/api/auth/login",
            {"email": user.email, "password": "wrong"},
            format="json",
            HTTP_X_FORWARDED_FOR=f"10.0.0.{n}",
        )
    assert attempt(api_client, user.email, PASSWORD, ip="127.0.0.1").status_code == 429
    settings.TRUSTED_PROXY_COUNT = 1
    behind_proxy = api_client.post(
        "/api/auth/login",
        {"email": user.email, "password": PASSWORD},
        format="json",
        HTTP_X_FORWARDED_FOR="192.0.2.77",
    )
    assert behind_proxy.status_code == 200


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_guesses_cannot_slip_under_the_limit(user):
    from rest_framework.test import APIClient

    results = []
    barrier = threading.Barrier(12)

    def guess():
        try:
            barrier.wait()
            results.append(attempt(APIClient(), user.email).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=guess) for _ in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [401] * 5 + [429] * 7


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs REDIS_URL")
def test_counters_are_shared_between_processes_through_redis(api_client, user):
    import redis

    for _ in range(5):
        attempt(api_client, user.email)
    # A second "process": its own connection, its own limiter object.
    other_process = SlidingWindow(
        "login-ip",
        limit=5,
        window=900,
        store=RedisStore(redis.Redis.from_url(os.environ["REDIS_URL"])),
    )
    identity = f"{user.email}|198.51.100.7"
    assert other_process.count(identity) == 5
    assert not other_process.reserve(identity)
    third_process = SlidingWindow(
        "login-ip",
        limit=5,
        window=900,
        store=RedisStore(redis.Redis.from_url(os.environ["REDIS_URL"])),
    )
    other_process.clear(identity)
    assert third_process.reserve(identity)
