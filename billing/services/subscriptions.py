"""Luna Unlimited: a Stripe subscription that sets the wallet's plan.

The wallet is unlimited while the subscription is active or trialing, until
its current period ends, with the reason ``subscription:<Stripe id>``.
Stripe's state reaches billing through webhooks, each applied only if it is
not older than the state already held (``Subscription.state_at``, compared
with the event's ``created``), so a late event never undoes a newer one.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from billing import stripe_api
from billing.errors import (
    AlreadySubscribed,
    BillingUnavailable,
    NoSubscription,
    PaymentProviderError,
)
from billing.models import Customer, Pack, Subscription
from billing.services.catalogue import get_pack
from billing.services.customers import ensure_customer, lock_customer
from billing.services.limits import reserve_start
from energy import services as energy
from energy.models import Plan, Wallet
from narrative import services as narrative

logger = logging.getLogger("billing")
Status = Subscription.Status
STARTING_FOR = timedelta(minutes=5)  # a start in progress blocks a second one
# When two states carry the same second, the later one in this order wins.
RANK = {Status.INCOMPLETE: 0, Status.CANCELED: 2, Status.INCOMPLETE_EXPIRED: 2}


@dataclass(frozen=True)
class StartedSubscription:
    subscription: Subscription
    client_secret: str
    publishable_key: str


def stripe_time(value) -> datetime | None:
    return datetime.fromtimestamp(int(value), tz=UTC) if value else None


def period_end(data: dict[str, Any]) -> datetime | None:
    """Stripe moved the period onto subscription items (API 2025-03-31)."""
    end = data.get("current_period_end")
    if not end:
        items = (data.get("items") or {}).get("data") or []
        end = max((i.get("current_period_end") or 0 for i in items), default=0)
    return stripe_time(end)


def confirmation_secret(data: dict[str, Any]) -> str:
    """The client secret that pays the first invoice with Stripe.js."""
    invoice = data.get("latest_invoice")
    if not isinstance(invoice, dict):
        return ""
    secret = (invoice.get("confirmation_secret") or {}).get("client_secret")
    if not secret and isinstance(invoice.get("payment_intent"), dict):
        secret = invoice["payment_intent"].get("client_secret")  # older API
    return secret or ""


def start_subscription(*, user, plan: str) -> StartedSubscription:
    """Create the user's Stripe customer (once) and a subscription whose first
    invoice the browser pays; webhooks then turn the plan on."""
    if not settings.BILLING_ENABLED:
        raise BillingUnavailable()
    pack = get_pack(plan, kind=Pack.Kind.SUBSCRIPTION)
    price = pack.price_id()
    if not price:
        raise BillingUnavailable(_("Luna Unlimited is not available at the moment."))
    reserve_start(user=user)
    with transaction.atomic():
        lock_customer(user.pk)
        mine = Subscription.objects.for_user(user)
        starting = mine.filter(
            stripe_subscription_id="",
            status=Status.INCOMPLETE,
            created_at__gt=timezone.now() - STARTING_FOR,
        )
        if mine.live().exists() or starting.exists():
            raise AlreadySubscribed(_("You already have Luna Unlimited."))
        row = Subscription.objects.create(user=user, pack=pack)
    try:
        data = stripe_api.create_subscription(
            customer=ensure_customer(user=user),
            price=price,
            metadata={
                "subscription_id": str(row.pk),
                "user_id": str(user.pk),
                "plan": pack.code,
            },
            idempotency_key=f"subscription-{row.pk}",
        )
    except PaymentProviderError:
        Subscription.objects.filter(pk=row.pk, stripe_subscription_id="").delete()
        raise
    with transaction.atomic():
        Subscription.objects.filter(pk=row.pk, stripe_subscription_id="").update(
            stripe_subscription_id=data["id"]
        )
        narrative.record(
            user=user,
            type="billing.subscription_started",
            payload={"subscription_id": str(row.pk), "plan": pack.code},
        )
        apply_state(data=data, at=stripe_time(data.get("created")) or timezone.now())
    row.refresh_from_db()
    return StartedSubscription(
        subscription=row,
        client_secret=confirmation_secret(data),
        publishable_key=settings.STRIPE_PUBLISHABLE_KEY,
    )


@dataclass(frozen=True)
class SubscriptionStatus:
    has_active_subscription: bool  # Luna Unlimited paid and running now
    unlimited: bool  # the wallet's plan, whatever granted it
    subscription: Subscription | None


def current_subscription(*, user) -> Subscription | None:
    """The subscription to show: the live one, else the latest started."""
    mine = Subscription.objects.for_user(user).exclude(stripe_subscription_id="")
    return mine.live().first() or mine.first()


def subscription_status(*, user) -> SubscriptionStatus:
    row = current_subscription(user=user)
    return SubscriptionStatus(
        has_active_subscription=bool(row and row.grants_unlimited()),
        unlimited=energy.wallet_view(user=user).unlimited,
        subscription=row,
    )


def cancel_subscription(*, user) -> Subscription:
    """Cancel at the end of the paid period (idempotent)."""
    if not settings.BILLING_ENABLED:
        raise BillingUnavailable()
    row = Subscription.objects.for_user(user).live().first()
    if row is None or not row.stripe_subscription_id:
        raise NoSubscription(_("You have no Luna Unlimited subscription to cancel."))
    if row.cancel_at_period_end:
        return row
    data = stripe_api.cancel_at_period_end(row.stripe_subscription_id)
    return apply_state(data=data, at=timezone.now().replace(microsecond=0)) or row


def subscription_for(data: dict[str, Any]) -> Subscription | None:
    """Billing's row for a Stripe subscription, created when Stripe knows a
    subscription of one of our customers that billing did not start."""
    found = Subscription.objects.filter(stripe_subscription_id=data["id"]).first()
    if found is not None:
        return found
    metadata = data.get("metadata") or {}
    found = Subscription.objects.filter(
        pk=_uuid(metadata.get("subscription_id")), stripe_subscription_id=""
    ).first()
    if found is not None:
        return found
    customer = Customer.objects.filter(stripe_customer_id=data.get("customer")).first()
    pack = Pack.objects.subscriptions().filter(code=metadata.get("plan")).first()
    pack = pack or Pack.objects.subscriptions().order_by("order").first()
    if customer is None or pack is None:
        return None
    try:
        with transaction.atomic():
            return Subscription.objects.create(
                stripe_subscription_id=data["id"], user_id=customer.user_id, pack=pack
            )
    except IntegrityError:  # created concurrently
        return Subscription.objects.get(stripe_subscription_id=data["id"])


def _uuid(value) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


def apply_state(*, data: dict[str, Any], at: datetime) -> Subscription | None:
    """Apply a Stripe subscription's state as of ``at``, unless a newer one is
    already held; then set the wallet's plan to match."""
    found = subscription_for(data)
    if found is None:
        logger.info("subscription %s is not one of ours", data.get("id"))
        return None
    status = str(data.get("status") or "")
    if status not in Status.values:
        logger.warning("subscription %s: unknown status %r", data["id"], status)
        return None
    with transaction.atomic():
        row = Subscription.objects.select_for_update().select_related("user")
        row = row.get(pk=found.pk)
        if is_older(row, status, at):
            return row
        before = (row.status, row.current_period_end, row.cancel_at_period_end)
        row.stripe_subscription_id = data["id"]
        row.status = status
        row.current_period_end = period_end(data)
        row.cancel_at_period_end = bool(data.get("cancel_at_period_end"))
        row.state_at = at
        row.save()
        sync_plan(row)
        if before != (row.status, row.current_period_end, row.cancel_at_period_end):
            narrative.record(
                user=row.user,
                type="billing.subscription_changed",
                payload={
                    "subscription_id": str(row.pk),
                    "status": row.status,
                    "current_period_end": row.current_period_end.isoformat()
                    if row.current_period_end
                    else None,
                    "cancel_at_period_end": row.cancel_at_period_end,
                },
            )
    return row


