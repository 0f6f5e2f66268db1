"""Billing's domain errors, rendered by the project's API error envelope."""

from __future__ import annotations

from django.utils.translation import gettext as _


class BillingError(Exception):
    status_code = 400
    error_code = "billing_error"

    def __init__(self, message: str = "", *, fields=None, extra=None):
        super().__init__(message)
        self.fields = fields or {}
        self.extra = extra or {}


class BillingUnavailable(BillingError):
    status_code = 503
    error_code = "billing_unavailable"

    def __init__(self, message: str = ""):
        super().__init__(
            message or _("Payments are not available at the moment; try again later.")
        )


class UnknownPack(BillingError):
    error_code = "unknown_pack"


class PaymentProviderError(BillingError):
    """Stripe refused or could not be reached; nothing was charged."""

    status_code = 502
    error_code = "payment_provider_error"


class AlreadySubscribed(BillingError):
    status_code = 409
    error_code = "already_subscribed"


class NoSubscription(BillingError):
    status_code = 404
    error_code = "no_subscription"


class UnknownPurchase(BillingError):
    """A Stripe object names a purchase this hub does not hold."""

    status_code = 404
    error_code = "not_found"


class TooManyStarts(BillingError):
    """Each start creates Stripe objects: a user gets a handful per hour."""

    status_code = 429
    error_code = "throttled"

    def __init__(self, retry_after: int):
        super().__init__(
            _("Too many payment attempts; try again in %(s)s seconds.")
            % {"s": retry_after},
            extra={"retry_after": retry_after},
        )
        self.headers = {"Retry-After": str(retry_after)}
