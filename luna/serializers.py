from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from luna.models import (
    AppContext,
    Conversation,
    Goal,
    GoalCategory,
    GoalStatus,
    Message,
)
from luna.services.chat import MESSAGE_MAX


class NoNulCharField(serializers.CharField):
    """Text only (no number coerced into a string), without NUL characters."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            raise serializers.ValidationError(_("Must be a string."))
        value = super().to_internal_value(data)
        if "\x00" in value:
            raise serializers.ValidationError(_("NUL characters are not allowed."))
        return value


# --- Inputs -------------------------------------------------------------------


class ChatInput(serializers.Serializer):
    message = NoNulCharField(min_length=1, max_length=MESSAGE_MAX)
    conversation_id = serializers.UUIDField(required=False, allow_null=True)
    app_context = serializers.ChoiceField(
        choices=AppContext.choices, required=False, allow_null=True
    )


class OnboardingInput(serializers.Serializer):
    motivation = NoNulCharField(min_length=10, max_length=1000)


class JournalQueryInput(serializers.Serializer):
    window = serializers.ChoiceField(choices=["7d", "14d", "30d", "90d"], default="14d")


class SuccessMetricsField(serializers.ListField):
    child = NoNulCharField(max_length=200)
    max_length = 10


class GoalInput(serializers.Serializer):
    title = NoNulCharField(min_length=3, max_length=200)
    category = serializers.ChoiceField(
        choices=GoalCategory.choices, default=GoalCategory.CAREER_GOAL
    )
    timeline = NoNulCharField(max_length=100, required=False, allow_blank=True)
    why = NoNulCharField(max_length=1000, required=False, allow_blank=True)
    success_metrics = SuccessMetricsField(required=False, max_length=10)
    progress = serializers.IntegerField(min_value=0, max_value=100, required=False)
    status = serializers.ChoiceField(choices=GoalStatus.choices, required=False)
    is_primary = serializers.BooleanField(required=False)


class GoalPatchInput(GoalInput):
    title = NoNulCharField(min_length=3, max_length=200, required=False)
    category = serializers.ChoiceField(choices=GoalCategory.choices, required=False)


# --- Outputs ------------------------------------------------------------------


class SentimentLoopSerializer(serializers.Serializer):
    label = serializers.CharField()
    confidence = serializers.FloatField()


class ProgressLoopSerializer(serializers.Serializer):
    trend = serializers.CharField()
    momentum = serializers.IntegerField()


class VisionLoopSerializer(serializers.Serializer):
    phase = serializers.CharField()
    goal = serializers.CharField(allow_null=True)
    story_connection = serializers.CharField(allow_null=True)


class LoopsSerializer(serializers.Serializer):
    sentiment = SentimentLoopSerializer()
    progress = ProgressLoopSerializer()
    vision = VisionLoopSerializer()


class CelebrationSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    metric = serializers.CharField()
    level = serializers.CharField()
    period = serializers.CharField()
    value = serializers.FloatField()
    bonus = serializers.IntegerField()
    balance = serializers.IntegerField(allow_null=True)


class GoalProposalSerializer(serializers.Serializer):
    title = serializers.CharField()
    category = serializers.CharField()
    timeline = serializers.CharField(allow_blank=True)
    why = serializers.CharField(allow_blank=True)


class ChatSerializer(serializers.Serializer):
    conversation_id = serializers.UUIDField()
    message_id = serializers.UUIDField()
    reply = serializers.CharField(allow_blank=True)
    status = serializers.ChoiceField(choices=["complete", "partial", "error"])
    provider = serializers.ChoiceField(choices=["gemini", "builtin"])
    action = serializers.CharField()
    cost = serializers.IntegerField(help_text=_("Energy charged (0 if refunded)."))
    balance = serializers.IntegerField()
    loops = LoopsSerializer()
    celebration = CelebrationSerializer(required=False)
    goal_proposal = GoalProposalSerializer(
        required=False,
        help_text=_(
            "A goal Luna heard; stored only if the user confirms it "
            "with POST /api/luna/goals."
        ),
    )


class MessageSerializer(serializers.ModelSerializer):
    class Meta:
        model = Message
        fields = ("id", "role", "content", "status", "provider", "cost", "created_at")


class ConversationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Conversation
        fields = ("id", "title", "app_context", "created_at", "updated_at")


class ConversationDetailSerializer(ConversationSerializer):
    messages = MessageSerializer(many=True, read_only=True)

    class Meta(ConversationSerializer.Meta):
        fields = (*ConversationSerializer.Meta.fields, "messages")


class GoalSerializer(serializers.ModelSerializer):
    class Meta:
        model = Goal
        fields = (
            "id",
            "title",
            "category",
            "timeline",
            "why",
            "success_metrics",
            "progress",
            "status",
            "is_primary",
            "created_at",
            "updated_at",
        )
