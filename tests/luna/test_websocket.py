"""The chat websocket through phoenix.asgi (origin check, cookie or token
auth, the channel layer: in memory on SQLite, channels-redis with REDIS_URL)."""

import asyncio

import pytest
from asgiref.sync import sync_to_async

from accounts import services as accounts
from luna.models import Message
from phoenix.asgi import application
from tests.luna.fake_gemini import BreakAfter, Stream
from tests.luna.helpers import balance, consumes, refunds, set_balance
from tests.websocket import WAIT, Communicator

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]

ORIGIN = (b"origin", b"http://localhost")
PAID = "Optimise mon CV pour ce poste"


def token_for(user) -> str:
    return accounts.open_session(user, accounts.Client(ip="127.0.0.1")).tokens.access


async def connect(user=None, *, app=application, token=None):
    headers = [ORIGIN]
    if user is not None:
        access = await sync_to_async(token_for)(user)
        headers.append((b"cookie", f"phoenix_access={access}".encode()))
    socket = Communicator(app, "/ws/luna/chat/", headers=headers)
    connected, _ = await socket.connect()
    assert connected
    if user is not None:
        assert (await socket.receive_json_from())["type"] == "ready"
    return socket


async def until(socket, kind: str, timeout: float = WAIT) -> tuple[dict, list[dict]]:
    """Frames up to and including the first of type ``kind``."""
    seen = []
    while True:
        frame = await socket.receive_json_from(timeout=timeout)
        seen.append(frame)
        if frame["type"] == kind:
            return frame, seen


async def test_a_message_streams_ack_deltas_and_done_and_is_charged_once(user, gemini):
    gemini.script(Stream(["Un ", "deux ", "trois."]))
    socket = await connect(user)
    await socket.send_json_to({"type": "message", "text": PAID, "client_id": "c1"})
    done, frames = await until(socket, "done")
    ack = frames[0]
    assert ack["type"] == "ack"
    assert (ack["cost"], ack["balance"], ack["client_id"]) == (12, 88, "c1")
    text = "".join(f["text"] for f in frames if f["type"] == "delta")
    assert text == "Un deux trois."
    assert done["message_id"] == ack["message_id"]
    assert done["provider"] == "gemini"
    assert done["status"] == "complete"
    assert done["usage"] == {"tokens_in": 42, "tokens_out": 3}
    assert done["balance"] == 88
    await socket.disconnect()
    entries = await sync_to_async(list)(consumes(user))
    assert [e.idempotency_key for e in entries] == [f"luna:message:{ack['message_id']}"]
    assert await sync_to_async(balance)(user) == 88


async def test_the_first_message_token_authenticates(user, no_gemini):
    socket = await connect()
    access = await sync_to_async(token_for)(user)
    await socket.send_json_to({"type": "auth", "token": access})
    assert (await socket.receive_json_from())["type"] == "ready"
    await socket.send_json_to({"type": "message", "text": "Salut Luna !"})
    done, _ = await until(socket, "done")
    assert done["provider"] == "builtin"
    await socket.disconnect()


@pytest.mark.parametrize(
    "first",
    [
        {"type": "message", "text": "Salut"},
        {"type": "auth", "token": "garbage"},
        {"type": "auth"},
    ],
)
async def test_an_unauthenticated_socket_gets_an_error_and_is_closed(first, db):
    socket = await connect()
    await socket.send_json_to(first)
    frame = await socket.receive_json_from()
    assert frame["type"] == "error"
    assert frame["code"] == "not_authenticated"
    closed = await socket.receive_output()
    assert closed == {"type": "websocket.close", "code": 4401}


async def test_not_enough_energy_is_an_error_frame_with_packs(user, gemini):
    await sync_to_async(set_balance)(user, 2)
    socket = await connect(user)
    await socket.send_json_to({"type": "message", "text": PAID})
    frame = await socket.receive_json_from()
    assert frame["type"] == "error"
    assert frame["code"] == "insufficient_energy"
    assert frame["deficit"] == 10
    assert frame["packs"]
    assert gemini.requests == []
    await socket.disconnect()


async def test_bad_input_is_an_error_frame(user, gemini):
    socket = await connect(user)
    for payload in (
        {"type": "message", "text": ""},
        {"type": "message", "text": "x" * 4001},
        {"type": "message"},
    ):
        await socket.send_json_to(payload)
        frame = await socket.receive_json_from()
        assert (frame["type"], frame["code"]) == ("error", "invalid")
    await socket.send_to(text_data="not json")
    assert (await socket.receive_json_from())["code"] == "malformed"
    await socket.disconnect()
    assert gemini.requests == []


