"""A websocket test client whose waits suit a busy machine.

Channels' ``WebsocketCommunicator`` gives up after one second by default
(connecting, receiving, waiting for the consumer to stop): on a loaded CI
machine a cold first query takes longer. Here every wait defaults to
``WAIT`` seconds; a frame that never comes still fails the test, later.
Waiting for *nothing* (``receive_nothing``) keeps its short default: a slow
machine can only make that check pass more easily, never fail it.
"""

from channels.testing import WebsocketCommunicator

WAIT = 60


class Communicator(WebsocketCommunicator):
    async def connect(self, timeout=WAIT):
        return await super().connect(timeout)

    async def receive_output(self, timeout=WAIT):
        return await super().receive_output(timeout)

    async def receive_from(self, timeout=WAIT):
        return await super().receive_from(timeout)

    async def receive_json_from(self, timeout=WAIT):
        return await super().receive_json_from(timeout)

    async def disconnect(self, code=1000, timeout=WAIT):
        return await super().disconnect(code, timeout)
