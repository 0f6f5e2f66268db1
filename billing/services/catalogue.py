"""Reading the pack catalogue (staff edit it in the admin)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from billing.errors import UnknownPack
from billing.models import Pack


def get_pack(code: str, *, kind: str) -> Pack:
    """The active pack ``code`` of ``kind``, or ``UnknownPack`` (400)."""
    pack = Pack.objects.active().filter(code=code, kind=kind).first()
    if pack is None:
        valid = ", ".join(
            Pack.objects.active().filter(kind=kind).values_list("code", flat=True)
        )
        if kind == Pack.Kind.ONE_OFF:
            field, message = "pack", _("Unknown or unavailable pack: %(code)s.")
        else:
            field, message = "plan", _("Unknown or unavailable plan: %(code)s.")
        raise UnknownPack(
            message % {"code": code},
            fields={field: [_("Valid values: %(codes)s") % {"codes": valid}]},
        )
    return pack


def pack_offers(deficit: int) -> list[dict[str, Any]]:
    """The one-off packs that cover ``deficit``, cheapest first (energy's 402).

    When no single pack covers it, the biggest one is offered.
    """
    packs = Pack.objects.active().one_off().order_by("price_cents", "order")
    covering = [pack for pack in packs if pack.energy >= deficit]
    if not covering and packs:
        covering = [max(packs, key=lambda pack: (pack.energy, -pack.price_cents))]
    return [
        {
            "code": pack.code,
            "name": pack.name,
            "price_cents": pack.price_cents,
            "currency": pack.currency,
            "energy": pack.energy,
        }
        for pack in covering
    ]
