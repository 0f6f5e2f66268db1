"""Luna: conversations and their messages, the user's goals, and celebrations.

A chat turn is two ``Message`` rows: the user's text and Luna's reply. The
reply carries what the turn cost (the energy ledger entry consumed for it,
keyed by the reply's id), which provider wrote it and how it ended. A
``Celebration`` row exists once per (user, metric, level, period): the unique
constraint is what makes a celebration bonus impossible to earn twice.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AppContext(models.TextChoices):
    CV = "cv", "Phoenix CV"
    LETTERS = "letters", "Phoenix Letters"
    WEBSITE = "website", _("Phoenix website")
    AUBE = "aube", "Phoenix Aube"
    GENERAL = "general", _("general")


class ConversationQuerySet(models.QuerySet):
    def owned_by(self, user) -> ConversationQuerySet:
        return self.filter(user=user)


class Conversation(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,  # users are anonymised, never deleted
        related_name="luna_conversations",
        verbose_name=_("user"),
    )
    app_context = models.CharField(
        _("app context"),
        max_length=20,
        choices=AppContext.choices,
        default=AppContext.GENERAL,
    )
    title = models.CharField(_("title"), max_length=120, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    objects = ConversationQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at"]
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")
        indexes = [models.Index(fields=["user", "-updated_at"])]

    def __str__(self):
        return self.title or str(self.id)


class Role(models.TextChoices):
    USER = "user", _("user")
    LUNA = "luna", "Luna"


class Status(models.TextChoices):
    PENDING = "pending", _("pending")
    COMPLETE = "complete", _("complete")
    PARTIAL = "partial", _("partial")
    ERROR = "error", _("error")
    CANCELLED = "cancelled", _("cancelled")


class Provider(models.TextChoices):
    GEMINI = "gemini", "Gemini"
    BUILTIN = "builtin", _("built-in coach")


class Message(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="messages"
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices)
    content = models.TextField(_("content"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.COMPLETE
    )
    provider = models.CharField(
        _("provider"), max_length=10, choices=Provider.choices, blank=True
    )
    model = models.CharField(_("model"), max_length=80, blank=True)
    action = models.CharField(_("action"), max_length=50, blank=True)
    cost = models.PositiveIntegerField(_("cost"), default=0)
    energy_entry = models.ForeignKey(
        "energy.LedgerEntry",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("energy entry"),
    )
    sentiment = models.CharField(_("sentiment"), max_length=20, blank=True)
    tokens_in = models.PositiveIntegerField(_("tokens in"), default=0)
    tokens_out = models.PositiveIntegerField(_("tokens out"), default=0)
    latency_ms = models.PositiveIntegerField(_("latency (ms)"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        indexes = [models.Index(fields=["conversation", "-created_at"])]

    def __str__(self):
        return f"{self.role}: {self.content[:60]}"


class GoalStatus(models.TextChoices):
    DEFINING = "defining", _("defining")
    PLANNING = "planning", _("planning")
    EXECUTING = "executing", _("executing")
    PROGRESSING = "progressing", _("progressing")
    BREAKTHROUGH = "breakthrough", _("breakthrough")
    PIVOTING = "pivoting", _("pivoting")
    ACHIEVED = "achieved", _("achieved")
    ABANDONED = "abandoned", _("abandoned")


class GoalCategory(models.TextChoices):
    CAREER_GOAL = "career_goal", _("career goal")
    SKILL_MASTERY = "skill_mastery", _("skill mastery")
    LEADERSHIP_ROLE = "leadership_role", _("leadership role")
    INDUSTRY_CHANGE = "industry_change", _("industry change")
    JOB_SEARCH = "job_search", _("job search")
    OTHER = "other", _("other")


class GoalQuerySet(models.QuerySet):
    def owned_by(self, user) -> GoalQuerySet:
        return self.filter(user=user)

    def open(self) -> GoalQuerySet:
        return self.exclude(status__in=[GoalStatus.ACHIEVED, GoalStatus.ABANDONED])


class Goal(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="luna_goals",
        verbose_name=_("user"),
    )
    title = models.CharField(_("title"), max_length=200)
    category = models.CharField(
        _("category"),
        max_length=20,
        choices=GoalCategory.choices,
        default=GoalCategory.CAREER_GOAL,
    )
    timeline = models.CharField(_("timeline"), max_length=100, blank=True)
    why = models.TextField(_("why"), max_length=1000, blank=True)
    success_metrics = models.JSONField(_("success metrics"), default=list, blank=True)
    progress = models.PositiveSmallIntegerField(
        _("progress (%)"), default=0, validators=[MaxValueValidator(100)]
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=GoalStatus.choices,
        default=GoalStatus.DEFINING,
    )
    is_primary = models.BooleanField(_("primary goal"), default=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    objects = GoalQuerySet.as_manager()

    class Meta:
        ordering = ["-is_primary", "-updated_at"]
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="luna_goal_progress_bounded"
            ),
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(is_primary=True),
                name="luna_goal_one_primary_per_user",
            ),
        ]

    def __str__(self):
        return self.title


class Celebration(models.Model):
    """A celebrated achievement; at most one per (user, metric, level, period)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="luna_celebrations",
        verbose_name=_("user"),
    )
    metric = models.CharField(_("metric"), max_length=50)
    level = models.CharField(_("level"), max_length=20)
    period = models.CharField(_("period"), max_length=40)
    value = models.FloatField(_("improvement"), default=0)
    bonus = models.PositiveIntegerField(_("bonus"), default=0)
    energy_entry = models.ForeignKey(
        "energy.LedgerEntry",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("energy entry"),
    )
    message = models.ForeignKey(
        Message,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("message"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("celebration")
        verbose_name_plural = _("celebrations")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "metric", "level", "period"],
                name="luna_celebration_once_per_period",
            ),
        ]

    def __str__(self):
        return f"{self.metric} {self.level} ({self.period})"
