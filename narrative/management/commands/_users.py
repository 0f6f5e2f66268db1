"""Shared by the narrative commands: ``--user ID`` to a user row."""

from __future__ import annotations

import uuid

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError


def user_from_option(value: str | None):
    if value is None:
        return None
    try:
        user_id = uuid.UUID(value)
    except ValueError:
        raise CommandError(f"--user: {value!r} is not a user id (UUID)") from None
    user = get_user_model().objects.filter(pk=user_id).first()
    if user is None:
        raise CommandError(f"--user: no user {user_id}")
    return user
