"""The predecessor's Luna routes for the Phoenix apps that still call them:
``/luna/chat/send-message``, ``/luna/narrative/start``, ``/luna/journal/{user_id}``
and ``/luna/journal/export``. Parse the old shape, call Luna's services,
render the old shape; no rule lives here.

Security stays new: the ``user_id`` of an old body or path must be the
caller's own (user token) or within a service key's scopes (``act_for``).
"""

from __future__ import annotations

import json

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import IsUser
from luna import services
from luna.serializers import NoNulCharField
from luna.services.chat import MESSAGE_MAX
from narrative.models import Event

TAG = "legacy"
LEGACY = OpenApiResponse(description="The predecessor's response shape")
OLD_CONTEXTS = {"cv": "cv", "letters": "letters", "website": "website"}


class LegacyChatInput(serializers.Serializer):
    user_id = serializers.CharField(max_length=64)
    message = NoNulCharField(min_length=1, max_length=MESSAGE_MAX)
    app_context = serializers.ChoiceField(
        choices=sorted(OLD_CONTEXTS), required=False, default="website"
    )
    user_name = NoNulCharField(max_length=50, required=False, allow_blank=True)


class LegacyStartInput(serializers.Serializer):
    motivation = NoNulCharField(min_length=10, max_length=1000)


class LegacyJournalQuery(serializers.Serializer):
    window = serializers.ChoiceField(choices=["7d", "14d", "30d", "90d"], default="14d")


class LegacyExportInput(serializers.Serializer):
    user_id = serializers.CharField(max_length=64)
    format = serializers.ChoiceField(choices=["json", "markdown"], default="json")
    include_metadata = serializers.BooleanField(default=True)
    window = serializers.ChoiceField(choices=["7d", "14d", "30d", "90d"], default="90d")


class LegacyView(APIView):
    permission_classes = [IsAuthenticated]

    def user_for(self, request: Request, user_id, scope: str):
        return request.auth.act_for(user_id, scope=scope)


@extend_schema(
    tags=[TAG], request=LegacyChatInput, responses={200: LEGACY, 402: LEGACY}
)
class SendMessageView(LegacyView):
    """One chat turn, answered whole (the websocket streams it)."""

    def post(self, request: Request) -> Response:
        data = LegacyChatInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        user = self.user_for(request, values["user_id"], "luna:chat")
        result = services.chat(
            user=user,
            text=values["message"],
            app_context=OLD_CONTEXTS[values["app_context"]],
        )
        failed = result.status == "error"
        return Response(
            {
                "success": not failed,
                "message": result.text,
                "context": values["app_context"],
                "energy_consumed": 0 if result.refunded else result.turn.cost,
                "type": "error" if failed else "text",
                # Additions the old clients ignore.
                "conversation_id": str(result.turn.conversation.pk),
                "message_id": str(result.turn.reply.pk),
                "provider": result.provider,
                "energy_remaining": result.balance,
            }
        )


@extend_schema(
    tags=[TAG], request=LegacyStartInput, responses={201: LEGACY, 409: LEGACY}
)
class NarrativeStartView(APIView):
    """Session zéro, for the signed-in user (the old route took no user_id)."""

    permission_classes = [IsUser]

    def post(self, request: Request) -> Response:
        data = LegacyStartInput(data=request.data)
        data.is_valid(raise_exception=True)
        goal = services.start_onboarding(
            user=request.user, motivation=data.validated_data["motivation"]
        )
        started = (
            Event.objects.for_user(request.user)
            .filter(type="narrative.started")
            .values_list("occurred_at", flat=True)
            .first()
        ) or timezone.now()
        narrative_id = f"narrative_{request.user.pk}_{int(started.timestamp())}"
        return Response(
            {
                "narrative_id": narrative_id,
                "status": "started",
                # The welcome energy is granted once, at sign-up, not here.
                "energy_granted": 0,
                "goal_id": str(goal.pk),
            },
            status=status.HTTP_201_CREATED,
        )


def journal_dto(user, window: str) -> dict:
    return services.journal(user=user, window_days=int(window.rstrip("d")))


@extend_schema(tags=[TAG], parameters=[LegacyJournalQuery], responses={200: LEGACY})
class JournalView(LegacyView):
    def get(self, request: Request, user_id: str) -> Response:
        query = LegacyJournalQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        user = self.user_for(request, user_id, "narrative:read")
        return Response(journal_dto(user, query.validated_data["window"]))


def as_markdown(journal: dict) -> str:
    narrative = journal.get("narrative") or {}
    lines = [f"# {_('Journal Narratif')}", ""]
    goal = narrative.get("goal")
    if goal:
        lines += [f"**{_('Goal')}:** {goal}", ""]
    lines += [f"## {_('Chapters')}", ""]
    for chapter in narrative.get("chapters") or []:
        gains = ", ".join(str(g) for g in chapter.get("gain") or [])
        lines.append(
            f"- {chapter.get('ts', '')[:10]} — {chapter.get('title', '')}"
            + (f" ({gains})" if gains else "")
        )
    lines += ["", f"## {_('Next steps')}", ""]
    for step in narrative.get("next_steps") or []:
        lines.append(
            f"- {step.get('action')} — {step.get('cost_pct')} % — "
            f"{step.get('expected_gain', '')}"
        )
    return "\n".join(lines) + "\n"


@extend_schema(tags=[TAG], request=LegacyExportInput, responses={200: LEGACY})
class JournalExportView(LegacyView):
    """The old route was a stub; this one returns the journal itself."""

    def post(self, request: Request) -> Response:
        data = LegacyExportInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        user = self.user_for(request, values["user_id"], "narrative:read")
        journal = journal_dto(user, values["window"])
        if not values["include_metadata"]:
            journal.pop("ethics", None)
            journal.pop("social_proof", None)
        content = (
            as_markdown(journal)
            if values["format"] == "markdown"
            else json.dumps(journal, ensure_ascii=False, default=str)
        )
        return Response(
            {
                "success": True,
                "download_url": None,
                "content": content,
                "format": values["format"],
                "generated_at": timezone.now().isoformat(),
                "expires_at": None,
            }
        )
