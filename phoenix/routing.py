"""Websocket routes. Apps contribute theirs here as they are built."""

from django.urls import path

from luna.routing import websocket_urlpatterns as luna_urlpatterns
from phoenix.consumers import PingConsumer

websocket_urlpatterns = [
    path("ws/ping/", PingConsumer.as_asgi()),
    *luna_urlpatterns,
]
