import asyncio

import pytest
from channels_redis.core import RedisChannelLayer
from django.conf import settings

from phoenix.asgi import application
from tests.websocket import Communicator

# Channels closes stale DB connections around every consumer message, so even
# a consumer that never queries needs database access allowed.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.asyncio
async def test_a_websocket_connects_through_the_asgi_router():
    communicator = Communicator(
        application, "/ws/ping/", headers=[(b"origin", b"http://localhost")]
    )
    connected, _ = await communicator.connect()
    assert connected
    await communicator.send_json_to({"type": "ping"})
    assert await communicator.receive_json_from() == {"type": "pong"}
    await communicator.send_to(text_data="not json")
    assert (await communicator.receive_json_from())["type"] == "error"
    await communicator.disconnect()


@pytest.mark.asyncio
async def test_a_foreign_origin_is_refused():
    communicator = Communicator(
        application, "/ws/ping/", headers=[(b"origin", b"https://evil.example")]
    )
    connected, _ = await communicator.connect()
    assert not connected


@pytest.mark.asyncio
@pytest.mark.skipif(
    "RedisChannelLayer" not in settings.CHANNEL_LAYERS["default"]["BACKEND"],
    reason="the Redis channel layer only (run with REDIS_URL set)",
)
async def test_a_socket_idle_longer_than_the_layers_blocking_pop_stays_open():
    # channels_redis waits for a consumer's messages with a 5 s BZPOPMIN; with
    # redis-py 8's default 5 s read timeout every idle consumer crashed there.
    communicator = Communicator(
        application, "/ws/ping/", headers=[(b"origin", b"http://localhost")]
    )
    connected, _ = await communicator.connect()
    assert connected
    await asyncio.sleep(RedisChannelLayer.brpop_timeout + 2)
    assert await communicator.receive_nothing(timeout=0.1)
    await communicator.send_json_to({"type": "ping"})
    assert await communicator.receive_json_from() == {"type": "pong"}
    await communicator.disconnect()
