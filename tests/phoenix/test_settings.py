import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from phoenix.env import Env

ROOT = Path(__file__).resolve().parents[2]


def test_bool_accepts_the_usual_spellings():
    env = Env({"A": "true", "B": "0", "C": "Yes", "D": "off"})
    assert env.bool("A") is True
    assert env.bool("B") is False
    assert env.bool("C") is True
    assert env.bool("D") is False
    assert env.bool("MISSING", default=True) is True


def test_bool_refuses_anything_else_naming_the_variable():
    with pytest.raises(ImproperlyConfigured, match="^DEBUG: expected true or false"):
        Env({"DEBUG": "maybe"}).bool("DEBUG")


def test_int_enforces_type_and_bounds():
    env = Env({"N": "12", "BAD": "twelve", "LOW": "-1"})
    assert env.int("N", 1) == 12
    assert env.int("MISSING", 7) == 7
    with pytest.raises(ImproperlyConfigured, match="^BAD: expected an integer"):
        env.int("BAD", 1)
    with pytest.raises(ImproperlyConfigured, match="^LOW: must be at least 0"):
        env.int("LOW", 1, min_value=0)


def test_list_and_origins():
    env = Env(
        {
            "HOSTS": " a.example , b.example,, ",
            "ORIGINS": "https://cv.phoenix.ai,http://localhost:5173/",
            "BAD": "cv.phoenix.ai",
            "PATHY": "https://cv.phoenix.ai/app",
        }
    )
    assert env.list("HOSTS") == ["a.example", "b.example"]
    assert env.origins("ORIGINS") == ["https://cv.phoenix.ai", "http://localhost:5173"]
    with pytest.raises(ImproperlyConfigured, match="^BAD: 'cv.phoenix.ai' is not"):
        env.origins("BAD")
    with pytest.raises(ImproperlyConfigured, match="^PATHY: .* must not carry a path"):
        env.origins("PATHY")


def test_url_checks_scheme_host_and_port():
    env = Env(
        {
            "DB": "postgres://u@db.internal:5432/phoenix",
            "WRONG": "mysql://u@db/phoenix",
            "NOHOST": "redis://",
            "PORT": "redis://localhost:notaport/0",
        }
    )
    assert env.url("DB", ("postgres",)) == "postgres://u@db.internal:5432/phoenix"
    assert env.url("MISSING", ("postgres",)) is None
    with pytest.raises(ImproperlyConfigured, match="^WRONG: expected a URL starting"):
        env.url("WRONG", ("postgres", "sqlite"))
    with pytest.raises(ImproperlyConfigured, match="^NOHOST: the URL has no host"):
        env.url("NOHOST", ("redis",))
    with pytest.raises(ImproperlyConfigured, match="^PORT: the URL has a malformed"):
        env.url("PORT", ("redis",))


def start_django(**variables: str) -> subprocess.CompletedProcess:
    """Start a fresh interpreter that loads the settings with these variables."""
    environ = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "SECRET_KEY", "DEBUG"}
    }
    environ.update(variables)
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env={**environ, "DJANGO_SETTINGS_MODULE": "phoenix.settings"},
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    ("variables", "named"),
    [
        ({"DEBUG": "false"}, "SECRET_KEY: required when DEBUG is off"),
        ({"DEBUG": "sometimes"}, "DEBUG: expected true or false"),
        ({"DEBUG": "true", "DATABASE_URL": "mysql://x@y/z"}, "DATABASE_URL:"),
        ({"DEBUG": "true", "REDIS_URL": "http://localhost"}, "REDIS_URL:"),
        ({"DEBUG": "true", "STRIPE_SECRET_KEY": "hello"}, "STRIPE_SECRET_KEY:"),
        (
            {"DEBUG": "false", "SECRET_KEY": "x" * 50},
            "ALLOWED_HOSTS: required when DEBUG is off",
        ),
    ],
)
def test_a_malformed_value_stops_start_up_naming_the_variable(variables, named):
    result = start_django(**variables)
    assert result.returncode != 0
    assert named in result.stderr


def test_nothing_set_but_debug_starts_on_the_embedded_defaults(tmp_path):
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings as s; "
            "print(s.DATABASES['default']['ENGINE']); "
            "print(s.CACHES['default']['BACKEND']); "
            "print(s.CHANNEL_LAYERS['default']['BACKEND'])",
        ],
        cwd=ROOT,
        env={
            "PATH": os.environ["PATH"],
            "DEBUG": "true",
            "PHOENIX_VAR_DIR": str(tmp_path),
            "DJANGO_SETTINGS_MODULE": "phoenix.settings",
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.db.backends.sqlite3",
        "django.core.cache.backends.locmem.LocMemCache",
        "channels.layers.InMemoryChannelLayer",
    ]
    # The development key is generated once, into the ignored var/ folder.
    assert (tmp_path / "dev-secret-key").exists()


def test_redis_url_switches_cache_and_channel_layer(tmp_path):
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings as s; "
            "print(s.CACHES['default']['BACKEND']); "
            "print(s.CHANNEL_LAYERS['default']['BACKEND'])",
        ],
        cwd=ROOT,
        env={
            "PATH": os.environ["PATH"],
            "DEBUG": "true",
            "REDIS_URL": "redis://127.0.0.1:6379/9",
            "PHOENIX_VAR_DIR": str(tmp_path),
            "DJANGO_SETTINGS_MODULE": "phoenix.settings",
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django_redis.cache.RedisCache",
        "channels_redis.core.RedisChannelLayer",
    ]