async def test_cancel_stops_the_reply_and_keeps_the_partial_text(user, gemini):
    # The model sends two words, then holds until released: only the cancel
    # can end this turn.
    gemini.script(Stream([f"mot{i} " for i in range(50)], hold_after=2))
    socket = await connect(user)
    await socket.send_json_to({"type": "message", "text": PAID})
    await until(socket, "delta")
    await socket.send_json_to({"type": "cancel"})
    done, _ = await until(socket, "done")
    assert done["status"] == "cancelled"
    reply = await sync_to_async(Message.objects.get)(pk=done["message_id"])
    assert reply.status == "cancelled"
    assert reply.content.startswith("mot0 ")
    assert len(reply.content.split()) < 50
    assert await sync_to_async(balance)(user) == 88  # text was delivered: charged
    await socket.disconnect()


async def test_an_error_mid_stream_is_refunded(user, gemini):
    gemini.script(BreakAfter(["Début "]))
    socket = await connect(user)
    await socket.send_json_to({"type": "message", "text": PAID})
    error, frames = await until(socket, "error")
    assert error["code"] == "provider_failed"
    assert error["status"] == "partial"
    assert error["balance"] == 100
    assert [f["text"] for f in frames if f["type"] == "delta"] == ["Début "]
    assert await sync_to_async(refunds(user).count)() == 1
    await socket.disconnect()


async def test_one_turn_at_a_time_and_a_rate_limit(user, gemini, settings):
    settings.LUNA_WS_MESSAGES_PER_MINUTE = 2
    gemini.script(Stream(["a ", "b ", "c "], delay=0.2))
    socket = await connect(user)
    await socket.send_json_to({"type": "message", "text": "Salut"})
    await socket.send_json_to({"type": "message", "text": "Encore"})
    busy, _ = await until(socket, "error")
    assert busy["code"] == "busy"
    await until(socket, "done")
    await socket.send_json_to({"type": "message", "text": "Salut"})
    await until(socket, "done")
    await socket.send_json_to({"type": "message", "text": "Salut"})
    limited, _ = await until(socket, "error")
    assert limited["code"] == "rate_limited"
    assert limited["retry_after"] > 0
    await socket.disconnect()


async def test_other_sockets_of_the_user_hear_the_new_balance(user, gemini):
    first = await connect(user)
    second = await connect(user)
    await first.send_json_to({"type": "message", "text": PAID})
    await until(first, "done")
    frame = await second.receive_json_from()
    assert frame == {"type": "balance", "balance": 88}
    await first.disconnect()
    await second.disconnect()


class BlockedReader:
    """An ASGI wrapper whose client reads nothing until ``release``."""

    def __init__(self, app):
        self.app = app
        self.released = asyncio.Event()
        self.frames_in_flight = 0

    def release(self):
        self.released.set()

    async def __call__(self, scope, receive, send):
        async def slow_send(message):
            if message["type"] == "websocket.send":
                self.frames_in_flight += 1
                await self.released.wait()
            await send(message)

        return await self.app(scope, receive, slow_send)


async def test_a_slow_reader_gets_merged_deltas_not_a_growing_queue(user, gemini):
    gemini.script(Stream([f"m{i} " for i in range(300)]))
    app = BlockedReader(application)
    socket = await connect(app=app)
    access = await sync_to_async(token_for)(user)
    await socket.send_json_to({"type": "auth", "token": access})
    await socket.send_json_to({"type": "message", "text": PAID})
    reply = None
    for _ in range(WAIT * 20):  # until the turn completes, however long
        await asyncio.sleep(0.05)
        reply = await sync_to_async(
            Message.objects.filter(role="luna", status="complete").first
        )()
        if reply:
            break
    assert reply is not None and len(reply.content.split()) == 300
    assert app.frames_in_flight == 1  # the writer waits on one frame; others merged
    app.release()
    _done, frames = await until(socket, "done")
    deltas = [f for f in frames if f["type"] == "delta"]
    assert len(deltas) <= 2
    assert "".join(f["text"] for f in deltas) == reply.content
    await socket.disconnect()


async def test_a_reader_that_never_reads_is_disconnected(user, gemini, settings):
    settings.LUNA_WS_OUTGOING_FRAMES = 2
    app = BlockedReader(application)
    socket = await connect(app=app)
    access = await sync_to_async(token_for)(user)
    await socket.send_json_to({"type": "auth", "token": access})
    for _ in range(3):
        await socket.send_json_to({"type": "message", "text": "Salut"})
        await asyncio.sleep(0.3)
    closed = await socket.receive_output()
    assert closed == {"type": "websocket.close", "code": 4008}
