"""Every change to a balance: consume, refund, grant, bonus, purchase,
adjustment, clawback, and the Unlimited plan.

Each write is one short transaction: lock the wallet row, check, apply a
conditional UPDATE of the balance, append the ledger entry, record the
narrative event (wallet lock first, then the narrative stream), and
invalidate the cached balance after commit. An idempotency key is unique
forever: a replay returns the original entry; the same key for another
wallet, kind or action is a conflict.
"""

from energy.services.consume import consume
from energy.services.credits import adjust, claw_back, credit_bonus, credit_purchase
from energy.services.errors import (
    AlreadyRefunded,
    EnergyError,
    EntryNotFound,
    FairUseExceeded,
    IdempotencyConflict,
    InsufficientEnergy,
    RefundRefused,
    UnknownAction,
)
from energy.services.ledger import Receipt, action_catalogue, get_action, open_wallet
from energy.services.plans import end_unlimited, set_unlimited
from energy.services.reading import (
    Check,
    RefundStatus,
    Usage,
    WalletView,
    check,
    export_wallet,
    legacy_profile,
    refund_eligible,
    refund_status,
    usage,
    wallet_view,
)
from energy.services.refunds import refund, refund_failed

__all__ = [
    "AlreadyRefunded",
    "Check",
    "EnergyError",
    "EntryNotFound",
    "FairUseExceeded",
    "IdempotencyConflict",
    "InsufficientEnergy",
    "Receipt",
    "RefundRefused",
    "RefundStatus",
    "UnknownAction",
    "Usage",
    "WalletView",
    "action_catalogue",
    "adjust",
    "check",
    "claw_back",
    "consume",
    "credit_bonus",
    "credit_purchase",
    "end_unlimited",
    "export_wallet",
    "get_action",
    "legacy_profile",
    "open_wallet",
    "refund",
    "refund_eligible",
    "refund_failed",
    "refund_status",
    "set_unlimited",
    "usage",
    "wallet_view",
]
