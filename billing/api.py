"""Billing API. Users act for themselves; satellite service keys name a
``user_id`` within their ``billing:read`` / ``billing:write`` scopes."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, pagination, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from billing import services
from billing.models import Pack, Purchase
from billing.serializers import (
    CatalogueSerializer,
    PurchaseFilterInput,
    PurchaseInput,
    PurchaseSerializer,
    PurchaseTotalsSerializer,
    StartedPurchaseSerializer,
    StartedSubscriptionSerializer,
    SubscriptionInput,
    SubscriptionStatusSerializer,
    UserQueryInput,
)

TAG = "billing"
USER_ID_PARAM = OpenApiParameter(
    "user_id", OpenApiTypes.UUID, description="Service keys only: the user to act for."
)


class ServiceAwareView(APIView):
    """Users and satellite service keys (which must name a user)."""

    permission_classes = [IsAuthenticated]

    def target_user(self, request: Request, data, scope: str):
        return request.auth.act_for(data.get("user_id"), scope=scope)


@extend_schema(
    tags=[TAG],
    auth=[],
    responses={200: CatalogueSerializer},
    summary="Packs and Luna Unlimited, in the request's language (public)",
)
class PackListView(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]

    def get(self, request: Request) -> Response:
        body = {
            "billing_enabled": settings.BILLING_ENABLED,
            "packs": Pack.objects.active(),
        }
        return Response(CatalogueSerializer(body).data)


TOTALS_SCHEMA = {
    "type": "object",
    "required": ["purchases", "energy_bought", "spent_cents"],
    "properties": {
        "purchases": {"type": "integer", "description": "Paid purchases."},
        "energy_bought": {
            "type": "integer",
            "description": "Energy credited, bonuses included, refunds taken back.",
        },
        "spent_cents": {
            "type": "object",
            "additionalProperties": {"type": "integer"},
            "description": "Money paid net of refunds, per currency.",
        },
    },
}


class PurchasePagination(pagination.CursorPagination):
    ordering = "-created_at"
    page_size = 50
    page_size_query_param = "limit"
    max_page_size = 200
    totals: dict = {}

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        response.data["totals"] = self.totals
        return response

    def get_paginated_response_schema(self, schema):
        schema = super().get_paginated_response_schema(schema)
        schema["properties"]["totals"] = TOTALS_SCHEMA
        schema["required"] = [*schema.get("required", []), "totals"]
        return schema


class PurchasesView(generics.ListAPIView):
    """GET: my purchases with totals; POST: start a purchase."""

    permission_classes = [IsAuthenticated]
    serializer_class = PurchaseSerializer
    pagination_class = PurchasePagination

    @extend_schema(
        tags=[TAG],
        parameters=[PurchaseFilterInput],
        summary="My purchases, newest first, with totals",
    )
    def get(self, request: Request, *args, **kwargs) -> Response:
        return self.list(request, *args, **kwargs)

    @extend_schema(
        tags=[TAG],
        request=PurchaseInput,
        responses={201: StartedPurchaseSerializer},
        summary="Start buying an energy pack (503 when billing is off)",
        description="Energy is credited when Stripe confirms the payment "
        "(webhook); poll GET /api/billing/purchases/{id} for the status.",
    )
    def post(self, request: Request) -> Response:
        data = PurchaseInput(data=request.data)
        data.is_valid(raise_exception=True)
        user = request.auth.act_for(
            data.validated_data.get("user_id"), scope="billing:write"
        )
        started = services.start_purchase(
            user=user, pack_code=data.validated_data["pack"]
        )
        return Response(
            StartedPurchaseSerializer(started).data, status=status.HTTP_201_CREATED
        )

    def get_queryset(self):
        query = PurchaseFilterInput(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        filters = query.validated_data
        self.user = self.request.auth.act_for(
            filters.get("user_id"), scope="billing:read"
        )
        purchases = Purchase.objects.for_user(self.user).select_related("pack")
        if "status" in filters:
            purchases = purchases.filter(status=filters["status"])
        return purchases

    def paginate_queryset(self, queryset):
        self.paginator.totals = PurchaseTotalsSerializer(
            services.purchase_totals(user=self.user)
        ).data
        return super().paginate_queryset(queryset)


@extend_schema(
    tags=[TAG],
    parameters=[USER_ID_PARAM],
    responses={200: PurchaseSerializer},
    summary="One of my purchases (poll its status)",
)
class PurchaseDetailView(ServiceAwareView):
    def get(self, request: Request, purchase_id) -> Response:
        query = UserQueryInput(data=request.query_params)
        query.is_valid(raise_exception=True)
        user = self.target_user(request, query.validated_data, "billing:read")
        purchase = (
            Purchase.objects.for_user(user)
            .select_related("pack")
            .filter(pk=purchase_id)
            .first()
        )
        if purchase is None:
            raise Http404
        return Response(PurchaseSerializer(purchase).data)


class SubscriptionView(ServiceAwareView):
    """Luna Unlimited: start, read, cancel at period end."""

    def status_body(self, user) -> dict:
        return SubscriptionStatusSerializer(
            services.subscription_status(user=user)
        ).data

    @extend_schema(
        tags=[TAG],
        parameters=[USER_ID_PARAM],
        responses={200: SubscriptionStatusSerializer},
        summary="My Luna Unlimited subscription",
    )
    def get(self, request: Request) -> Response:
        query = UserQueryInput(data=request.query_params)
        query.is_valid(raise_exception=True)
        user = self.target_user(request, query.validated_data, "billing:read")
        return Response(self.status_body(user))

    @extend_schema(
        tags=[TAG],
        request=SubscriptionInput,
        responses={201: StartedSubscriptionSerializer},
        summary="Subscribe to Luna Unlimited (503 when billing is off)",
        description="Pay the first invoice with Stripe.js; the plan turns on "
        "when Stripe confirms it (webhook).",
    )
    def post(self, request: Request) -> Response:
        data = SubscriptionInput(data=request.data)
        data.is_valid(raise_exception=True)
        user = self.target_user(request, data.validated_data, "billing:write")
        started = services.start_subscription(
            user=user, plan=data.validated_data["plan"]
        )
        return Response(
            StartedSubscriptionSerializer(started).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        tags=[TAG],
        parameters=[USER_ID_PARAM],
        request=None,
        responses={200: SubscriptionStatusSerializer},
        summary="Cancel Luna Unlimited at the end of the paid period",
    )
    def delete(self, request: Request) -> Response:
        query = UserQueryInput(data=request.query_params)
        query.is_valid(raise_exception=True)
        user = self.target_user(request, query.validated_data, "billing:write")
        services.cancel_subscription(user=user)
        return Response(self.status_body(user))
