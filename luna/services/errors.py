"""Luna's domain errors, rendered by the project's API error envelope."""

from __future__ import annotations


class LunaError(Exception):
    status_code = 400
    error_code = "invalid"

    def __init__(self, message: str, *, fields=None, extra=None):
        super().__init__(message)
        self.fields = fields or {}
        self.extra = extra or {}


class NotFound(LunaError):
    status_code = 404
    error_code = "not_found"


class AlreadyOnboarded(LunaError):
    status_code = 409
    error_code = "already_onboarded"
