"""How often a user may start a payment (each one creates Stripe objects)."""

from __future__ import annotations

from django.conf import settings

from accounts.throttling import SlidingWindow
from billing.errors import TooManyStarts


def reserve_start(*, user) -> None:
    """Count one purchase or subscription start, or raise 429."""
    limit, window = settings.BILLING_START_LIMIT
    attempt = SlidingWindow("billing-start", limit=limit, window=window).reserve(
        str(user.pk)
    )
    if not attempt:
        raise TooManyStarts(attempt.retry_after)
