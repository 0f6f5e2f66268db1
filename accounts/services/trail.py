"""Security-relevant account events, recorded in the user's narrative stream.

Never a password, a token or an email: session ids, truncated IPs, device
labels, counts and reasons only.
"""

from __future__ import annotations

from typing import Any

from narrative import services as narrative


def record(user, kind: str, **payload: Any) -> None:
    """Record ``auth.<kind>`` for ``user`` inside the caller's transaction."""
    narrative.record(
        user=user,
        type=f"auth.{kind}",
        payload={k: (str(v) if k.endswith("_id") else v) for k, v in payload.items()},
    )
