"""The chat websocket, ``/ws/luna/chat/``.

Client → server::

    {"type": "auth", "token": "<access token>"}        (unless the cookie did it)
    {"type": "message", "text": "…", "conversation_id"?, "app_context"?, "client_id"?}
    {"type": "cancel"}

Server → client: ``ack {message_id, cost, balance}``, ``celebration {…}``,
``delta {text}``…, then ``done {message_id, provider, usage, balance, status}``
or ``error {code, message, …}`` (``packs`` when energy is short). Other sockets
of the same user get ``balance {balance}`` through the channel layer.

One turn at a time per connection, a per-connection rate limit, and a bounded
outbox: consecutive deltas merge while the client is slow, and a client whose
outbox stays full is disconnected (4008), so a reader that stops reading
cannot grow the server's memory.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from collections import deque
from typing import Any

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import override

from accounts.websocket import authenticate_access_token
from energy.services import EnergyError
from luna import llm, services
from luna.services.errors import LunaError

logger = logging.getLogger("luna.consumers")

CLOSE_UNAUTHENTICATED = 4401
CLOSE_SLOW_READER = 4008
CLIENT_ID_MAX = 64
FRAME_MAX_BYTES = 64 * 1024


class SlowReader(Exception):
    pass


class Outbox:
    """A bounded queue of frames; consecutive deltas merge into one."""

    def __init__(self, limit: int):
        self.limit = limit
        self.frames: deque[dict] = deque()
        self.ready = asyncio.Event()

    def put(self, frame: dict) -> None:
        last = self.frames[-1] if self.frames else None
        if frame["type"] == "delta" and last is not None and last["type"] == "delta":
            last["text"] += frame["text"]
            return
        if len(self.frames) >= self.limit:
            raise SlowReader
        self.frames.append(frame)
        self.ready.set()

    async def get(self) -> dict:
        while not self.frames:
            self.ready.clear()
            await self.ready.wait()
        return self.frames.popleft()


class LunaChatConsumer(AsyncWebsocketConsumer):
    user = None
    group = None
    slow = False
    busy = False

    async def connect(self):
        self.outbox = Outbox(settings.LUNA_WS_OUTGOING_FRAMES)
        self.turn_task: asyncio.Task | None = None
        self.streaming = False
        self.cancel_requested = False
        self.sent_at: deque[float] = deque()
        await self.accept()
        self.writer = asyncio.create_task(self._write())
        user = self.scope.get("user")
        if user is not None and user.is_authenticated:
            await self._signed_in(user)
        else:
            self.auth_deadline = asyncio.get_running_loop().call_later(
                settings.LUNA_WS_AUTH_SECONDS,
                self._refuse_later,
            )

    async def disconnect(self, code):
        if self.turn_task is not None and not self.turn_task.done():
            self._cancel()
            with contextlib.suppress(TimeoutError, asyncio.CancelledError):
                await asyncio.wait_for(asyncio.shield(self.turn_task), 5)
        if getattr(self, "writer", None) is not None:
            self.writer.cancel()
        if self.group:
            await self.channel_layer.group_discard(self.group, self.channel_name)

    # --- Incoming ---------------------------------------------------------------

    async def receive(self, text_data=None, bytes_data=None):
        if text_data is None or len(text_data) > FRAME_MAX_BYTES:
            return self._error("malformed", _("Send JSON text frames."))
        try:
            data = json.loads(text_data)
        except ValueError:
            return self._error("malformed", _("Send JSON text frames."))
        if not isinstance(data, dict):
            return self._error("malformed", _("Send JSON text frames."))
        kind = data.get("type")
        if kind == "auth" and self.user is None:
            return await self._authenticate(data.get("token"))
        if self.user is None:
            return await self._refuse()
        if kind == "cancel":
            return self._cancel()
        if kind == "message":
            return self._start(data)
        return self._error("malformed", _("Unknown message type."))

    async def _authenticate(self, token: Any) -> None:
        user, _principal = await authenticate_access_token(token)
        if not user.is_authenticated:
            return await self._refuse()
        await self._signed_in(user)

    async def _signed_in(self, user) -> None:
        deadline = getattr(self, "auth_deadline", None)
        if deadline is not None:
            deadline.cancel()
        self.user = user
        self.group = f"luna.user.{user.pk.hex}"
        await self.channel_layer.group_add(self.group, self.channel_name)
        self._send({"type": "ready"})

    def _refuse_later(self) -> None:
        self.closing = asyncio.ensure_future(self._refuse())

    async def _refuse(self) -> None:
        if self.user is not None:
            return
        self._error("not_authenticated", _("Authentication is required."))
        await asyncio.sleep(0)  # let the writer flush the frame
        await self._flush()
        await self.close(code=CLOSE_UNAUTHENTICATED)

    def _cancel(self) -> None:
        if self.turn_task is None or self.turn_task.done():
            return
        self.cancel_requested = True
        if self.streaming:
            self.turn_task.cancel()

    def _limited(self) -> int:
        """Seconds to wait before the next message (0: allowed now)."""
        now = time.monotonic()
        while self.sent_at and now - self.sent_at[0] >= 60:
            self.sent_at.popleft()
        if len(self.sent_at) >= settings.LUNA_WS_MESSAGES_PER_MINUTE:
            return max(1, int(60 - (now - self.sent_at[0])) + 1)
        self.sent_at.append(now)
        return 0

    def _start(self, data: dict) -> None:
        client_id = data.get("client_id")
        if not isinstance(client_id, str) or len(client_id) > CLIENT_ID_MAX:
            client_id = None
        if self.busy:
            return self._error(
                "busy", _("Luna is still answering; wait or cancel."), client_id
            )
        wait = self._limited()
        if wait:
            return self._error(
                "rate_limited",
                _("Too many messages; try again in %(s)s seconds.") % {"s": wait},
                client_id,
                retry_after=wait,
            )
        self.cancel_requested = False
        self.busy = True
        self.turn_task = asyncio.create_task(self._turn(data, client_id))

    # --- A turn -------------------------------------------------------------------

    async def _turn(self, data: dict, client_id: str | None) -> None:
        language = getattr(self.user, "language", "") or "fr"
        try:
            with override(language):
                await self._run_turn(data, client_id)
        finally:
            self.busy = False

    async def _run_turn(self, data: dict, client_id: str | None) -> None:
        conversation_id = data.get("conversation_id")
        if conversation_id is not None and not isinstance(conversation_id, str):
            conversation_id = "invalid"
        app_context = data.get("app_context")
        try:
            turn = await database_sync_to_async(services.start_turn)(
                user=self.user,
                text=data.get("text"),
                conversation_id=conversation_id,
                app_context=app_context if isinstance(app_context, str) else None,
            )
        except (LunaError, EnergyError) as error:
            extra = {k: v for k, v in error.extra.items() if k != "fields"}
            if error.fields:
                extra["fields"] = error.fields
            return self._error(error.error_code, str(error), client_id, **extra)
        ids = {"message_id": str(turn.reply.pk), "client_id": client_id}
        self._send(
            {
                "type": "ack",
                **ids,
                "conversation_id": str(turn.conversation.pk),
                "action": turn.action,
                "cost": turn.cost,
                "balance": turn.balance,
                "loops": turn.loops,
                **({"goal_proposal": turn.goal_proposal} if turn.goal_proposal else {}),
            }
        )
        if turn.celebration:
            self._send({"type": "celebration", **turn.celebration})
        parts: list[str] = []
        outcome = None
        cancelled = self.cancel_requested
        if not cancelled:
            self.streaming = True
            try:
                async for item in services.stream(turn):
                    if isinstance(item, llm.Outcome):
                        outcome = item
                    else:
                        parts.append(item)
                        self._send({"type": "delta", "text": item})
            except asyncio.CancelledError:
                cancelled = True
            except Exception:
                logger.exception("luna turn failed while streaming")
            finally:
                self.streaming = False
        result = await database_sync_to_async(services.finish_turn)(
            turn, text="".join(parts), outcome=outcome, cancelled=cancelled
        )
        usage = {"tokens_in": result.tokens_in, "tokens_out": result.tokens_out}
        self.busy = False  # the next message may start once the last frame is out
        if result.status in ("partial", "error"):
            self._error(
                "provider_failed",
                _("Luna's answer was interrupted; the energy was refunded."),
                client_id,
                message_id=ids["message_id"],
                status=result.status,
                balance=result.balance,
            )
        else:
            self._send(
                {
                    "type": "done",
                    **ids,
                    "status": result.status,
                    "provider": result.provider,
                    "usage": usage,
                    "balance": result.balance,
                }
            )
        await self.channel_layer.group_send(
            self.group,
            {
                "type": "luna.balance",
                "balance": result.balance,
                "origin": self.channel_name,
            },
        )

    async def luna_balance(self, event: dict) -> None:
        if event.get("origin") != self.channel_name:
            self._send({"type": "balance", "balance": event["balance"]})

    # --- Outgoing -------------------------------------------------------------------

    def _send(self, frame: dict) -> None:
        if self.slow:
            return
        try:
            self.outbox.put(frame)
        except SlowReader:
            # The client stopped reading: stop the turn (its reply is kept)
            # and close rather than queue without bound.
            logger.warning("luna websocket: slow reader disconnected")
            self.slow = True
            self._cancel()
            self.closing = asyncio.ensure_future(self.close(code=CLOSE_SLOW_READER))

    def _error(self, code: str, message: str, client_id=None, **extra) -> None:
        frame = {"type": "error", "code": code, "message": message, **extra}
        if client_id:
            frame["client_id"] = client_id
        self._send(frame)

    async def _write(self) -> None:
        while True:
            frame = await self.outbox.get()
            await self.send(text_data=json.dumps(frame, ensure_ascii=False))

    async def _flush(self) -> None:
        for _attempt in range(100):
            if not self.outbox.frames:
                return
            await asyncio.sleep(0.01)