def is_older(row: Subscription, status: str, at: datetime) -> bool:
    if row.state_at is None or at > row.state_at:
        return False
    if at < row.state_at:
        return True
    return RANK.get(status, 1) < RANK.get(row.status, 1)


def sync_plan(row: Subscription) -> None:
    """Set the wallet's plan from the subscription (never touching a plan
    that staff or another subscription granted)."""
    wallet = Wallet.objects.filter(pk=row.user_id).first()
    ours = wallet is not None and wallet.unlimited_reason == row.plan_reason
    if row.grants_unlimited():
        if not (
            ours
            and wallet.plan == Plan.UNLIMITED
            and wallet.unlimited_until == row.current_period_end
        ):
            energy.set_unlimited(
                user=row.user, until=row.current_period_end, reason=row.plan_reason
            )
    elif ours and wallet.plan == Plan.UNLIMITED:
        energy.end_unlimited(user=row.user, reason=f"{row.plan_reason} {row.status}")


def record_invoice(*, invoice: dict[str, Any], paid: bool) -> Subscription | None:
    """Note a subscription invoice paid or failed in the user's stream (the
    subscription's own events carry the state change)."""
    subscription_id = invoice_subscription_id(invoice)
    row = Subscription.objects.filter(stripe_subscription_id=subscription_id).first()
    if not subscription_id or row is None:
        return None
    amount = invoice.get("amount_paid") if paid else invoice.get("amount_due")
    narrative.record(
        user=row.user,
        type="billing.invoice_paid" if paid else "billing.invoice_payment_failed",
        payload={
            "subscription_id": str(row.pk),
            "amount_cents": int(amount or 0),
            "currency": str(invoice.get("currency") or ""),
        },
    )
    return row


def invoice_subscription_id(invoice: dict[str, Any]) -> str:
    subscription = invoice.get("subscription")
    if not subscription:
        parent = invoice.get("parent") or {}
        details = parent.get("subscription_details") or {}
        subscription = details.get("subscription")
    if isinstance(subscription, dict):
        subscription = subscription.get("id")
    return subscription or ""
