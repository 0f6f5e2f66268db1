"""Shared fixtures. Everything runs on the real ORM, database, cache and layer.

The suite runs on the embedded defaults (SQLite, local memory) or, with
DATABASE_URL and REDIS_URL set, on PostgreSQL and Redis. Tests that only mean
something on PostgreSQL (row locks, triggers, real concurrency) are marked
``postgres`` and skipped on SQLite.
"""

from __future__ import annotations

import os
import shutil

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import override_settings
from rest_framework.test import APIClient


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


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Throttle counters and cached reads never leak from one test to the next."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()
