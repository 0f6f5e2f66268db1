"""Energy: the action catalogue, one wallet per user, an append-only ledger.

A wallet's balance is a cached sum of its ledger; both change together, in
one transaction, only through ``energy.services``. The database holds the
invariants: no negative balance, one use per idempotency key, at most one
refund per consume, and (on PostgreSQL) no UPDATE or DELETE of ledger rows.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class App(models.TextChoices):
    CV = "cv", "Phoenix CV"
    LETTERS = "letters", "Phoenix Letters"
    WEBSITE = "website", _("Phoenix website")
    LUNA = "luna", "Luna"
    AUBE = "aube", "Phoenix Aube"


class ActionQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True)


class Action(models.Model):
    """One priced action of the catalogue (the predecessor's ENERGY_COSTS)."""

    code = models.SlugField(max_length=50, unique=True)
    label_fr = models.CharField(_("label (French)"), max_length=120)
    label_en = models.CharField(_("label (English)"), max_length=120)
    app = models.CharField(max_length=20, choices=App.choices)
    cost = models.PositiveIntegerField(_("cost"))
    refundable = models.BooleanField(
        _("refundable"),
        default=True,
        help_text=_("Covered by the satisfaction guarantee (7 days)."),
    )
    active = models.BooleanField(_("active"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ActionQuerySet.as_manager()

    class Meta:
        ordering = ["app", "cost", "code"]
        verbose_name = _("action")
        verbose_name_plural = _("action catalogue")
        constraints = [
            models.CheckConstraint(
                condition=Q(cost__lte=1000), name="energy_action_cost_bounded"
            ),
        ]

    def __str__(self):
        return f"{self.code} ({self.cost})"

    @property
    def label(self) -> str:
        return (
            self.label_en
            if (get_language() or "fr").startswith("en")
            else self.label_fr
        )


class Plan(models.TextChoices):
    STANDARD = "standard", _("standard")
    UNLIMITED = "unlimited", _("Luna Unlimited")


class Wallet(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,  # users are anonymised, never deleted
        primary_key=True,
        related_name="wallet",
    )
    balance = models.IntegerField(_("balance"), default=0)
    entry_count = models.PositiveIntegerField(default=0, editable=False)
    plan = models.CharField(max_length=20, choices=Plan.choices, default=Plan.STANDARD)
    unlimited_until = models.DateTimeField(null=True, blank=True)
    unlimited_reason = models.CharField(
        max_length=200,
        blank=True,
        help_text=_("Why the plan is unlimited: a subscription id or a staff note."),
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("wallet")
        constraints = [
            models.CheckConstraint(
                condition=Q(balance__gte=0), name="energy_wallet_balance_not_negative"
            ),
        ]

    def __str__(self):
        return f"{self.user} — {self.balance}"

    def is_unlimited(self, at=None) -> bool:
        at = at or timezone.now()
        return self.plan == Plan.UNLIMITED and (
            self.unlimited_until is None or self.unlimited_until > at
        )


class Kind(models.TextChoices):
    GRANT = "grant", _("grant")
    CONSUME = "consume", _("consume")
    REFUND = "refund", _("refund")
    PURCHASE = "purchase", _("purchase")
    BONUS = "bonus", _("bonus")
    ADJUSTMENT = "adjustment", _("adjustment")
    CLAWBACK = "clawback", _("clawback")


class Actor(models.TextChoices):
    USER = "user", _("user")
    SERVICE = "service", _("service")
    STAFF = "staff", _("staff")
    SYSTEM = "system", _("system")


class AppendOnlyError(Exception):
    """Ledger entries are never changed or removed; write a new entry instead."""


class LedgerQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("ledger entries cannot be updated")

    def delete(self):
        raise AppendOnlyError("ledger entries cannot be deleted")

    def for_user(self, user):
        return self.filter(wallet_id=user.pk)


class LedgerEntry(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    wallet = models.ForeignKey(Wallet, on_delete=models.PROTECT, related_name="entries")
    seq = models.PositiveIntegerField(help_text=_("Position in the wallet's ledger."))
    kind = models.CharField(max_length=20, choices=Kind.choices)
    amount = models.IntegerField(help_text=_("Signed change of the balance."))
    balance_after = models.IntegerField()
    action = models.ForeignKey(
        Action, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    nominal_cost = models.PositiveIntegerField(
        default=0,
        help_text=_("The action's cost when it ran (also for unlimited plans)."),
    )
    app_source = models.CharField(max_length=20, default="hub")
    reference = models.CharField(max_length=255, blank=True)
    idempotency_key = models.CharField(max_length=255)
    refund_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="refunds"
    )
    reason = models.CharField(max_length=500, blank=True)
    actor = models.CharField(max_length=20, choices=Actor.choices)
    actor_label = models.CharField(max_length=120, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    objects = LedgerQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-seq"]
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        constraints = [
            models.UniqueConstraint(
                fields=["idempotency_key"], name="energy_ledgerentry_key_unique"
            ),
            models.UniqueConstraint(
                fields=["wallet", "seq"], name="energy_ledgerentry_seq_unique"
            ),
            models.UniqueConstraint(
                fields=["refund_of"],
                condition=Q(kind="refund"),
                name="energy_ledgerentry_one_refund_per_consume",
            ),
            models.CheckConstraint(
                condition=Q(balance_after__gte=0),
                name="energy_ledgerentry_balance_not_negative",
            ),
            models.CheckConstraint(
                condition=(
                    Q(kind__in=["consume", "clawback"], amount__lte=0)
                    | Q(
                        kind__in=["grant", "refund", "purchase", "bonus"], amount__gte=0
                    )
                    | Q(kind="adjustment")
                ),
                name="energy_ledgerentry_sign_matches_kind",
            ),
        ]
        indexes = [models.Index(fields=["wallet", "-seq"])]

    def __str__(self):
        return f"{self.kind} {self.amount:+d} → {self.balance_after}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("ledger entries cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("ledger entries cannot be deleted")
