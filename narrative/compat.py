"""The predecessor's event and Capital Narratif routes (``/luna/events``,
``/luna/narrative/{user_id}``): old shapes in and out, the same services and
checks as ``narrative.api`` in between.

Old clients sent types such as ``cv_ats_score``; they are translated to the
registered names (``cv.ats_scored``), and any other old name is kept under
``legacy.*`` rather than refused.
"""

from __future__ import annotations

import re

from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from narrative import services
from narrative.api import READ, WRITE, client_arguments
from narrative.types import TYPE_PATTERN

TAG = "legacy"
LEGACY = OpenApiResponse(description="The predecessor's response shape")

OLD_TYPES = {
    "cv_ats_score": "cv.ats_scored",
    "cv_optimization_complete": "cv.optimized",
    "cv_optimized": "cv.optimized",
    "cv_section_improved": "cv.section_improved",
    "letter_created": "letter.generated",
    "letter_generated": "letter.generated",
    "letter_generation_complete": "letter.generated",
    "mirror_match_analysis": "mirror_match.analyzed",
    "user_action_complete": "user.action_completed",
    "user_session_start": "user.session_started",
    "milestone_reached": "milestone.reached",
    "interview_prepared": "interview.prepared",
}
OLD_APPS = {
    "phoenix_cv": "cv",
    "phoenix-cv": "cv",
    "phoenix_letters": "letters",
    "phoenix-letters": "letters",
    "phoenix_website": "website",
    "phoenix-website": "website",
    "luna_hub": "hub",
    "luna": "luna",
}


def new_type(old: str) -> str:
    if old in OLD_TYPES:
        return OLD_TYPES[old]
    if TYPE_PATTERN.match(old):
        return old
    snake = re.sub(r"(?<!^)(?=[A-Z])", "_", old).lower()
    snake = re.sub(r"[^a-z0-9_]+", "_", snake).strip("_") or "event"
    if not snake[0].isalpha():
        snake = f"e_{snake}"
    return f"legacy.{snake}"


class LegacyEventInput(serializers.Serializer):
    user_id = serializers.CharField(max_length=64)
    event_type = serializers.CharField(max_length=100)
    app_source = serializers.CharField(max_length=50, required=False)
    event_data = serializers.DictField(required=False, default=dict)
    metadata = serializers.DictField(required=False, default=dict)


@extend_schema(tags=[TAG], request=LegacyEventInput, responses={200: LEGACY})
class LegacyEventView(APIView):
    permission_classes = [IsAuthenticated]

    def post(self, request: Request) -> Response:
        data = LegacyEventInput(data=request.data)
        data.is_valid(raise_exception=True)
        user = request.auth.act_for(data.validated_data["user_id"], scope=WRITE)
        old_app = data.validated_data.get("app_source", "")
        item = {
            "type": new_type(data.validated_data["event_type"]),
            "payload": data.validated_data["event_data"],
            "app_source": OLD_APPS.get(old_app, old_app) or None,
        }
        event, _created = services.record(user=user, **client_arguments(request, item))
        return Response(
            {
                "success": True,
                "event_id": str(event.pk),
                "event_type": event.type,
                "message": "Event created successfully",
                "timestamp": event.recorded_at.isoformat(),
            }
        )


@extend_schema(tags=[TAG], responses={200: LEGACY})
class LegacyCapitalView(APIView):
    permission_classes = [IsAuthenticated]

    def get(self, request: Request, user_id: str) -> Response:
        user = request.auth.act_for(user_id, scope=READ)
        capital = services.capital(user=user)
        energy = capital["energy"]
        actions = capital["actions_performed"]
        count = sum(actions.values())
        apps = [app["app_source"] for app in capital["apps_used"]]
        return Response(
            {
                "success": True,
                "user_id": str(user.pk),
                "capital_narratif": {
                    "user_profile": {
                        "user_id": str(user.pk),
                        "total_events": capital["events_total"],
                        "apps_mastered": [app for app in apps if app != "hub"],
                        "skills_demonstrated": capital["skills"],
                        "most_frequent_action": capital["most_frequent_action"],
                    },
                    "usage_analytics": {
                        "actions_breakdown": actions,
                        "total_energy_consumed": energy["net"],
                        "average_energy_per_action": round(energy["net"] / count, 1)
                        if count
                        else 0,
                        "career_phase": capital["career_phase"]["code"],
                    },
                    "professional_journey": {
                        "timeline": capital["milestones"],
                        "career_progression": capital["target_roles"],
                        "expertise_areas": [app for app in apps if app != "hub"],
                    },
                    "ai_insights": {
                        "engagement_score": capital["engagement_score"],
                        "growth_trajectory": capital["growth_trajectory"]["code"],
                        "recommendations": [
                            r["message"] for r in capital["recommendations"]
                        ],
                    },
                    "metadata": {
                        "generated_at": timezone.now().isoformat(),
                        "source": "event_store_projection",
                        "events_analyzed": capital["events_total"],
                        "reconstruction_version": "3.0",
                    },
                },
                "last_updated": capital["last_activity"],
                "source": "event_store_real_time",
            }
        )
