"""The one module that talks to a model: Gemini, or the built-in coach.

``generate(prompt, fallback=...)`` is an async iterator of text deltas that
ends with one ``Outcome``. Gemini is reached through google-genai's async
streaming API. Before the first token, a 429 or 5xx (or a refused connection)
is retried with exponential backoff and full jitter, honouring ``Retry-After``;
after the first token nothing is retried (the user already reads the reply),
and an interruption ends the stream with ``Outcome.interrupted``.

The built-in coach answers (``provider="builtin"``) when no key is set, when
the circuit breaker is open, or when Gemini failed before its first token. The
breaker opens after ``LUNA_BREAKER_THRESHOLD`` consecutive failed calls, for
``LUNA_BREAKER_SECONDS``; its state lives in the cache so every process sees
it. When it closes again, one more failure reopens it (half-open).

A chat turn reads the breaker once, in its worker thread before the charge
(``read_breaker()``), and hands the reading to ``generate``: the async path
then makes no cache call unless something failed.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
import weakref
from collections.abc import AsyncIterator, Callable, Iterable
from dataclasses import dataclass
from typing import Any

from asgiref.sync import sync_to_async
from django.conf import settings
from django.core.cache import cache

logger = logging.getLogger("luna.llm")

GEMINI = "gemini"
BUILTIN = "builtin"
BREAKER_OPEN_UNTIL = "luna:llm:breaker:open_until"
BREAKER_FAILURES = "luna:llm:breaker:failures"


@dataclass(frozen=True)
class Outcome:
    provider: str  # gemini | builtin
    model: str
    tokens_in: int = 0
    tokens_out: int = 0
    interrupted: bool = False  # the model failed after its first token
    fallback_reason: str = ""  # why the coach answered: no_key, breaker_open, …


class _Retryable(Exception):
    def __init__(self, reason: str, retry_after: float | None = None):
        super().__init__(reason)
        self.reason = reason
        self.retry_after = retry_after


class _Failed(Exception):
    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


# --- Circuit breaker (in the shared cache) ------------------------------------


# Failures this process has recorded: a reading remembers the count it saw, so
# a success resets the shared count when a failure came after the reading.
_recorded_failures = 0


@dataclass(frozen=True)
class Breaker:
    """The breaker as read from the cache at one moment."""

    open_until: float | None = None
    failures: int = 0  # consecutive failed calls so far, across processes
    seen: int = 0  # _recorded_failures at the reading

    @property
    def open(self) -> bool:
        return self.open_until is not None and self.open_until > time.time()

    @property
    def stale(self) -> bool:
        """A failure was recorded here since the reading."""
        return self.seen != _recorded_failures

    @classmethod
    def of(cls, values: dict, seen: int) -> Breaker:
        failures = values.get(BREAKER_FAILURES) or 0
        return cls(values.get(BREAKER_OPEN_UNTIL), failures, seen)


BREAKER_KEYS = [BREAKER_OPEN_UNTIL, BREAKER_FAILURES]


def read_breaker() -> Breaker:
    """Read the breaker (one cache call; none when no key is set).

    The breaker only protects the model: a cache that cannot be read counts as
    a closed breaker (logged), and the model is called."""
    seen = _recorded_failures
    if not settings.GEMINI_API_KEY:
        return Breaker(seen=seen)
    try:
        return Breaker.of(cache.get_many(BREAKER_KEYS), seen)
    except Exception:  # the cache backends raise their clients' errors
        logger.warning("luna llm breaker unreadable; taken as closed", exc_info=True)
        return Breaker(seen=seen)


async def aread_breaker() -> Breaker:
    # Where the cache's own aget_many would run get_many: the thread-sensitive
    # thread (a reading needs no cache call when no key is set).
    if not settings.GEMINI_API_KEY:
        return Breaker(seen=_recorded_failures)
    return await sync_to_async(read_breaker)()


async def breaker_is_open() -> bool:
    return (await aread_breaker()).open


async def _record_failure() -> None:
    global _recorded_failures
    _recorded_failures += 1
    threshold = settings.LUNA_BREAKER_THRESHOLD
    await cache.aadd(BREAKER_FAILURES, 0, timeout=3600)
    try:
        failures = await cache.aincr(BREAKER_FAILURES)
    except ValueError:  # expired between add and incr
        await cache.aset(BREAKER_FAILURES, 1, timeout=3600)
        failures = 1
    if failures >= threshold:
        seconds = settings.LUNA_BREAKER_SECONDS
        await cache.aset(BREAKER_OPEN_UNTIL, time.time() + seconds, timeout=seconds)
        # Half-open afterwards: the next failure reopens at once.
        await cache.aset(BREAKER_FAILURES, threshold - 1, timeout=3600)
        logger.warning("luna llm circuit breaker open for %s s", seconds)


async def _record_success() -> None:
    await cache.adelete(BREAKER_FAILURES)


# --- Gemini ---------------------------------------------------------------------

_clients: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def preload() -> None:
    """Import the SDK now rather than on the first message after a start,
    when a key is set (the server's entry point calls this)."""
    if settings.GEMINI_API_KEY:
        from google import genai  # noqa: F401
        from google.genai import types  # noqa: F401


def _client():
    """One SDK client per event loop (its HTTP session belongs to the loop)."""
    from google import genai
    from google.genai import types

    loop = asyncio.get_running_loop()
    signature = (settings.GEMINI_API_KEY, settings.GEMINI_BASE_URL)
    cached = _clients.get(loop)
    if cached is not None and cached[0] == signature:
        return cached[1]
    options = types.HttpOptions(base_url=settings.GEMINI_BASE_URL or None)
    client = genai.Client(api_key=settings.GEMINI_API_KEY, http_options=options)
    _clients[loop] = (signature, client)
    return client


def _contents(contents: Iterable[Any]) -> list[dict]:
    """The prompt's turns as Gemini contents (dicts, or objects with role/text)."""
    result = []
    for item in contents:
        if isinstance(item, dict):
            result.append(item)
            continue
        role = "model" if getattr(item, "role", "user") in ("luna", "model") else "user"
        result.append({"role": role, "parts": [{"text": item.text}]})
    return result


def _retry_after(error: Exception) -> float | None:
    response = getattr(error, "response", None)
    headers = getattr(response, "headers", None)
    if not headers:
        return None
    raw = headers.get("Retry-After") or headers.get("retry-after")
    try:
        return max(0.0, float(raw))
    except (TypeError, ValueError):
        return None


def _classify(error: Exception) -> Exception:
    """Map an SDK or transport error to _Retryable or _Failed."""
    from google.genai import errors

    if isinstance(error, errors.APIError):
        code = error.code or 0
        if code == 429 or code >= 500:
            return _Retryable(f"http_{code}", _retry_after(error))
        return _Failed(f"http_{code}")
    if isinstance(error, TimeoutError):
        return _Failed("timeout")
    if isinstance(error, (ConnectionError, OSError)):
        return _Retryable("connection")
    name = type(error).__module__.split(".")[0]
    if name in ("aiohttp", "httpx", "httpx2", "httpcore"):
        return _Retryable("connection")
    return _Failed(type(error).__name__)


def _backoff(attempt: int, retry_after: float | None) -> float:
    if retry_after is not None:
        return retry_after
    return random.uniform(0, min(settings.GEMINI_RETRY_MAX_WAIT, 0.5 * 2**attempt))


async def _open_stream(client, system: str, contents: list[dict]):
    from google.genai import types

    config = types.GenerateContentConfig(
        system_instruction=system or None,
        temperature=settings.GEMINI_TEMPERATURE,
        max_output_tokens=settings.GEMINI_MAX_OUTPUT_TOKENS,
        automatic_function_calling=types.AutomaticFunctionCallingConfig(disable=True),
    )
    stream = await client.aio.models.generate_content_stream(
        model=settings.GEMINI_MODEL, contents=contents, config=config
    )
    return stream.__aiter__()


async def _first_chunk(system: str, contents: list[dict]):
    """Open the stream and read up to the first text, retrying what may pass."""
    timeout = settings.GEMINI_TIMEOUT
    attempts = settings.GEMINI_MAX_ATTEMPTS
    # The timeout measures the model, not this process: the SDK is imported
    # and its client built before the clock starts (a cold start can take
    # longer than the whole budget on a busy machine).
    try:
        client = _client()
    except Exception as error:  # a malformed key or URL: the coach answers
        raise _Failed(type(error).__name__) from error
    for attempt in range(attempts):
        try:
            async with asyncio.timeout(timeout):
                iterator = await _open_stream(client, system, contents)
                while True:
                    chunk = await anext(iterator)
                    if chunk.text:
                        return iterator, chunk
        except StopAsyncIteration:
            raise _Failed("empty") from None
        except asyncio.CancelledError:
            raise
        except Exception as error:  # the SDK and its transports raise many kinds
            problem = _classify(error)
            if isinstance(problem, _Failed) or attempt == attempts - 1:
                raise _Failed(getattr(problem, "reason", "error")) from error
            wait = _backoff(attempt, problem.retry_after)
            if wait > settings.GEMINI_RETRY_MAX_WAIT:
                raise _Failed("retry_after_too_long") from error
            logger.info("gemini %s, retrying in %.2f s", problem.reason, wait)
            await asyncio.sleep(wait)
    raise _Failed("exhausted")  # pragma: no cover - the loop returns or raises


def _usage(chunk) -> tuple[int, int]:
    usage = getattr(chunk, "usage_metadata", None)
    if usage is None:
        return 0, 0
    return usage.prompt_token_count or 0, usage.candidates_token_count or 0


async def _gemini(
    system: str, contents: list[dict], breaker: Breaker
) -> AsyncIterator[str | Outcome]:
    """Raise _Failed before the first token; afterwards end with an Outcome.

    A success resets the count of consecutive failures when the reading saw
    some, or this process recorded one since; most calls have nothing to
    reset and make no cache call. (A failure another process records after
    the reading is not reset by this success.)"""
    iterator, chunk = await _first_chunk(system, contents)
    tokens_in, tokens_out = _usage(chunk)
    yield chunk.text
    timeout = settings.GEMINI_TIMEOUT
    try:
        while True:
            try:
                chunk = await asyncio.wait_for(anext(iterator), timeout)
            except StopAsyncIteration:
                break
            usage = _usage(chunk)
            if usage != (0, 0):
                tokens_in, tokens_out = usage
            if chunk.text:
                yield chunk.text
    except asyncio.CancelledError:
        raise
    except Exception as error:
        logger.warning("gemini stream interrupted: %s", type(error).__name__)
        await _record_failure()
        yield Outcome(GEMINI, settings.GEMINI_MODEL, tokens_in, tokens_out, True)
        return
    if breaker.failures or breaker.stale:
        await _record_success()
    yield Outcome(GEMINI, settings.GEMINI_MODEL, tokens_in, tokens_out)


# --- The entry point --------------------------------------------------------------


async def _builtin(chunks: list[str], reason: str) -> AsyncIterator[str | Outcome]:
    for text in chunks:
        yield text
        await asyncio.sleep(0)  # a cancel lands between chunks
    yield Outcome(BUILTIN, "luna-coach", fallback_reason=reason)


async def generate(
    *,
    system: str,
    contents: Iterable[Any],
    fallback: Callable[[], list[str]],
    breaker: Breaker | None = None,
) -> AsyncIterator[str | Outcome]:
    """Stream a reply: text deltas, then exactly one ``Outcome``.

    ``fallback()`` returns the built-in coach's chunks; it is called only when
    the coach answers. ``breaker``: the caller's reading (a chat turn takes it
    with ``read_breaker()`` before the charge); read here when not given.
    """
    if breaker is None:
        breaker = await aread_breaker()
    if not settings.GEMINI_API_KEY:
        reason = "no_key"
    elif breaker.open:
        reason = "breaker_open"
    else:
        try:
            async for item in _gemini(system, _contents(contents), breaker):
                yield item
            return
        except _Failed as failure:
            logger.warning("gemini failed before its first token: %s", failure.reason)
            await _record_failure()
            reason = failure.reason
    async for item in _builtin(fallback(), reason):
        yield item
