"""The API's JSON parser: strict JSON, bounded nesting, no NUL characters.

PostgreSQL cannot store U+0000 in text or jsonb, so a NUL anywhere in a request
body would otherwise surface as a 500 deep inside a write. It is refused here,
for every endpoint at once, as a 400.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from rest_framework import exceptions, parsers

MAX_DEPTH = 32


def check_json_value(value: Any, depth: int = 0) -> None:
    if depth > MAX_DEPTH:
        raise exceptions.ParseError(_("JSON nested too deeply."))
    if isinstance(value, str):
        if "\x00" in value:
            raise exceptions.ValidationError(_("Null characters are not allowed."))
    elif isinstance(value, dict):
        for key, item in value.items():
            if "\x00" in key:
                raise exceptions.ValidationError(_("Null characters are not allowed."))
            check_json_value(item, depth + 1)
    elif isinstance(value, list):
        for item in value:
            check_json_value(item, depth + 1)


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise exceptions.ParseError(_("JSON nested too deeply.")) from None
        check_json_value(data)
        return data
