"""Account use cases: registration, login, token rotation, sessions, passwords,
service keys, GDPR export and erasure. Each owns its transaction."""

from accounts.services.errors import (
    AccountError,
    EmailTaken,
    InvalidCredentials,
    InvalidResetLink,
    SessionEnded,
    SessionNotFound,
    TokenReused,
    TooManyAttempts,
    WrongPassword,
)
from accounts.services.gdpr import erase_account, export_account, set_active
from accounts.services.passwords import (
    change_password,
    check_password_rules,
    confirm_password_reset,
    request_password_reset,
    update_profile,
)
from accounts.services.service_keys import create_service_client, revoke_service_client
from accounts.services.sessions import (
    Client,
    SignedIn,
    logout,
    logout_all,
    open_session,
    refresh,
    revoke_all_sessions,
    revoke_session,
    revoke_sessions,
    session_id_from_refresh,
)
from accounts.services.signup import create_account, login, register

__all__ = [
    "AccountError",
    "Client",
    "EmailTaken",
    "InvalidCredentials",
    "InvalidResetLink",
    "SessionEnded",
    "SessionNotFound",
    "SignedIn",
    "TokenReused",
    "TooManyAttempts",
    "WrongPassword",
    "change_password",
    "check_password_rules",
    "confirm_password_reset",
    "create_account",
    "create_service_client",
    "erase_account",
    "export_account",
    "login",
    "logout",
    "logout_all",
    "open_session",
    "refresh",
    "register",
    "request_password_reset",
    "revoke_all_sessions",
    "revoke_service_client",
    "revoke_session",
    "revoke_sessions",
    "session_id_from_refresh",
    "set_active",
    "update_profile",
]
