"""Account errors, rendered by the project's API error envelope."""

from __future__ import annotations

from django.utils.translation import gettext as _


class AccountError(Exception):
    status_code = 400
    error_code = "account_error"

    def __init__(self, message: str, *, fields: dict | None = None):
        super().__init__(message)
        self.fields = fields or {}


class EmailTaken(AccountError):
    status_code = 409
    error_code = "email_taken"


class InvalidCredentials(AccountError):
    status_code = 401
    error_code = "invalid_credentials"


class TooManyAttempts(AccountError):
    status_code = 429
    error_code = "too_many_attempts"

    def __init__(self, retry_after: int):
        super().__init__(
            _("Too many attempts. Try again in %(seconds)s seconds.")
            % {"seconds": retry_after}
        )
        self.extra = {"retry_after": retry_after}
        self.headers = {"Retry-After": str(retry_after)}


class SessionEnded(AccountError):
    status_code = 401
    error_code = "session_revoked"


class TokenReused(AccountError):
    status_code = 401
    error_code = "token_reused"


class SessionNotFound(AccountError):
    status_code = 404
    error_code = "not_found"


class InvalidResetLink(AccountError):
    error_code = "invalid_reset_link"


class WrongPassword(AccountError):
    error_code = "wrong_password"
