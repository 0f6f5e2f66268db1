"""Typed readers for environment variables that fail loudly.

Each reader names the variable in its error, so a malformed value stops start-up
with a message an operator can act on.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

TRUE = {"1", "true", "yes", "on"}
FALSE = {"0", "false", "no", "off", ""}


class Env:
    """Read settings from a mapping (``os.environ`` unless told otherwise)."""

    def __init__(self, environ: Mapping[str, str] | None = None):
        self.environ = os.environ if environ is None else environ

    def raw(self, name: str) -> str | None:
        value = self.environ.get(name)
        if value is None:
            return None
        return value.strip()

    def fail(self, name: str, problem: str) -> ImproperlyConfigured:
        return ImproperlyConfigured(f"{name}: {problem}")

    def str(self, name: str, default: str = "") -> str:
        value = self.raw(name)
        return default if value is None or value == "" else value

    def bool(self, name: str, default: bool = False) -> bool:
        value = self.raw(name)
        if value is None:
            return default
        if value.lower() in TRUE:
            return True
        if value.lower() in FALSE:
            return False
        raise self.fail(name, f"expected true or false, got {value!r}")

    def int(
        self,
        name: str,
        default: int,
        *,
        min_value: int | None = None,
        max_value: int | None = None,
    ) -> int:
        value = self.raw(name)
        if value is None or value == "":
            return default
        try:
            number = int(value)
        except ValueError:
            raise self.fail(name, f"expected an integer, got {value!r}") from None
        if min_value is not None and number < min_value:
            raise self.fail(name, f"must be at least {min_value}, got {number}")
        if max_value is not None and number > max_value:
            raise self.fail(name, f"must be at most {max_value}, got {number}")
        return number

    def float(
        self, name: str, default: float, *, min_value: float, max_value: float
    ) -> float:
        value = self.raw(name)
        if value is None or value == "":
            return default
        try:
            number = float(value)
        except ValueError:
            raise self.fail(name, f"expected a number, got {value!r}") from None
        if not min_value <= number <= max_value:
            raise self.fail(name, f"must be between {min_value} and {max_value}")
        return number

    def list(self, name: str, default: list[str] | None = None) -> list[str]:
        value = self.raw(name)
        if value is None or value == "":
            return list(default or [])
        return [item.strip() for item in value.split(",") if item.strip()]

    def origins(self, name: str, default: list[str] | None = None) -> list[str]:
        """A comma-separated list of ``scheme://host[:port]`` origins."""
        origins = self.list(name, default)
        for origin in origins:
            parts = urlsplit(origin)
            if parts.scheme not in ("http", "https") or not parts.netloc:
                raise self.fail(
                    name, f"{origin!r} is not an origin like https://cv.phoenix.ai"
                )
            if parts.path not in ("", "/") or parts.query or parts.fragment:
                raise self.fail(name, f"{origin!r} must not carry a path or query")
        return [origin.rstrip("/") for origin in origins]

    def url(self, name: str, schemes: tuple[str, ...]) -> str | None:
        value = self.raw(name)
        if not value:
            return None
        parts = urlsplit(value)
        if parts.scheme not in schemes:
            expected = ", ".join(f"{s}://" for s in schemes)
            raise self.fail(name, f"expected a URL starting with {expected}")
        if not parts.hostname and parts.scheme not in ("sqlite",):
            raise self.fail(name, "the URL has no host")
        try:
            parts.port  # noqa: B018 - raises ValueError on a malformed port
        except ValueError:
            raise self.fail(name, "the URL has a malformed port") from None
        return value

    def choice(self, name: str, default: str, choices: tuple[str, ...]) -> str:
        value = self.str(name, default).lower()
        if value not in choices:
            raise self.fail(name, f"expected one of {', '.join(choices)}")
        return value
