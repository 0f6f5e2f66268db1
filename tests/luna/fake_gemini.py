"""A local server speaking Gemini's streaming protocol, for the real SDK.

google-genai (3.x) sends ``POST /v1/models/<model>:streamGenerateContent?alt=sse``
(2.x used ``v1beta``; both are served). The answer is server-sent events, one
``data: {...}`` line per chunk, ``usageMetadata`` on the last one.

Scripting: ``server.script(step, step, ...)`` queues behaviours consumed one
per request; with the queue empty, ``server.default`` answers. A step is:

* ``Stream(chunks, delay=0.0)``: stream the chunks, then usage;
* ``Fail(status, retry_after=None)``: answer an error status before any chunk;
* ``BreakAfter(chunks)``: stream the chunks, then drop the connection;
* ``Hang(seconds)``: accept the request and send nothing for that long.

Every request is recorded in ``server.requests`` (path, JSON body, headers).
"""

from __future__ import annotations

import asyncio
import json
import socket
import threading
from collections import deque
from dataclasses import dataclass, field

from aiohttp import web


@dataclass
class Stream:
    chunks: list[str] = field(default_factory=lambda: ["Bonjour ", "Alice !"])
    delay: float = 0.0


@dataclass
class Fail:
    status: int = 500
    retry_after: float | None = None


@dataclass
class BreakAfter:
    chunks: list[str] = field(default_factory=lambda: ["Début "])


@dataclass
class Hang:
    seconds: float = 60.0


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

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def script(self, *steps) -> None:
        self.steps.extend(steps)

    def reset(self) -> None:
        self.steps.clear()
        self.requests.clear()
        self.default = Stream()

    async def handle(self, request: web.Request) -> web.StreamResponse:
        try:
            body = await request.json()
        except ValueError:
            body = None
        self.requests.append(
            {"path": request.path, "query": dict(request.query), "body": body}
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
            await asyncio.sleep(step.seconds)
            return web.json_response({}, status=504)
        response = web.StreamResponse(
            status=200, headers={"Content-Type": "text/event-stream"}
        )
        await response.prepare(request)
        chunks = step.chunks
        for index, text in enumerate(chunks):
            last = isinstance(step, Stream) and index == len(chunks) - 1
            await response.write(_chunk(text, last=last, tokens_out=len(chunks)))
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
        self._started.wait(5)
        return self

    def stop(self) -> None:
        if self._loop is None:
            return

        async def shutdown() -> None:
            if self._runner is not None:
                await self._runner.cleanup()

        asyncio.run_coroutine_threadsafe(shutdown(), self._loop).result(5)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(5)


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
