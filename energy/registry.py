"""Hooks that apps above ``energy`` register from their ``AppConfig.ready()``.

``register_pack_offers(fn)``: ``fn(deficit: int) -> list[dict]`` returns the
cheapest packs that cover a deficit, for the 402 answer. Billing provides it;
until it does, the list is empty.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

_pack_offers: list[Callable[[int], list[dict[str, Any]]]] = []


def register_pack_offers(fn: Callable[[int], list[dict[str, Any]]]) -> None:
    if fn not in _pack_offers:
        _pack_offers.append(fn)


def pack_offers(deficit: int) -> list[dict[str, Any]]:
    offers: list[dict[str, Any]] = []
    for provider in _pack_offers:
        offers.extend(provider(deficit))
    return offers
