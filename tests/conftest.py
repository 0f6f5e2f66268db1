"""Shared fixtures. Everything runs on the real ORM, database, cache and layer.

The suite runs on the embedded defaults (SQLite, local memory) or, with
DATABASE_URL and REDIS_URL set, on PostgreSQL and Redis. Tests that only mean
something on PostgreSQL (row locks, triggers, real concurrency) are marked
``postgres`` and skipped on SQLite.
"""

from __future__ import annotations

import itertools
import os
import shutil

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import override_settings
from rest_framework.test import APIClient

from accounts import services as accounts
from accounts.throttling import MemoryStore

PASSWORD = "correct-horse-battery-staple"
_numbers = itertools.count(1)


def pytest_configure(config):
    import stripe
    from django.conf import settings

    # Nothing leaves loopback: the Stripe SDK talks to localstripe
    # (tests/billing) or to a closed port.
    stripe.api_base = "http://127.0.0.1:9"

    # dj-stripe's migrations take ~2 minutes per test database; build its
    # tables from one equivalent migration (see tests/billing/djstripe_schema).
    settings.MIGRATION_MODULES = {
        **getattr(settings, "MIGRATION_MODULES", {}),
        "djstripe": "tests.billing.djstripe_schema.migrations",
    }


def pytest_collection_modifyitems(config, items):
    # CI sets PHOENIX_REQUIRE_BROWSER=1: there a missing Chromium fails the
    # browser tests instead of skipping them.
    if os.environ.get("PHOENIX_REQUIRE_BROWSER") == "1":
        return
    if shutil.which("chromium") or shutil.which("chromium-browser"):
        return
    skip = pytest.mark.skip(reason="no Chromium on this machine (apt install chromium)")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(autouse=True, scope="session")
def fast_password_hashing():
    """Hashing at full strength only slows the suite; the rules are the same."""
    with override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]
    ):
        yield


@pytest.fixture(autouse=True)
def _skip_postgres_only(request):
    if (
        request.node.get_closest_marker("postgres")
        and connection.vendor != "postgresql"
    ):
        pytest.skip("needs PostgreSQL (run with DATABASE_URL set)")


# Data migrations that seed reference data. Transactional tests flush every
# table when they end, so the seeds are put back before a test that needs them.
SEED_MIGRATIONS = [
    ("energy.migrations.0002_seed_action_catalogue", "seed"),
    ("billing.migrations.0002_seed_packs", "seed"),
]


def ensure_seed_data() -> None:
    import importlib

    from django.apps import apps

    from billing.models import Pack
    from energy.models import Action

    if Action.objects.exists() and Pack.objects.exists():
        return
    for module, function in SEED_MIGRATIONS:
        getattr(importlib.import_module(module), function)(apps, None)


@pytest.fixture(autouse=True)
def _seed_data(request):
    uses_db = request.node.get_closest_marker("django_db") or {
        "db",
        "transactional_db",
    } & set(request.fixturenames)
    if uses_db:
        fixture = "transactional_db" if _is_transactional(request) else "db"
        request.getfixturevalue(fixture)
        ensure_seed_data()


def _is_transactional(request) -> bool:
    marker = request.node.get_closest_marker("django_db")
    if marker and (marker.kwargs.get("transaction") or marker.args[:1] == (True,)):
        return True
    return "transactional_db" in request.fixturenames


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Throttle counters and cached reads never leak from one test to the next."""
    cache.clear()
    MemoryStore.reset_all()
    yield
    cache.clear()
    MemoryStore.reset_all()


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()


@pytest.fixture
def make_user(db):
    """Create accounts the way registration does (the apps' hooks run)."""

    def make(email: str | None = None, password: str = PASSWORD, **extra):
        email = email or f"user{next(_numbers)}@example.com"
        return accounts.create_account(email=email, password=password, **extra)

    return make


@pytest.fixture
def user(make_user):
    return make_user(first_name="Alice")


@pytest.fixture
def other_user(make_user):
    return make_user(first_name="Bob")


@pytest.fixture
def client_for(db):
    """An API client signed in as ``user`` with a Bearer token (one session)."""

    def signed_in(user, *, ip: str = "127.0.0.1") -> APIClient:
        result = accounts.open_session(
            user, accounts.Client(ip=ip, user_agent="pytest")
        )
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {result.tokens.access}")
        client.user = user
        client.session_row = result.session
        client.tokens = result.tokens
        return client

    return signed_in


@pytest.fixture
def auth_client(client_for, user) -> APIClient:
    return client_for(user)


@pytest.fixture
def service_client_for(db):
    """An API client with a service key: ``service_client_for(["energy:write"])``."""

    def make(scopes, *, app_source: str = "cv", name: str = "Phoenix CV") -> APIClient:
        service, key = accounts.create_service_client(
            name=name, app_source=app_source, scopes=list(scopes)
        )
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Api-Key {key}")
        client.service = service
        client.key = key
        return client

    return make


@pytest.fixture(scope="session")
def localstripe():
    """localstripe on a loopback port, once per run: its aiohttp app is a
    module global bound to the first event loop, so billing's tests and the
    browser tests share this one server."""
    import stripe

    from tests.billing.stripe_server import LocalStripe

    server = LocalStripe()
    url = server.start()
    previous = stripe.api_base
    stripe.api_base = url
    yield server
    stripe.api_base = previous
    server.stop()
