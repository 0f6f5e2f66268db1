"""Energy's domain errors, rendered by the project's API error envelope."""

from __future__ import annotations

from django.utils.translation import gettext as _

from energy import registry


class EnergyError(Exception):
    status_code = 400
    error_code = "energy_error"

    def __init__(self, message: str, *, fields=None, extra=None):
        super().__init__(message)
        self.fields = fields or {}
        self.extra = extra or {}


class UnknownAction(EnergyError):
    error_code = "unknown_action"


class InsufficientEnergy(EnergyError):
    status_code = 402
    error_code = "insufficient_energy"

    def __init__(self, *, required: int, available: int):
        deficit = max(0, required - available)
        super().__init__(
            _(
                "Not enough energy: this action needs %(required)s, "
                "you have %(available)s."
            )
            % {"required": required, "available": available},
            extra={
                "required": required,
                "available": available,
                "deficit": deficit,
                "packs": registry.pack_offers(deficit),
            },
        )


class IdempotencyConflict(EnergyError):
    status_code = 409
    error_code = "idempotency_conflict"


class EntryNotFound(EnergyError):
    status_code = 404
    error_code = "not_found"


class RefundRefused(EnergyError):
    error_code = "refund_not_allowed"


class AlreadyRefunded(EnergyError):
    status_code = 409
    error_code = "already_refunded"


class FairUseExceeded(EnergyError):
    status_code = 429
    error_code = "fair_use_exceeded"

    def __init__(self, retry_after: int):
        super().__init__(
            _("Luna Unlimited has a fair-use limit; try again in %(s)s seconds.")
            % {"s": retry_after},
            extra={"retry_after": retry_after},
        )
        self.headers = {"Retry-After": str(retry_after)}
