"""The event store: streams, their append-only events, and the Capital Narratif.

Every user has one stream (``Stream`` is its head: last seq and hash); events
with no user (system events) form one more stream. ``narrative.services.record``
is the only writer. Events are never updated or deleted: the queryset and the
model refuse, and on PostgreSQL a trigger refuses too (migration 0002). The
one exception is GDPR erasure, which swaps a payload for a redaction marker
(see ``services.erase_events``).

Users are never deleted, only anonymised (``accounts.services.erase_account``),
so the user foreign keys are PROTECT: deleting a user with a story would tear
holes in a hash chain; Django refuses instead.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from narrative.chain import GENESIS

REDACTED = {"redacted": True}


class AppendOnlyError(Exception):
    """Raised when code tries to change or remove a recorded event."""


class AppSource(models.TextChoices):
    HUB = "hub", "Luna Hub"
    CV = "cv", "Phoenix CV"
    LETTERS = "letters", "Phoenix Letters"
    WEBSITE = "website", _("Phoenix website")
    AUBE = "aube", "Phoenix Aube"
    LUNA = "luna", "Luna"


class Stream(models.Model):
    """The head of one stream, locked by every append to it.

    One row per user with events, plus at most one system row (``user`` NULL,
    ``system`` true); the constraints hold with NULLs on every backend.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="narrative_stream",
        verbose_name=_("user"),
    )
    system = models.BooleanField(_("system stream"), default=False, editable=False)
    last_seq = models.PositiveBigIntegerField(_("last sequence number"), default=0)
    last_hash = models.CharField(_("last hash"), max_length=64, default=GENESIS)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    class Meta:
        verbose_name = _("stream")
        verbose_name_plural = _("streams")
        constraints = [
            models.CheckConstraint(
                condition=Q(system=True, user__isnull=True)
                | Q(system=False, user__isnull=False),
                name="narrative_stream_system_has_no_user",
            ),
            models.UniqueConstraint(
                fields=["system"],
                condition=Q(system=True),
                name="narrative_stream_one_system_stream",
            ),
        ]

    def __str__(self):
        owner = "system" if self.system else str(self.user_id)
        return f"stream {owner} @ {self.last_seq}"


class EventQuerySet(models.QuerySet):
    """Read helpers. Writes other than inserts are refused."""

    def for_user(self, user) -> EventQuerySet:
        """Events of ``user``'s stream; ``None`` is the system stream."""
        if user is None:
            return self.filter(user__isnull=True)
        return self.filter(user=user)

    def of_types(self, types: Iterable[str]) -> EventQuerySet:
        """Exact types and families: ``["cv.optimized", "letter.*"]``."""
        condition = Q(pk__in=[])
        for name in types:
            if name.endswith(".*"):
                condition |= Q(type__startswith=name[:-1])
            else:
                condition |= Q(type=name)
        return self.filter(condition)

    def since(self, moment: datetime) -> EventQuerySet:
        return self.filter(occurred_at__gte=moment)

    def until(self, moment: datetime) -> EventQuerySet:
        return self.filter(occurred_at__lt=moment)

    def chronological(self) -> EventQuerySet:
        """Stream order (seq); meaningful within one stream."""
        return self.order_by("seq")

    def newest_first(self) -> EventQuerySet:
        return self.order_by("-seq")

    def update(self, **kwargs):
        raise AppendOnlyError("narrative events are append-only")

    def delete(self):
        raise AppendOnlyError("narrative events are append-only")

    def _redact(self, *, at: datetime) -> int:
        """GDPR erasure only (``services.erase_events`` sets it up)."""
        return super().update(payload=REDACTED, redacted_at=at)


class Event(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="narrative_events",
        verbose_name=_("user"),
        db_index=False,  # the (user, seq) unique index serves user lookups
    )
    seq = models.PositiveBigIntegerField(_("sequence number"))
    type = models.CharField(_("type"), max_length=100)
    app_source = models.CharField(
        _("application"), max_length=20, choices=AppSource.choices
    )
    payload = models.JSONField(_("payload"), default=dict)
    payload_digest = models.CharField(_("payload digest"), max_length=64)
    meta = models.JSONField(_("metadata"), default=dict, blank=True)
    occurred_at = models.DateTimeField(_("occurred at"))
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    prev_hash = models.CharField(_("previous hash"), max_length=64)
    hash = models.CharField(_("hash"), max_length=64)
    unregistered = models.BooleanField(_("unregistered type"), default=False)
    redacted_at = models.DateTimeField(_("redacted at"), null=True, blank=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "seq"], name="narrative_event_user_seq_unique"
            ),
            # NULLs are distinct in the constraint above: the system stream
            # needs its own.
            models.UniqueConstraint(
                fields=["seq"],
                condition=Q(user__isnull=True),
                name="narrative_event_system_seq_unique",
            ),
            models.CheckConstraint(
                condition=Q(seq__gte=1), name="narrative_event_seq_positive"
            ),
        ]
        indexes = [
            models.Index(
                fields=["user", "type", "occurred_at"],
                name="narrative_event_user_type_at",
            ),
        ]

    def __str__(self):
        return f"{self.type} #{self.seq} ({self.id})"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("narrative events are append-only")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("narrative events are append-only")

    @property
    def is_redacted(self) -> bool:
        return self.redacted_at is not None


class CapitalNarratif(models.Model):
    """The Capital Narratif projection: the folded state of a user's stream.

    Updated by ``record`` in the append's transaction; ``last_seq`` is the last
    event folded in. ``version`` is the fold's version: a row from an older
    fold is rebuilt from the events on first use.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,  # derived data: rebuilt from the events
        related_name="capital_narratif",
        verbose_name=_("user"),
    )
    version = models.PositiveIntegerField(_("fold version"))
    last_seq = models.PositiveBigIntegerField(_("last sequence number"))
    state = models.JSONField(_("state"))
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    class Meta:
        verbose_name = "Capital Narratif"
        verbose_name_plural = "Capital Narratif"

    def __str__(self):
        return f"Capital Narratif of {self.user_id} @ {self.last_seq}"
