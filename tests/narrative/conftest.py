"""Helpers for the narrative tests."""

from __future__ import annotations

import pytest
from django.db import connection


@pytest.fixture
def tamper():
    """Run SQL behind the store's back (the PostgreSQL trigger bypassed)."""

    def run(sql: str, params: list) -> None:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SET LOCAL session_replication_role = replica")
            cursor.execute(sql, params)
            if connection.vendor == "postgresql":
                cursor.execute("SET LOCAL session_replication_role = DEFAULT")

    return run
