"""Log plumbing: the request id on every line, JSON in production, redaction.

Nothing that identifies or authenticates a person (emails, passwords, tokens,
API keys) is allowed into a log line; ``RedactingFilter`` is the safety net
behind the rule that code never logs them in the first place.
"""

from __future__ import annotations

import json
import logging
import re
from contextvars import ContextVar
from datetime import UTC, datetime

request_id_var: ContextVar[str] = ContextVar("request_id", default="-")

REDACTIONS = (
    (re.compile(r"eyJ[\w-]{5,}\.[\w-]{5,}\.[\w-]+"), "[token]"),
    (re.compile(r"\b(Bearer|Api-Key)\s+[^\s,;\"']+", re.IGNORECASE), r"\1 [redacted]"),
    (re.compile(r"\b(sk|rk|pk|whsec)_(live|test)?_?[A-Za-z0-9]{8,}"), "[stripe-key]"),
    (
        re.compile(
            r"(?P<key>[\"']?(?:password|passwd|secret|token|refresh|access|api_key)"
            r"[\"']?\s*[:=]\s*)(?P<value>\"[^\"]*\"|'[^']*'|[^\s,;}]+)",
            re.IGNORECASE,
        ),
        r"\g<key>[redacted]",
    ),
    (re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+"), "[email]"),
)


def redact(text: str) -> str:
    for pattern, replacement in REDACTIONS:
        text = pattern.sub(replacement, text)
    return text


class RequestIDFilter(logging.Filter):
    """Stamp each record with the id of the request being served."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get()
        return True


class RedactingFilter(logging.Filter):
    """Replace emails, tokens, keys and passwords in the final message text."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed %-format must not lose the record
            message = str(record.msg)
        record.msg = redact(message)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True


class JSONFormatter(logging.Formatter):
    """One JSON object per line, for log shippers."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "request_id": getattr(record, "request_id", "-"),
            "message": record.getMessage(),
        }
        if record.exc_text:
            entry["exception"] = record.exc_text
        elif record.exc_info:
            entry["exception"] = redact(self.formatException(record.exc_info))
        return json.dumps(entry, ensure_ascii=False)
