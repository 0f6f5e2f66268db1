"""luna.llm against a local server speaking Gemini's protocol, through the
real google-genai client."""

import time

import pytest
from django.core.cache import cache

from luna import llm
from tests.luna.fake_gemini import BreakAfter, Fail, Hang, Stream

COACH = ["Je suis ", "le coach."]


async def run(**kwargs):
    deltas, outcome = [], None
    async for item in llm.generate(
        system="Tu es Luna.",
        contents=[{"role": "user", "parts": [{"text": "Bonjour"}]}],
        fallback=lambda: list(COACH),
        **kwargs,
    ):
        if isinstance(item, llm.Outcome):
            assert outcome is None, "exactly one outcome"
            outcome = item
        else:
            assert outcome is None, "no delta after the outcome"
            deltas.append(item)
    return deltas, outcome


@pytest.mark.asyncio
async def test_gemini_streams_its_chunks_and_usage(gemini):
    gemini.script(Stream(["Bonjour ", "Alice, ", "on avance !"]))
    deltas, outcome = await run()
    assert deltas == ["Bonjour ", "Alice, ", "on avance !"]
    assert outcome.provider == "gemini"
    assert outcome.model == "gemini-2.5-flash"
    assert (outcome.tokens_in, outcome.tokens_out) == (42, 3)
    assert not outcome.interrupted
    request = gemini.requests[-1]
    assert request["path"].endswith("/models/gemini-2.5-flash:streamGenerateContent")
    assert request["query"]["alt"] == "sse"
    assert request["body"]["systemInstruction"]["parts"][0]["text"] == "Tu es Luna."
    assert request["body"]["generationConfig"]["temperature"] == 0.7


@pytest.mark.asyncio
async def test_a_429_is_retried_after_its_retry_after(gemini):
    gemini.script(Fail(429, retry_after=0.3), Stream(["Enfin !"]))
    deltas, outcome = await run()
    assert deltas == ["Enfin !"]
    assert outcome.provider == "gemini"
    first, second = gemini.requests
    # As the server saw them: a slow machine only spaces them further.
    assert second["at"] - first["at"] >= 0.3


@pytest.mark.asyncio
async def test_5xx_are_retried_then_the_coach_answers(gemini, settings):
    settings.GEMINI_MAX_ATTEMPTS = 3
    gemini.script(Fail(503), Fail(500), Fail(502))
    deltas, outcome = await run()
    assert len(gemini.requests) == 3
    assert deltas == COACH
    assert outcome.provider == "builtin"
    assert outcome.fallback_reason == "http_502"


@pytest.mark.asyncio
async def test_a_client_error_is_not_retried(gemini):
    gemini.script(Fail(400))
    _deltas, outcome = await run()
    assert len(gemini.requests) == 1
    assert outcome.provider == "builtin"


@pytest.mark.asyncio
async def test_a_failure_after_the_first_token_is_not_retried(gemini):
    gemini.script(BreakAfter(["Début de réponse "]))
    deltas, outcome = await run()
    assert deltas == ["Début de réponse "]
    assert outcome.provider == "gemini"
    assert outcome.interrupted
    assert len(gemini.requests) == 1


@pytest.mark.asyncio
async def test_a_timeout_lets_the_coach_answer_and_five_open_the_breaker(
    gemini, settings
):
    # The server hangs until released: every call times out, however long the
    # machine takes to send it (the client is built before the clock starts).
    settings.GEMINI_TIMEOUT = 0.5
    gemini.default = Hang()
    for _ in range(5):
        deltas, outcome = await run()
        assert deltas == COACH
        assert outcome.provider == "builtin"
        assert outcome.fallback_reason == "timeout"
    assert await llm.breaker_is_open()
    asked = len(gemini.requests)
    assert asked >= 1
    deltas, outcome = await run()
    assert deltas == COACH
    assert outcome.fallback_reason == "breaker_open"
    assert len(gemini.requests) == asked  # the open breaker spares the model


@pytest.mark.asyncio
async def test_a_success_resets_the_failure_count(gemini):
    for _ in range(4):
        gemini.script(Fail(400))
        await run()
    gemini.script(Stream(["ok"]))
    await run()
    gemini.script(Fail(400))
    await run()
    assert not await llm.breaker_is_open()


@pytest.mark.asyncio
async def test_a_breaker_reading_handed_in_is_used_as_read(gemini):
    opened = llm.Breaker(open_until=time.time() + 60)
    deltas, outcome = await run(breaker=opened)
    assert deltas == COACH
    assert outcome.fallback_reason == "breaker_open"
    assert gemini.requests == []  # the caller's reading sufficed
    deltas, outcome = await run(breaker=llm.Breaker(open_until=time.time() - 1))
    assert deltas == ["Bonjour ", "Alice !"]
    assert outcome.provider == "gemini"  # an expired opening is closed


@pytest.mark.asyncio
async def test_a_success_after_failures_read_by_the_caller_resets_them(gemini):
    for _ in range(4):
        gemini.script(Fail(400))
        await run()
    reading = await llm.aread_breaker()
    assert (reading.open, reading.failures) == (False, 4)
    gemini.script(Stream(["ok"]))
    await run(breaker=reading)
    assert (await llm.aread_breaker()).failures == 0
    gemini.script(Fail(400))
    await run(breaker=await llm.aread_breaker())
    assert not await llm.breaker_is_open()


@pytest.mark.asyncio
async def test_a_success_resets_a_failure_this_process_recorded_since_its_reading(
    gemini,
):
    reading = await llm.aread_breaker()
    gemini.script(Fail(400))
    await run()  # another turn fails meanwhile: one failure
    assert cache.get(llm.BREAKER_FAILURES) == 1
    gemini.script(Stream(["ok"]))
    await run(breaker=reading)  # read before that failure, succeeds after it
    assert cache.get(llm.BREAKER_FAILURES) is None


@pytest.mark.asyncio
async def test_a_success_read_with_no_failure_makes_no_cache_call(gemini):
    reading = await llm.aread_breaker()
    # Another process records failures after this reading: this success
    # neither sees nor resets them (the documented cross-process limit).
    cache.set(llm.BREAKER_FAILURES, 2)
    gemini.script(Stream(["ok"]))
    _deltas, outcome = await run(breaker=reading)
    assert outcome.provider == "gemini"
    assert cache.get(llm.BREAKER_FAILURES) == 2


@pytest.mark.asyncio
async def test_without_a_key_the_coach_answers_without_any_request(gemini, settings):
    settings.GEMINI_API_KEY = ""
    deltas, outcome = await run()
    assert deltas == COACH
    assert outcome.provider == "builtin"
    assert outcome.fallback_reason == "no_key"
    assert gemini.requests == []
