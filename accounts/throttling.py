"""Sliding-window attempt limits shared by every server process.

An attempt is *reserved* before the work it guards (checking a password,
sending a mail) and counted atomically, so a burst of parallel requests cannot
all slip under the limit. With Redis (production) the window is a sorted set
updated in one MULTI/EXEC transaction, shared by every process; with the
local-memory cache (development) it is a list behind a process-wide lock,
which is all one process needs.
"""

from __future__ import annotations

import hashlib
import math
import threading
import time
import uuid
from dataclasses import dataclass

from django.core.cache import caches

KEY_PREFIX = "phoenix:rl"


@dataclass(frozen=True)
class Attempt:
    allowed: bool
    retry_after: int  # seconds until an attempt would be allowed again (0 if allowed)
    key: str
    member: str

    def __bool__(self) -> bool:
        return self.allowed


class RedisStore:
    def __init__(self, client):
        self.client = client

    def reserve(
        self, key: str, member: str, limit: int, window: float
    ) -> tuple[bool, float]:
        now = time.time()
        with self.client.pipeline(transaction=True) as pipe:
            pipe.zremrangebyscore(key, "-inf", now - window)
            pipe.zadd(key, {member: now})
            pipe.zcard(key)
            pipe.zrange(key, 0, 0, withscores=True)
            pipe.expire(key, math.ceil(window))
            _, _, count, oldest, _ = pipe.execute()
        if count <= limit:
            return True, 0.0
        self.client.zrem(key, member)
        # The oldest attempt leaving the window frees a place.
        return False, oldest[0][1] + window - now if oldest else window

    def release(self, key: str, member: str) -> None:
        self.client.zrem(key, member)

    def clear(self, key: str) -> None:
        self.client.delete(key)

    def count(self, key: str, window: float) -> int:
        return int(self.client.zcount(key, time.time() - window, "+inf"))


class MemoryStore:
    """One process's attempts (the local-memory cache's only user is itself)."""

    _lock = threading.Lock()
    _windows: dict[str, list[tuple[float, str]]] = {}

    def reserve(
        self, key: str, member: str, limit: int, window: float
    ) -> tuple[bool, float]:
        now = time.time()
        with self._lock:
            entries = [e for e in self._windows.get(key, []) if e[0] > now - window]
            if len(entries) >= limit:
                self._windows[key] = entries
                return False, entries[0][0] + window - now
            entries.append((now, member))
            self._windows[key] = entries
        return True, 0.0

    def release(self, key: str, member: str) -> None:
        with self._lock:
            self._windows[key] = [
                e for e in self._windows.get(key, []) if e[1] != member
            ]

    def clear(self, key: str) -> None:
        with self._lock:
            self._windows.pop(key, None)

    def count(self, key: str, window: float) -> int:
        now = time.time()
        with self._lock:
            return sum(1 for e in self._windows.get(key, []) if e[0] > now - window)

    @classmethod
    def reset_all(cls) -> None:
        with cls._lock:
            cls._windows.clear()


def default_store() -> RedisStore | MemoryStore:
    cache = caches["default"]
    try:
        from django_redis.cache import RedisCache
    except ImportError:  # pragma: no cover - django-redis is a pinned dependency
        RedisCache = ()
    if isinstance(cache, RedisCache):
        return RedisStore(cache.client.get_client(write=True))
    return MemoryStore()


class SlidingWindow:
    """At most ``limit`` attempts per ``window`` seconds for one identity."""

    def __init__(self, scope: str, *, limit: int, window: int, store=None):
        self.scope = scope
        self.limit = limit
        self.window = window
        self._store = store

    @property
    def store(self):
        return self._store or default_store()

    def key(self, identity: str) -> str:
        digest = hashlib.sha256(identity.encode()).hexdigest()[:32]
        return f"{KEY_PREFIX}:{self.scope}:{digest}"

    def reserve(self, identity: str) -> Attempt:
        key = self.key(identity)
        member = uuid.uuid4().hex
        allowed, wait = self.store.reserve(key, member, self.limit, self.window)
        retry_after = 0 if allowed else max(1, math.ceil(wait))
        return Attempt(allowed=allowed, retry_after=retry_after, key=key, member=member)

    def release(self, attempt: Attempt) -> None:
        """Forget a reserved attempt (it turned out not to count)."""
        if attempt.allowed:
            self.store.release(attempt.key, attempt.member)

    def clear(self, identity: str) -> None:
        self.store.clear(self.key(identity))

    def count(self, identity: str) -> int:
        return self.store.count(self.key(identity), self.window)
