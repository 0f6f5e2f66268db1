"""ASGI entry point: HTTP through Django, websockets through Channels.

Websocket connections are accepted only from this site's hosts and the Phoenix
front ends listed in CORS_ALLOWED_ORIGINS; the access cookie, if any, puts the
user into the connection's scope (``accounts.websocket``).
"""

import gc
import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "phoenix.settings")
django_asgi_app = get_asgi_application()

# Imported after Django is set up: consumers import models.
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import OriginValidator  # noqa: E402
from django.conf import settings  # noqa: E402
from django.urls import get_resolver  # noqa: E402

from accounts.websocket import CookieJWTAuthMiddleware  # noqa: E402
from luna import llm  # noqa: E402
from phoenix.routing import websocket_urlpatterns  # noqa: E402


def allowed_websocket_origins() -> list[str]:
    hosts = list(settings.ALLOWED_HOSTS)
    if settings.DEBUG and not hosts:
        hosts = [".localhost", "127.0.0.1", "[::1]"]
    return hosts + list(settings.CORS_ALLOWED_ORIGINS)


application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": OriginValidator(
            CookieJWTAuthMiddleware(URLRouter(websocket_urlpatterns)),
            allowed_websocket_origins(),
        ),
    }
)

# What the start-up loaded (Django, the apps, their URLs and views, the model
# SDK) lives as long as the process: collected once, then frozen, the garbage
# collector leaves it out of its passes. Without this, each full collection
# walked it all and stopped every socket of the process for 90-140 ms, several
# times a minute under load (docs/benchmarks.md).
get_resolver().url_patterns  # noqa: B018 - imports every view and serializer
llm.preload()
gc.collect()
gc.freeze()
