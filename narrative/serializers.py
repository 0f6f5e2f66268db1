"""API shapes: ``…Input`` serializers validate, read-only ``…Serializer``s render.

Inputs check only the shape of a request; the rules of an event (type syntax
and registry schema, 16 KB payload, dates, ids) live in ``narrative.drafts``
so that every writer, API or not, meets the same ones.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from narrative.models import AppSource, Event
from narrative.services import BATCH_MAX

USER_ID_HELP = _(
    "API keys: the user to act for (required). User tokens: omit it, or name yourself."
)

# --- Inputs (validation only) ------------------------------------------------


class EventItemInput(serializers.Serializer):
    id = serializers.UUIDField(
        required=False,
        help_text=_("Your id for this event; re-sending it is an idempotent replay."),
    )
    type = serializers.CharField(
        max_length=100, help_text=_("Dotted, past tense: cv.optimized.")
    )
    app_source = serializers.ChoiceField(
        choices=AppSource.choices,
        required=False,
        help_text=_("Defaults to the caller's application (hub for user tokens)."),
    )
    payload = serializers.JSONField(
        required=False, help_text=_("A JSON object of at most 16 KB.")
    )
    occurred_at = serializers.DateTimeField(
        required=False,
        help_text=_("When it happened (default: now); at most 5 minutes ahead."),
    )


class EventInput(EventItemInput):
    user_id = serializers.UUIDField(required=False, help_text=USER_ID_HELP)


class EventBatchInput(serializers.Serializer):
    user_id = serializers.UUIDField(required=False, help_text=USER_ID_HELP)
    events = serializers.ListField(
        child=EventItemInput(), min_length=1, max_length=BATCH_MAX
    )


class EventFilterInput(serializers.Serializer):
    user_id = serializers.UUIDField(required=False, help_text=USER_ID_HELP)
    type = serializers.RegexField(
        r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*(\.\*)?$",
        max_length=100,
        required=False,
        help_text=_("A type (cv.optimized) or a family (cv.*)."),
    )
    app = serializers.ChoiceField(choices=AppSource.choices, required=False)
    since = serializers.DateTimeField(
        required=False, help_text=_("occurred_at on or after this moment.")
    )
    until = serializers.DateTimeField(
        required=False, help_text=_("occurred_at before this moment.")
    )

    def validate(self, data):
        if "since" in data and "until" in data and data["since"] >= data["until"]:
            raise serializers.ValidationError({"until": [_("Must be after since.")]})
        return data


class CapitalInput(serializers.Serializer):
    user_id = serializers.UUIDField(required=False, help_text=USER_ID_HELP)


# --- Outputs (read-only) -----------------------------------------------------


class EventSerializer(serializers.ModelSerializer):
    user_id = serializers.UUIDField(read_only=True, allow_null=True)
    redacted = serializers.SerializerMethodField()

    class Meta:
        model = Event
        fields = (
            "id",
            "user_id",
            "seq",
            "type",
            "app_source",
            "payload",
            "meta",
            "occurred_at",
            "recorded_at",
            "prev_hash",
            "hash",
            "unregistered",
            "redacted",
        )
        read_only_fields = fields

    def get_redacted(self, event: Event) -> bool:
        return event.is_redacted


class BatchEventSerializer(EventSerializer):
    """An event of a batch answer: the event, and whether it was new."""

    created = serializers.BooleanField(
        read_only=True, help_text=_("False when the id was a replay.")
    )

    class Meta(EventSerializer.Meta):
        fields = (*EventSerializer.Meta.fields, "created")
        read_only_fields = fields

    @classmethod
    def render(cls, event: Event, created: bool) -> dict:
        return EventSerializer(event).data | {"created": created}


class BatchResultSerializer(serializers.Serializer):
    created = serializers.IntegerField(help_text=_("Events newly recorded."))
    events = BatchEventSerializer(many=True)


class AppUsageSerializer(serializers.Serializer):
    app_source = serializers.CharField()
    events = serializers.IntegerField()


class EnergySerializer(serializers.Serializer):
    spent = serializers.IntegerField()
    refunded = serializers.IntegerField()
    net = serializers.IntegerField()
    by_action = serializers.DictField(child=serializers.IntegerField())


class AtsSerializer(serializers.Serializer):
    scores = serializers.IntegerField()
    latest = serializers.FloatField(allow_null=True)
    best = serializers.FloatField(allow_null=True)
    mean = serializers.FloatField(allow_null=True)


class CodeLabelSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()


class PhaseSerializer(CodeLabelSerializer):
    code = serializers.ChoiceField(
        choices=["discovery", "growth", "acceleration", "transition"]
    )
    signals = serializers.DictField(child=serializers.IntegerField())


class TrajectorySerializer(CodeLabelSerializer):
    code = serializers.ChoiceField(
        choices=["early_user", "beginner", "progressing", "advanced_user"]
    )


class MilestoneSerializer(serializers.Serializer):
    event_id = serializers.UUIDField()
    seq = serializers.IntegerField()
    type = serializers.CharField()
    app_source = serializers.CharField()
    occurred_at = serializers.DateTimeField()
    details = serializers.DictField()


class RecommendationSerializer(serializers.Serializer):
    code = serializers.CharField()
    action = serializers.CharField(
        allow_null=True, help_text=_("The energy action to suggest, if any.")
    )
    message = serializers.CharField()


class CapitalSerializer(serializers.Serializer):
    user_id = serializers.UUIDField()
    last_seq = serializers.IntegerField(help_text=_("Last event folded in."))
    events_total = serializers.IntegerField()
    first_seen = serializers.DateTimeField(allow_null=True)
    last_activity = serializers.DateTimeField(allow_null=True)
    apps_used = AppUsageSerializer(many=True)
    counts_by_type = serializers.DictField(child=serializers.IntegerField())
    actions_performed = serializers.DictField(child=serializers.IntegerField())
    most_frequent_action = serializers.CharField(allow_null=True)
    skills = serializers.ListField(child=serializers.CharField())
    target_roles = serializers.ListField(child=serializers.CharField())
    energy = EnergySerializer()
    ats = AtsSerializer()
    career_phase = PhaseSerializer()
    growth_trajectory = TrajectorySerializer()
    engagement_score = serializers.IntegerField(
        help_text=_("0–100: variety of actions and activity.")
    )
    milestones = MilestoneSerializer(many=True)
    recommendations = RecommendationSerializer(many=True)
