"""Billing's use cases: the catalogue, purchases, refunds, Luna Unlimited.

Every write owns its transaction; Stripe is called with no row locked.
Energy changes only through ``energy.services`` (credit keyed by the
PaymentIntent id, clawback keyed by the refund id).
"""

from billing.errors import (
    AlreadySubscribed,
    BillingError,
    BillingUnavailable,
    NoSubscription,
    PaymentProviderError,
    UnknownPack,
)
from billing.services.catalogue import get_pack, pack_offers
from billing.services.customers import ensure_customer
from billing.services.purchases import (
    StartedPurchase,
    record_payment,
    record_payment_failure,
    start_purchase,
)
from billing.services.records import erase_billing, export_billing, purchase_totals
from billing.services.refunds import apply_refunds, record_dispute, resync_purchase
from billing.services.subscriptions import (
    StartedSubscription,
    SubscriptionStatus,
    apply_state,
    cancel_subscription,
    current_subscription,
    invoice_subscription_id,
    record_invoice,
    start_subscription,
    subscription_status,
)

__all__ = [
    "AlreadySubscribed",
    "BillingError",
    "BillingUnavailable",
    "NoSubscription",
    "PaymentProviderError",
    "StartedPurchase",
    "StartedSubscription",
    "SubscriptionStatus",
    "UnknownPack",
    "apply_refunds",
    "apply_state",
    "cancel_subscription",
    "current_subscription",
    "ensure_customer",
    "erase_billing",
    "export_billing",
    "get_pack",
    "invoice_subscription_id",
    "pack_offers",
    "purchase_totals",
    "record_dispute",
    "record_invoice",
    "record_payment",
    "record_payment_failure",
    "resync_purchase",
    "start_purchase",
    "start_subscription",
    "subscription_status",
]
