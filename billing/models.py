"""Billing: the pack catalogue, one-off purchases, refunds and Luna Unlimited.

Stripe is the authority on money; these rows are what the hub needs to credit
energy exactly once and to answer the user without calling Stripe. dj-stripe
keeps its own copy of Stripe's objects (its tables, its admin); billing never
holds a foreign key to them, only Stripe ids, so either side can be resynced.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


def english() -> bool:
    return (get_language() or "fr").startswith("en")


class PackQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True)

    def one_off(self):
        return self.filter(kind=Pack.Kind.ONE_OFF)

    def subscriptions(self):
        return self.filter(kind=Pack.Kind.SUBSCRIPTION)


class Pack(models.Model):
    """Something a user can buy: energy once, or Luna Unlimited every month."""

    class Kind(models.TextChoices):
        ONE_OFF = "one_off", _("one-off energy pack")
        SUBSCRIPTION = "subscription", _("monthly subscription")

    code = models.SlugField(max_length=50, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    icon = models.CharField(max_length=8, blank=True, help_text=_("An emoji."))
    name_fr = models.CharField(_("name (French)"), max_length=80)
    name_en = models.CharField(_("name (English)"), max_length=80)
    description_fr = models.CharField(_("description (French)"), max_length=300)
    description_en = models.CharField(_("description (English)"), max_length=300)
    features_fr = models.JSONField(
        _("features (French)"), default=list, blank=True, help_text=_("Bullets.")
    )
    features_en = models.JSONField(
        _("features (English)"), default=list, blank=True, help_text=_("Bullets.")
    )
    price_cents = models.PositiveIntegerField(
        _("price in cents"),
        help_text=_(
            "Subscriptions: the price shown; Stripe's price sets what is charged."
        ),
    )
    currency = models.CharField(
        max_length=3,
        default="eur",
        validators=[RegexValidator(r"^[a-z]{3}$", _("Three lowercase letters."))],
    )
    energy = models.PositiveIntegerField(
        _("energy"), default=0, help_text=_("Energy credited (one-off packs).")
    )
    first_purchase_bonus_percent = models.PositiveSmallIntegerField(
        _("first-purchase bonus (%)"),
        default=0,
        help_text=_("Extra energy when this is the customer's first purchase."),
    )
    savings_percent = models.PositiveSmallIntegerField(
        _("savings shown (%)"),
        null=True,
        blank=True,
        help_text=_("The saving advertised against Café Luna, if any."),
    )
    popular = models.BooleanField(_("popular"), default=False)
    best_deal = models.BooleanField(_("best deal"), default=False)
    stripe_price_id = models.CharField(
        _("Stripe price id"),
        max_length=255,
        blank=True,
        help_text=_("Subscriptions: empty means STRIPE_PRICE_UNLIMITED."),
    )
    active = models.BooleanField(_("active"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PackQuerySet.as_manager()

    class Meta:
        ordering = ["order", "price_cents"]
        verbose_name = _("pack")
        verbose_name_plural = _("packs")
        constraints = [
            models.CheckConstraint(
                condition=Q(price_cents__gt=0, price_cents__lte=1_000_000),
                name="billing_pack_price_bounded",
            ),
            models.CheckConstraint(
                condition=Q(first_purchase_bonus_percent__lte=100),
                name="billing_pack_bonus_bounded",
            ),
            models.CheckConstraint(
                condition=Q(kind="subscription") | Q(energy__gt=0),
                name="billing_pack_one_off_has_energy",
            ),
        ]

    def __str__(self):
        return self.code

    @property
    def name(self) -> str:
        return self.name_en if english() else self.name_fr

    @property
    def description(self) -> str:
        return self.description_en if english() else self.description_fr

    @property
    def features(self) -> list[str]:
        return list(self.features_en if english() else self.features_fr)

    def bonus_for(self, *, first_purchase: bool) -> int:
        """Bonus energy of this pack, rounded half up."""
        if not first_purchase or not self.first_purchase_bonus_percent:
            return 0
        return (self.energy * self.first_purchase_bonus_percent + 50) // 100

    def price_id(self) -> str:
        return self.stripe_price_id or settings.STRIPE_PRICE_UNLIMITED


class Customer(models.Model):
    """The user's Stripe customer (one per user), and the row that serialises
    the user's purchase confirmations (first-purchase bonus)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        primary_key=True,
        related_name="billing_customer",
    )
    stripe_customer_id = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("Stripe customer")
        constraints = [
            models.UniqueConstraint(
                fields=["stripe_customer_id"],
                condition=~Q(stripe_customer_id=""),
                name="billing_customer_stripe_id_unique",
            ),
        ]

    def __str__(self):
        return self.stripe_customer_id or f"({self.user_id})"


class PurchaseQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(user=user)

    def credited(self):
        return self.filter(status__in=Purchase.CREDITED)


