"""Liveness and readiness probes for load balancers and orchestrators."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Awaitable, Callable

from asgiref.sync import sync_to_async
from channels.layers import get_channel_layer
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_GET

from phoenix.version import COMMIT, VERSION

PROBE_TIMEOUT_SECONDS = 3.0


FEATURES = [
    "luna-session-zero",
    "enterprise-auth",
    "multi-device-sessions",
    "refresh-token-rotation",
    "rate-limiting",
    "event-store-audit",
]


@require_GET
def health(request: HttpRequest) -> JsonResponse:
    """Liveness: the process answers. No I/O at all."""
    return JsonResponse(
        {
            "status": "healthy",
            "service": "phoenix-luna-hub",
            "version": VERSION,
            "commit": COMMIT,
            # The predecessor's field, still read by the Phoenix apps.
            "features": FEATURES,
        }
    )


def _database_round_trip() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


async def check_database() -> None:
    await sync_to_async(_database_round_trip)()


async def check_cache() -> None:
    key = f"ready:{uuid.uuid4().hex}"
    await cache.aset(key, "1", timeout=10)
    value = await cache.aget(key)
    await cache.adelete(key)
    if value != "1":
        raise RuntimeError("the cache did not return what was stored")


async def check_channel_layer() -> None:
    layer = get_channel_layer()
    if layer is None:
        raise RuntimeError("no channel layer configured")
    channel = await layer.new_channel("ready.")
    await layer.send(channel, {"type": "ready.ping"})
    message = await layer.receive(channel)
    if message.get("type") != "ready.ping":
        raise RuntimeError("the channel layer returned another message")


PROBES: dict[str, Callable[[], Awaitable[None]]] = {
    "database": check_database,
    "cache": check_cache,
    "channel_layer": check_channel_layer,
}


async def run_probe(probe: Callable[[], Awaitable[None]]) -> dict[str, object]:
    started = time.perf_counter()
    try:
        await asyncio.wait_for(probe(), PROBE_TIMEOUT_SECONDS)
    except Exception as error:  # any failure means "not ready"; name its kind
        kind = "timeout" if isinstance(error, TimeoutError) else type(error).__name__
        return {"status": "error", "error": kind}
    return {"status": "ok", "ms": round((time.perf_counter() - started) * 1000, 1)}


@require_GET
async def ready(request: HttpRequest) -> JsonResponse:
    """Readiness: database, cache and channel layer each answer a round trip."""
    results = await asyncio.gather(*(run_probe(p) for p in PROBES.values()))
    components = dict(zip(PROBES, results, strict=True))
    failing = [name for name, result in components.items() if result["status"] != "ok"]
    body = {
        "status": "unavailable" if failing else "ready",
        "failing": failing,
        "components": components,
    }
    return JsonResponse(body, status=503 if failing else 200)
