from django.urls import path

from luna.consumers import LunaChatConsumer

websocket_urlpatterns = [
    path("ws/luna/chat/", LunaChatConsumer.as_asgi()),
]