class Purchase(models.Model):
    """One attempt to buy a one-off pack, paid through one PaymentIntent."""

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        PAID = "paid", _("paid")
        FAILED = "failed", _("failed")
        PARTIALLY_REFUNDED = "partially_refunded", _("partially refunded")
        REFUNDED = "refunded", _("refunded")
        NEEDS_REVIEW = "needs_review", _("needs review")

    CREDITED = (Status.PAID, Status.PARTIALLY_REFUNDED, Status.REFUNDED)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="purchases"
    )
    pack = models.ForeignKey(Pack, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.PENDING
    )
    # The price and energy when the purchase started (staff may edit the pack).
    amount_cents = models.PositiveIntegerField()
    currency = models.CharField(max_length=3)
    energy = models.PositiveIntegerField()
    bonus_energy = models.PositiveIntegerField(default=0)
    first_purchase = models.BooleanField(
        default=False, help_text=_("The customer's first paid purchase.")
    )
    payment_intent_id = models.CharField(max_length=255, blank=True)
    credit_entry = models.ForeignKey(
        "energy.LedgerEntry",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    amount_refunded_cents = models.PositiveIntegerField(default=0)
    energy_clawed_back = models.PositiveIntegerField(default=0)
    failure_code = models.CharField(max_length=100, blank=True)
    failure_message = models.CharField(max_length=300, blank=True)
    review_reason = models.CharField(max_length=300, blank=True)
    dispute_id = models.CharField(max_length=255, blank=True)
    dispute_reason = models.CharField(max_length=100, blank=True)
    disputed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    failed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PurchaseQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("purchase")
        verbose_name_plural = _("purchases")
        constraints = [
            models.UniqueConstraint(
                fields=["payment_intent_id"],
                condition=~Q(payment_intent_id=""),
                name="billing_purchase_payment_intent_unique",
            ),
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(first_purchase=True),
                name="billing_purchase_one_first_per_user",
            ),
            models.CheckConstraint(
                condition=Q(amount_refunded_cents__lte=models.F("amount_cents")),
                name="billing_purchase_refund_not_above_amount",
            ),
        ]
        indexes = [models.Index(fields=["user", "-created_at"])]

    def __str__(self):
        return f"{self.pack_id and self.pack.code} {self.status} ({self.id})"

    @property
    def energy_credited(self) -> int:
        return self.energy + self.bonus_energy if self.status in self.CREDITED else 0


class Refund(models.Model):
    """A Stripe refund of a purchase and the energy it took back."""

    stripe_refund_id = models.CharField(max_length=255, primary_key=True)
    purchase = models.ForeignKey(
        Purchase, on_delete=models.PROTECT, related_name="refunds"
    )
    amount_cents = models.PositiveIntegerField()
    energy = models.PositiveIntegerField(help_text=_("Energy to take back."))
    shortfall = models.PositiveIntegerField(
        default=0, help_text=_("Energy already spent, so not taken back.")
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("refund")

    def __str__(self):
        return self.stripe_refund_id


class SubscriptionQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(user=user)

    def live(self):
        """Subscriptions that still bill or give access."""
        return self.filter(status__in=Subscription.LIVE)


class Subscription(models.Model):
    """Luna Unlimited for one user: billing's view of a Stripe subscription.

    ``state_at`` is the Stripe time of the state held here (an event's
    ``created``), so an older event never overwrites a newer state.
    """

    class Status(models.TextChoices):
        INCOMPLETE = "incomplete", _("awaiting payment")
        INCOMPLETE_EXPIRED = "incomplete_expired", _("expired before payment")
        TRIALING = "trialing", _("trialing")
        ACTIVE = "active", _("active")
        PAST_DUE = "past_due", _("past due")
        UNPAID = "unpaid", _("unpaid")
        PAUSED = "paused", _("paused")
        CANCELED = "canceled", _("canceled")

    UNLIMITED = (Status.ACTIVE, Status.TRIALING)
    LIVE = (Status.ACTIVE, Status.TRIALING, Status.PAST_DUE, Status.UNPAID)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="billing_subscriptions",
    )
    pack = models.ForeignKey(Pack, on_delete=models.PROTECT, related_name="+")
    stripe_subscription_id = models.CharField(max_length=255, blank=True)
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.INCOMPLETE
    )
    current_period_end = models.DateTimeField(null=True, blank=True)
    cancel_at_period_end = models.BooleanField(default=False)
    state_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SubscriptionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("subscription")
        constraints = [
            models.UniqueConstraint(
                fields=["stripe_subscription_id"],
                condition=~Q(stripe_subscription_id=""),
                name="billing_subscription_stripe_id_unique",
            ),
        ]

    def __str__(self):
        return f"{self.stripe_subscription_id or self.id} ({self.status})"

    @property
    def plan_reason(self) -> str:
        """The wallet's ``unlimited_reason`` while this subscription grants it."""
        return f"subscription:{self.stripe_subscription_id}"

    def grants_unlimited(self, at=None) -> bool:
        """Paid up (active or trialing) and inside the current period."""
        at = at or timezone.now()
        return (
            self.status in self.UNLIMITED
            and self.current_period_end is not None
            and self.current_period_end > at
        )
