# The billing routes' contract tests use billing's localstripe harness.
from tests.billing.conftest import (  # noqa: F401
    billing_off,
    stripe_settings,
    stripe_side,
)
