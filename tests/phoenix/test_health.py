import pytest
from django.test import override_settings

from phoenix.version import COMMIT, VERSION

DEAD_REDIS = "redis://127.0.0.1:1/0"


def test_health_reports_version_and_commit_without_io(client):
    # No django_db mark: any database access here would raise.
    response = client.get("/health")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "healthy"
    assert body["version"] == VERSION
    assert body["commit"] == COMMIT
    assert "refresh-token-rotation" in body["features"]  # the old field


@pytest.mark.django_db
def test_ready_checks_every_component(client):
    response = client.get("/ready")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["status"] == "ready"
    assert set(body["components"]) == {"database", "cache", "channel_layer"}
    assert all(c["status"] == "ok" for c in body["components"].values())


@pytest.mark.django_db
def test_ready_is_503_naming_an_unreachable_cache(client):
    dead_cache = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": DEAD_REDIS,
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 0.5, "SOCKET_TIMEOUT": 0.5},
        }
    }
    with override_settings(CACHES=dead_cache):
        response = client.get("/ready")
    assert response.status_code == 503
    body = response.json()
    assert body["failing"] == ["cache"]
    assert body["components"]["cache"]["status"] == "error"
    assert body["components"]["database"]["status"] == "ok"


@pytest.mark.django_db
def test_ready_is_503_naming_an_unreachable_channel_layer(client):
    from channels.layers import channel_layers

    dead_layer = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [DEAD_REDIS]},
        }
    }
    with override_settings(CHANNEL_LAYERS=dead_layer):
        channel_layers.backends.clear()
        try:
            response = client.get("/ready")
        finally:
            channel_layers.backends.clear()
    assert response.status_code == 503
    assert response.json()["failing"] == ["channel_layer"]
