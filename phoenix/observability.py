"""Sentry, switched on only when SENTRY_DSN is set."""

from __future__ import annotations

from typing import Any

from phoenix.logging import redact

SCRUBBED_HEADERS = {"authorization", "cookie", "x-csrftoken", "idempotency-key"}


def scrub_event(event: dict[str, Any], hint: dict[str, Any]) -> dict[str, Any]:
    """Drop credentials and personal data before an event leaves the process."""
    request = event.get("request") or {}
    headers = request.get("headers") or {}
    for name in list(headers):
        if name.lower() in SCRUBBED_HEADERS:
            headers[name] = "[redacted]"
    request.pop("cookies", None)
    request.pop("data", None)
    if "user" in event:
        event["user"] = {"id": (event["user"] or {}).get("id")}
    for entry in (event.get("logentry"), event.get("message")):
        if isinstance(entry, dict) and isinstance(entry.get("message"), str):
            entry["message"] = redact(entry["message"])
    for exception in (event.get("exception") or {}).get("values", []):
        if isinstance(exception.get("value"), str):
            exception["value"] = redact(exception["value"])
    return event


def init_sentry(
    *, dsn: str, environment: str, release: str, traces_sample_rate: float
) -> None:
    import sentry_sdk
    from sentry_sdk.integrations.django import DjangoIntegration
    from sentry_sdk.integrations.redis import RedisIntegration

    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        release=release,
        traces_sample_rate=traces_sample_rate,
        send_default_pii=False,
        integrations=[DjangoIntegration(), RedisIntegration()],
        before_send=scrub_event,
    )
