"""Rules shared by sign-up and password changes: attempt limits, strength."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.services.errors import AccountError
from accounts.throttling import SlidingWindow


def limiter(scope: str, setting: str) -> SlidingWindow:
    limit, window = getattr(settings, setting)
    return SlidingWindow(scope, limit=limit, window=window)


def check_password_rules(password: str, user: User) -> None:
    try:
        password_validation.validate_password(password, user=user)
    except DjangoValidationError as error:
        raise AccountError(
            _("This password is not strong enough."),
            fields={"password": list(error.messages)},
        ) from None
