"""Energy API. Users act for themselves; satellite service keys name a
``user_id`` within their ``energy:read`` / ``energy:write`` scopes."""

from __future__ import annotations

from django.db.models import Exists, OuterRef
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, pagination, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from energy import services
from energy.models import Action, Actor, Kind, LedgerEntry
from energy.serializers import (
    ActionSerializer,
    CheckInput,
    CheckSerializer,
    ConsumeInput,
    EntryFilterInput,
    EntrySerializer,
    ReceiptSerializer,
    RefundInput,
    UserQueryInput,
    WalletSerializer,
    idempotency_key,
)

TAG = "energy"
USER_ID_PARAM = OpenApiParameter(
    "user_id", OpenApiTypes.UUID, description="Service keys only: the user to act for."
)


def actor_of(request: Request) -> tuple[str, str]:
    principal = request.auth
    if principal.kind == "service":
        return Actor.SERVICE, principal.service.name
    return Actor.USER, ""


def caller_key(request: Request, raw: str) -> str:
    """Namespace a client's key by its caller, so keys never collide across
    callers and a service reusing a key for another user is a conflict."""
    principal = request.auth
    if principal.kind == "service":
        return f"service:{principal.service.pk}:{raw}"
    return f"user:{principal.user.pk}:{raw}"


# One bound serializer for every response: ``to_representation`` only reads
# its fields, so sharing it across requests and threads is safe, and it spares
# each consume DRF's per-instance deep copy of the fields (~0.6 ms of CPU).
RECEIPT = ReceiptSerializer()


def receipt_body(receipt: services.Receipt) -> dict:
    return RECEIPT.to_representation(
        {"entry": receipt.entry, "balance": receipt.balance}
    )


class ServiceAwareView(APIView):
    """Users and satellite service keys (which must name a user)."""

    permission_classes = [IsAuthenticated]


@extend_schema(
    tags=[TAG],
    parameters=[USER_ID_PARAM],
    responses={200: WalletSerializer},
    summary="Balance and plan",
)
class WalletView(ServiceAwareView):
    def get(self, request: Request) -> Response:
        query = UserQueryInput(data=request.query_params)
        query.is_valid(raise_exception=True)
        user = request.auth.act_for(
            query.validated_data.get("user_id"), scope="energy:read"
        )
        return Response(WalletSerializer(services.wallet_view(user=user)).data)


@extend_schema(
    tags=[TAG],
    auth=[],
    responses={200: ActionSerializer(many=True)},
    summary="The catalogue of actions and their costs (public)",
)
class ActionListView(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]

    def get(self, request: Request) -> Response:
        return Response(ActionSerializer(Action.objects.active(), many=True).data)


@extend_schema(
    tags=[TAG],
    request=CheckInput,
    responses={200: CheckSerializer},
    summary="Could this action be performed now?",
)
class CheckView(ServiceAwareView):
    def post(self, request: Request) -> Response:
        data = CheckInput(data=request.data)
        data.is_valid(raise_exception=True)
        user = request.auth.act_for(
            data.validated_data.get("user_id"), scope="energy:read"
        )
        result = services.check(user=user, action=data.validated_data["action"])
        return Response(CheckSerializer(result).data)


@extend_schema(
    tags=[TAG],
    request=ConsumeInput,
    parameters=[
        OpenApiParameter(
            "Idempotency-Key",
            OpenApiTypes.STR,
            OpenApiParameter.HEADER,
            required=True,
            description="1–128 printable characters, unique per operation. A replay "
            "answers 200 with the original body; the same key for another action "
            "or user answers 409.",
        )
    ],
    responses={201: ReceiptSerializer, 200: ReceiptSerializer},
    summary="Spend an action's cost (402 when the balance is short)",
)
class ConsumeView(ServiceAwareView):
    def post(self, request: Request) -> Response:
        key = idempotency_key(request.headers.get("Idempotency-Key"))
        data = ConsumeInput(data=request.data)
        data.is_valid(raise_exception=True)
        user = request.auth.act_for(
            data.validated_data.get("user_id"), scope="energy:write"
        )
        actor, label = actor_of(request)
        receipt = services.consume(
            user=user,
            action=data.validated_data["action"],
            key=caller_key(request, key),
            app_source=request.auth.app_source,
            context=data.validated_data["context"],
            actor=actor,
            actor_label=label,
        )
        code = status.HTTP_200_OK if receipt.replayed else status.HTTP_201_CREATED
        return Response(receipt_body(receipt), status=code)


@extend_schema(
    tags=[TAG],
    request=RefundInput,
    responses={201: ReceiptSerializer},
    summary="Satisfaction guarantee: refund a consumption within 7 days",
)
class RefundView(ServiceAwareView):
    def post(self, request: Request) -> Response:
        data = RefundInput(data=request.data)
        data.is_valid(raise_exception=True)
        user = request.auth.act_for(
            data.validated_data.get("user_id"), scope="energy:write"
        )
        actor, label = actor_of(request)
        receipt = services.refund(
            user=user,
            entry_id=data.validated_data["entry_id"],
            reason=data.validated_data["reason"],
            actor=actor,
            actor_label=label,
        )
        return Response(receipt_body(receipt), status=status.HTTP_201_CREATED)


class EntryPagination(pagination.CursorPagination):
    ordering = "-seq"
    page_size = 50
    page_size_query_param = "limit"
    max_page_size = 200


@extend_schema(
    tags=[TAG],
    parameters=[EntryFilterInput, USER_ID_PARAM],
    summary="My ledger, newest first",
)
class EntryListView(generics.ListAPIView):
    permission_classes = [IsAuthenticated]
    serializer_class = EntrySerializer
    pagination_class = EntryPagination

    def get_queryset(self):
        query = EntryFilterInput(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        filters = query.validated_data
        user = self.request.auth.act_for(filters.get("user_id"), scope="energy:read")
        entries = LedgerEntry.objects.for_user(user).select_related("action")
        if "kind" in filters:
            entries = entries.filter(kind=filters["kind"])
        if "action" in filters:
            entries = entries.filter(action__code=filters["action"])
        refunded = LedgerEntry.objects.filter(
            refund_of=OuterRef("pk"), kind=Kind.REFUND
        )
        return entries.annotate(refunded=Exists(refunded))
