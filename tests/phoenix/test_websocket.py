import pytest
from channels.testing import WebsocketCommunicator

from phoenix.asgi import application

# Channels closes stale DB connections around every consumer message, so even
# a consumer that never queries needs database access allowed.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.asyncio
async def test_a_websocket_connects_through_the_asgi_router():
    communicator = WebsocketCommunicator(
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
    communicator = WebsocketCommunicator(
        application, "/ws/ping/", headers=[(b"origin", b"https://evil.example")]
    )
    connected, _ = await communicator.connect()
    assert not connected
