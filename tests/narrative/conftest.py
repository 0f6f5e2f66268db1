"""Helpers for the narrative tests."""

from __future__ import annotations

import uuid

import pytest
from django.db import connection


def sql_value(value):
    """A parameter for raw SQL: UUIDs as each backend stores them."""
    if isinstance(value, uuid.UUID):
        return value.hex if connection.vendor == "sqlite" else str(value)
    return value


@pytest.fixture
def tamper():
    """Run SQL behind the store's back (the PostgreSQL trigger bypassed)."""

    def run(sql: str, params: list) -> None:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SET LOCAL session_replication_role = replica")
            cursor.execute(sql, [sql_value(p) for p in params])
            if connection.vendor == "postgresql":
                cursor.execute("SET LOCAL session_replication_role = DEFAULT")

    return run


@pytest.fixture
def make_user(db):
    """Plain accounts: the event store sits below every other app, so its
    tests start from empty streams (registration hooks, such as energy's
    welcome grant, would record events of their own)."""
    import itertools

    from accounts.models import User
    from tests.conftest import PASSWORD

    numbers = itertools.count(1)

    def make(email: str | None = None, password: str = PASSWORD, **extra):
        email = email or f"reader{next(numbers)}@example.com"
        return User.objects.create_user(email, password, **extra)

    return make
