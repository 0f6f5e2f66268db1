"""Luna's REST API: chat, conversations, progress, journal, onboarding, goals.

Users act for themselves only (a user token); every lookup is scoped to the
caller, so someone else's id answers 404.
"""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, pagination, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from luna import services
from luna.models import Conversation, Goal
from luna.serializers import (
    ChatInput,
    ChatSerializer,
    ConversationDetailSerializer,
    ConversationSerializer,
    GoalInput,
    GoalPatchInput,
    GoalSerializer,
    JournalQueryInput,
    OnboardingInput,
)

TAG = "luna"


def chat_body(result: services.TurnResult) -> dict:
    turn = result.turn
    body = {
        "conversation_id": turn.conversation.pk,
        "message_id": turn.reply.pk,
        "reply": result.text,
        "status": result.status,
        "provider": result.provider,
        "action": turn.action,
        "cost": 0 if result.refunded else turn.cost,
        "balance": result.balance,
        "loops": turn.loops,
    }
    if turn.celebration:
        body["celebration"] = turn.celebration
    if turn.goal_proposal:
        body["goal_proposal"] = turn.goal_proposal
    return ChatSerializer(body).data


@extend_schema(
    tags=[TAG],
    request=ChatInput,
    responses={200: ChatSerializer},
    summary="Send a message to Luna (energy charged once, refunded on failure)",
    description="Insufficient energy answers 402 `insufficient_energy` with the "
    "packs that cover the deficit; no model is called.",
)
class ChatView(APIView):
    def post(self, request: Request) -> Response:
        data = ChatInput(data=request.data)
        data.is_valid(raise_exception=True)
        result = services.chat(
            user=request.user,
            text=data.validated_data["message"],
            conversation_id=data.validated_data.get("conversation_id"),
            app_context=data.validated_data.get("app_context"),
        )
        return Response(chat_body(result))


class ConversationPagination(pagination.CursorPagination):
    ordering = "-updated_at"
    page_size = 20
    page_size_query_param = "limit"
    max_page_size = 100


@extend_schema(tags=[TAG], summary="My conversations, most recent first")
class ConversationListView(generics.ListAPIView):
    serializer_class = ConversationSerializer
    pagination_class = ConversationPagination

    def get_queryset(self):
        return Conversation.objects.owned_by(self.request.user)


class ConversationDetailView(APIView):
    @extend_schema(
        tags=[TAG],
        responses={200: ConversationDetailSerializer},
        summary="One of my conversations with its messages",
    )
    def get(self, request: Request, conversation_id) -> Response:
        conversation = services.get_conversation(
            user=request.user, conversation_id=conversation_id
        )
        return Response(ConversationDetailSerializer(conversation).data)

    @extend_schema(
        tags=[TAG],
        responses={204: OpenApiResponse(description="Deleted")},
        summary="Delete one of my conversations",
    )
    def delete(self, request: Request, conversation_id) -> Response:
        services.delete_conversation(user=request.user, conversation_id=conversation_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(
    tags=[TAG],
    responses={200: OpenApiTypes.OBJECT},
    summary="Progress loop: metrics, deltas, trend, momentum, achievements",
)
class ProgressView(APIView):
    def get(self, request: Request) -> Response:
        return Response(services.progress_view(user=request.user))


@extend_schema(
    tags=[TAG],
    parameters=[JournalQueryInput],
    responses={200: OpenApiTypes.OBJECT},
    summary="Journal Narratif: chapters, KPIs, next steps with their energy costs",
)
class JournalView(APIView):
    def get(self, request: Request) -> Response:
        query = JournalQueryInput(data=request.query_params)
        query.is_valid(raise_exception=True)
        days = int(query.validated_data["window"].rstrip("d"))
        return Response(services.journal(user=request.user, window_days=days))


@extend_schema(
    tags=[TAG],
    request=OnboardingInput,
    responses={201: GoalSerializer},
    summary="Session zéro: start the Capital Narratif (once; then 409)",
    description="Records `narrative.started` and a draft goal, returned here.",
)
class OnboardingView(APIView):
    def post(self, request: Request) -> Response:
        data = OnboardingInput(data=request.data)
        data.is_valid(raise_exception=True)
        goal = services.start_onboarding(
            user=request.user, motivation=data.validated_data["motivation"].strip()
        )
        return Response(GoalSerializer(goal).data, status=status.HTTP_201_CREATED)


class GoalListView(APIView):
    @extend_schema(
        tags=[TAG], responses={200: GoalSerializer(many=True)}, summary="My goals"
    )
    def get(self, request: Request) -> Response:
        goals = Goal.objects.owned_by(request.user)
        return Response(GoalSerializer(goals, many=True).data)

    @extend_schema(
        tags=[TAG],
        request=GoalInput,
        responses={201: GoalSerializer},
        summary="Add a goal (or confirm one Luna proposed)",
    )
    def post(self, request: Request) -> Response:
        data = GoalInput(data=request.data)
        data.is_valid(raise_exception=True)
        goal = services.create_goal(user=request.user, **data.validated_data)
        return Response(GoalSerializer(goal).data, status=status.HTTP_201_CREATED)


class GoalDetailView(APIView):
    @extend_schema(
        tags=[TAG],
        request=GoalPatchInput,
        responses={200: GoalSerializer},
        summary="Change one of my goals",
    )
    def patch(self, request: Request, goal_id) -> Response:
        data = GoalPatchInput(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        goal = services.update_goal(
            user=request.user, goal_id=goal_id, changes=dict(data.validated_data)
        )
        return Response(GoalSerializer(goal).data)

    @extend_schema(
        tags=[TAG],
        responses={204: OpenApiResponse(description="Deleted")},
        summary="Remove one of my goals",
    )
    def delete(self, request: Request, goal_id) -> Response:
        services.delete_goal(user=request.user, goal_id=goal_id)
        return Response(status=status.HTTP_204_NO_CONTENT)
