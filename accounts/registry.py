"""Hooks that apps above ``accounts`` register from their ``AppConfig.ready()``.

``accounts`` cannot import them (imports point down), so they come to it:

* ``on_user_created(fn)``: ``fn(user=user)`` runs inside the registration
  transaction (energy opens the wallet and its welcome grant there);
* ``register_gdpr(name, export=fn, erase=fn)``: ``export(user=user)`` returns
  the JSON-ready data the app holds about the user, ``erase(user=user)``
  removes or anonymises it, inside the erasure transaction;
* ``register_legacy_profile(fn)``: ``fn(user=user)`` returns fields of the
  predecessor's ``/auth/me`` that the app owns (energy, plan…).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class GDPRHandler:
    name: str
    export: Callable[[Any], Any] | None
    erase: Callable[[Any], None] | None


_user_created: list[Callable[[Any], None]] = []
_gdpr: dict[str, GDPRHandler] = {}
_legacy_profile: list[Callable[..., dict[str, Any]]] = []


def on_user_created(fn: Callable[[Any], None]) -> Callable[[Any], None]:
    if fn not in _user_created:
        _user_created.append(fn)
    return fn


def user_created_hooks() -> list[Callable[[Any], None]]:
    return list(_user_created)


def register_gdpr(
    name: str,
    *,
    export: Callable[[Any], Any] | None = None,
    erase: Callable[[Any], None] | None = None,
) -> None:
    _gdpr[name] = GDPRHandler(name=name, export=export, erase=erase)


def gdpr_handlers() -> list[GDPRHandler]:
    return [_gdpr[name] for name in sorted(_gdpr)]


def register_legacy_profile(fn: Callable[..., dict[str, Any]]) -> None:
    if fn not in _legacy_profile:
        _legacy_profile.append(fn)


def legacy_profile_fields(user) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    for provider in _legacy_profile:
        fields.update(provider(user=user))
    return fields
