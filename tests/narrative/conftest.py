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
