"""Narrative API: record events, list them, read the Capital Narratif.

Users read and write their own stream. Satellite back ends call with an API
key holding ``narrative:write`` / ``narrative:read`` and name the ``user_id``;
``request.auth.act_for`` is the only way that id is trusted. Clients may not
record hub-owned types (``energy.*``, ``billing.*``, ``auth.*``), and a key
records under its own application.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, pagination, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from narrative import services
from narrative.errors import AppSourceMismatch
from narrative.models import Event
from narrative.serializers import (
    BatchEventSerializer,
    BatchResultSerializer,
    CapitalInput,
    CapitalSerializer,
    EventBatchInput,
    EventFilterInput,
    EventInput,
    EventSerializer,
)

TAG = "narrative"
READ, WRITE = "narrative:read", "narrative:write"


def client_arguments(request: Request, item: dict, *, prefix: str = "") -> dict:
    """``record`` arguments for one event sent by a client, after its checks."""
    app_source = item.get("app_source") or request.auth.app_source
    if request.auth.kind == "service" and app_source != request.auth.app_source:
        message = _("This API key records events for %(app)s only.") % {
            "app": request.auth.app_source
        }
        raise AppSourceMismatch(message, fields={f"{prefix}app_source": [message]})
    services.check_client_writable(item["type"], field=f"{prefix}type")
    return {
        "type": item["type"],
        "payload": item.get("payload"),
        "app_source": app_source,
        "occurred_at": item.get("occurred_at"),
        "event_id": item.get("id"),
        "meta": {"request_id": request.request_id, "actor": request.auth.actor},
    }


class EventBatchView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=[TAG],
        operation_id="narrative_event_record_batch",
        summary="Record up to 100 events, all or nothing",
        request=EventBatchInput,
        responses={
            201: BatchResultSerializer,
            200: OpenApiResponse(
                BatchResultSerializer, description="Every event was a replay."
            ),
        },
    )
    def post(self, request: Request) -> Response:
        data = EventBatchInput(data=request.data)
        data.is_valid(raise_exception=True)
        user = request.auth.act_for(data.validated_data.get("user_id"), scope=WRITE)
        events = [
            client_arguments(request, item, prefix=f"events.{index}.")
            for index, item in enumerate(data.validated_data["events"])
        ]
        results = services.record_many(user=user, events=events)
        created = sum(1 for _, was_created in results if was_created)
        body = {
            "created": created,
            "events": [
                BatchEventSerializer.render(event, was_created)
                for event, was_created in results
            ],
        }
        return Response(
            body, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK
        )


class EventPagination(pagination.CursorPagination):
    ordering = "-seq"  # newest first; seq is unique within the stream
    page_size = 50
    page_size_query_param = "limit"
    max_page_size = 200


class EventsView(generics.ListAPIView):
    """GET lists the stream's events (newest first); POST records one event."""

    permission_classes = [IsAuthenticated]
    serializer_class = EventSerializer
    pagination_class = EventPagination

    @extend_schema(
        tags=[TAG],
        operation_id="narrative_event_list",
        summary="List a stream's events, newest first",
        parameters=[EventFilterInput],
    )
    def get(self, request: Request, *args, **kwargs) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        filters = EventFilterInput(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        wanted = filters.validated_data
        user = self.request.auth.act_for(wanted.get("user_id"), scope=READ)
        events = Event.objects.for_user(user)
        if "type" in wanted:
            events = events.of_types([wanted["type"]])
        if "app" in wanted:
            events = events.filter(app_source=wanted["app"])
        if "since" in wanted:
            events = events.since(wanted["since"])
        if "until" in wanted:
            events = events.until(wanted["until"])
        return events

    @extend_schema(
        tags=[TAG],
        operation_id="narrative_event_record",
        summary="Record an event",
        request=EventInput,
        responses={
            201: EventSerializer,
            200: OpenApiResponse(EventSerializer, description="Identical replay."),
            409: OpenApiResponse(description="The id was used for another event."),
        },
    )
    def post(self, request: Request) -> Response:
        data = EventInput(data=request.data)
        data.is_valid(raise_exception=True)
        user = request.auth.act_for(data.validated_data.get("user_id"), scope=WRITE)
        event, created = services.record(
            user=user, **client_arguments(request, data.validated_data)
        )
        return Response(
            EventSerializer(event).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


class CapitalView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=[TAG],
        operation_id="narrative_capital",
        summary="The Capital Narratif: the user's reconstructed story",
        parameters=[CapitalInput],
        responses=CapitalSerializer,
    )
    def get(self, request: Request) -> Response:
        data = CapitalInput(data=request.query_params)
        data.is_valid(raise_exception=True)
        user = request.auth.act_for(data.validated_data.get("user_id"), scope=READ)
        return Response(CapitalSerializer(services.capital(user=user)).data)
