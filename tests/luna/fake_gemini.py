"""A local server speaking Gemini's streaming protocol, for the real SDK.

google-genai (3.x) sends ``POST /v1/models/<model>:streamGenerateContent?alt=sse``
(2.x used ``v1beta``; both are served). The answer is server-sent events, one
``data: {...}`` line per chunk, ``usageMetadata`` on the last one.

Scripting: ``server.script(step, step, ...)`` queues behaviours consumed one
per request; with the queue empty, ``server.default`` answers. A step is:

* ``Stream(chunks, delay=0.0, hold_after=None)``: stream the chunks, then
  usage; with ``hold_after=n``, stop after the first ``n`` chunks until the
  test calls ``server.release()``;
* ``Fail(status, retry_after=None)``: answer an error status before any chunk;
* ``BreakAfter(chunks)``: stream the chunks, then drop the connection;
* ``Hang()``: accept the request and send nothing until ``server.release()``
  (or ``reset()``), so a client timeout fires whatever the machine's speed.

The server decides when it hangs and when it goes on; tests never race a
short client timeout against a cold start. Every request is recorded in
``server.requests`` (path, query, JSON body, and ``at``: the server's
monotonic clock when it arrived).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
import threading
import time
from collections import deque
from dataclasses import dataclass, field

from aiohttp import web


@dataclass
class Stream:
    chunks: list[str] = field(default_factory=lambda: ["Bonjour ", "Alice !"])
    delay: float = 0.0
    hold_after: int | None = None  # chunks sent before waiting for release()


@dataclass
class Fail:
    status: int = 500
    retry_after: float | None = None


@dataclass
class BreakAfter:
    chunks: list[str] = field(default_factory=lambda: ["Début "])


@dataclass
class Hang:
    """Send nothing until released (``seconds`` caps the wait, for benches)."""

    seconds: float = 600.0


def _chunk(text: str, *, last: bool, tokens_out: int) -> bytes:
    body: dict = {
        "candidates": [
            {"content": {"parts": [{"text": text}], "role": "model"}, "index": 0}
        ],
        "modelVersion": "fake-gemini",
    }
    if last:
        body["candidates"][0]["finishReason"] = "STOP"
        body["usageMetadata"] = {
            "promptTokenCount": 42,
            "candidatesTokenCount": tokens_out,
            "totalTokenCount": 42 + tokens_out,
        }
    return f"data: {json.dumps(body)}\r\n\r\n".encode()


class FakeGemini:
    def __init__(self) -> None:
        self.default = Stream()
        self.steps: deque = deque()
        self.requests: list[dict] = []
        self.port = 0
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._runner: web.AppRunner | None = None
        self._started = threading.Event()
        self._gate: asyncio.Event | None = None  # created on the server's loop

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def script(self, *steps) -> None:
        self.steps.extend(steps)

    def reset(self) -> None:
        self.release()
        self.steps.clear()
        self.requests.clear()
        self.default = Stream()

    def release(self) -> None:
        """Let every held or hanging response go on (from any thread)."""
        if self._loop is not None:
            self._loop.call_soon_threadsafe(self._open_gate)

    def _open_gate(self) -> None:
        if self._gate is not None:
            self._gate.set()
        self._gate = None

    async def _hold(self, seconds: float = 600.0) -> None:
        if self._gate is None:
            self._gate = asyncio.Event()
        gate = self._gate
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(gate.wait(), seconds)

    async def handle(self, request: web.Request) -> web.StreamResponse:
        try:
            body = await request.json()
        except ValueError:
            body = None
        self.requests.append(
            {
                "path": request.path,
                "query": dict(request.query),
                "body": body,
                "at": time.monotonic(),
            }
        )
        step = self.steps.popleft() if self.steps else self.default
        if isinstance(step, Fail):
            headers = {}
            if step.retry_after is not None:
                headers["Retry-After"] = str(step.retry_after)
            return web.json_response(
                {"error": {"code": step.status, "message": "scripted", "status": "X"}},
                status=step.status,
                headers=headers,
            )
        if isinstance(step, Hang):
            await self._hold(step.seconds)
            return web.json_response({}, status=504)
        response = web.StreamResponse(
            status=200, headers={"Content-Type": "text/event-stream"}
        )
        await response.prepare(request)
        chunks = step.chunks
        for index, text in enumerate(chunks):
            last = isinstance(step, Stream) and index == len(chunks) - 1
            await response.write(_chunk(text, last=last, tokens_out=len(chunks)))
            if isinstance(step, Stream) and step.hold_after == index + 1:
                await self._hold()
            if isinstance(step, Stream) and step.delay:
                await asyncio.sleep(step.delay)
        if isinstance(step, BreakAfter):
            await asyncio.sleep(0.05)
            request.transport.abort()  # drop the connection mid-stream
            return response
        await response.write_eof()
        return response

    def _app(self) -> web.Application:
        app = web.Application()
        app.router.add_post("/{version}/models/{model}", self.handle)
        return app

    async def _serve(self, sock: socket.socket) -> None:
        self._runner = web.AppRunner(self._app(), access_log=None)
        await self._runner.setup()
        site = web.SockSite(self._runner, sock)
        await site.start()
        self._started.set()

    def start(self, port: int = 0) -> FakeGemini:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", port))
        self.port = sock.getsockname()[1]
        self._loop = asyncio.new_event_loop()

        def run() -> None:
            asyncio.set_event_loop(self._loop)
            self._loop.run_until_complete(self._serve(sock))
            self._loop.run_forever()

        self._thread = threading.Thread(target=run, daemon=True, name="fake-gemini")
        self._thread.start()
        if not self._started.wait(60):
            raise RuntimeError("the fake Gemini server did not start")
        return self

    def stop(self) -> None:
        if self._loop is None:
            return

        async def shutdown() -> None:
            if self._runner is not None:
                await self._runner.cleanup()

        asyncio.run_coroutine_threadsafe(shutdown(), self._loop).result(60)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(60)


def main() -> None:  # pragma: no cover - used by bench/luna_ws.py
    import argparse

    parser = argparse.ArgumentParser(description="Serve a fake Gemini API.")
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    server = FakeGemini().start(args.port)
    print(server.base_url, flush=True)
    threading.Event().wait()


if __name__ == "__main__":
    main()
