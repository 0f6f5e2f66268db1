from __future__ import annotations

from django import template
from django.utils import formats, translation

register = template.Library()

SYMBOLS = {"eur": "€", "usd": "$", "gbp": "£"}


@register.filter
def money(cents, currency: str = "eur") -> str:
    """4,99 € in French, €4.99 in English."""
    amount = formats.number_format((cents or 0) / 100, 2, use_l10n=True)
    symbol = SYMBOLS.get((currency or "").lower(), (currency or "").upper())
    if translation.get_language() == "en":
        return f"{symbol}{amount}"
    return f"{amount}\u00a0{symbol}"


@register.filter
def signed(value) -> str:
    return f"+{value}" if value and value > 0 else str(value)
