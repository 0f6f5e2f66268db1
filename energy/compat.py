"""The predecessor's ``/luna/energy/*`` routes for the Phoenix apps that still
call them: parse the old shape, call the energy services, render the old
shape. No rule lives here.

Security stays new: the ``user_id`` of an old body or path must be the
caller's own (user token) or within a service key's scopes (``act_for``),
refunds follow the guarantee, and ``X-Idempotency-Key`` makes a consume
happen once.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from energy import registry, services
from energy.api import actor_of, caller_key
from energy.models import Action, Kind, LedgerEntry
from energy.serializers import ContextField
from narrative.models import Event

TAG = "legacy"
LEGACY = OpenApiResponse(description="The predecessor's response shape")
BASIC_ACTION_COST = 5  # the old can_perform_basic_action threshold


class LegacyUserInput(serializers.Serializer):
    user_id = serializers.CharField(max_length=64)


class LegacyCheckInput(LegacyUserInput):
    action_name = serializers.CharField(max_length=50, required=False)


class LegacyActionInput(LegacyUserInput):
    action_name = serializers.CharField(max_length=50)


class LegacyConsumeInput(LegacyActionInput):
    context = ContextField(required=False, default=dict)


class LegacyPreviewInput(LegacyUserInput):
    action = serializers.CharField(max_length=50)


class LegacyRefundInput(LegacyUserInput):
    action_event_id = serializers.CharField(max_length=64)
    reason = serializers.CharField(max_length=280, required=False, allow_blank=True)


class LegacyView(APIView):
    permission_classes = [IsAuthenticated]

    def user_for(self, request: Request, user_id, scope: str):
        return request.auth.act_for(user_id, scope=scope)


def cheapest_pack(deficit: int) -> str | None:
    offers = registry.pack_offers(deficit)
    return offers[0]["code"] if offers else None


def subscription_type(view: services.WalletView) -> str:
    return "luna_unlimited" if view.unlimited else "standard"


def entry_for(user, action_event_id: str) -> str:
    """Old clients name a consumption by its event id; accept the entry id too."""
    try:
        key = uuid.UUID(str(action_event_id))
    except ValueError:
        return ""
    if LedgerEntry.objects.for_user(user).filter(pk=key).exists():
        return str(key)
    event = (
        Event.objects.for_user(user)
        .of_types(["energy.consumed"])
        .filter(pk=key)
        .first()
    )
    return (event.payload or {}).get("entry_id", "") if event else ""


@extend_schema(tags=[TAG], request=LegacyCheckInput, responses={200: LEGACY})
class CheckView(LegacyView):
    def post(self, request: Request) -> Response:
        data = LegacyCheckInput(data=request.data)
        data.is_valid(raise_exception=True)
        user = self.user_for(request, data.validated_data["user_id"], "energy:read")
        view = services.wallet_view(user=user)
        totals = services.usage(user=user)
        body = {
            "success": True,
            "user_id": str(user.pk),
            "current_energy": view.balance,
            "max_energy": view.max,
            "percentage": view.percentage,
            "can_perform_basic_action": view.unlimited
            or view.balance >= BASIC_ACTION_COST,
            "last_recharge": totals.last_purchase_at.isoformat()
            if totals.last_purchase_at
            else None,
            "total_consumed": totals.total_consumed,
            "subscription_type": subscription_type(view),
        }
        if "action_name" in data.validated_data:
            check = services.check(user=user, action=data.validated_data["action_name"])
            body.update(
                can_perform=check.can_perform,
                energy_required=check.cost,
                deficit=check.deficit,
                required_pack=cheapest_pack(check.deficit) if check.deficit else None,
            )
        return Response(body)


@extend_schema(tags=[TAG], request=LegacyActionInput, responses={200: LEGACY})
class CanPerformView(LegacyView):
    def post(self, request: Request) -> Response:
        data = LegacyActionInput(data=request.data)
        data.is_valid(raise_exception=True)
        user = self.user_for(request, data.validated_data["user_id"], "energy:read")
        check = services.check(user=user, action=data.validated_data["action_name"])
        return Response(
            {
                "success": True,
                "user_id": str(user.pk),
                "action": check.action,
                "energy_required": check.cost,
                "current_energy": check.balance,
                "can_perform": check.can_perform,
                "deficit": check.deficit,
                "required_pack": cheapest_pack(check.deficit)
                if check.deficit
                else None,
            }
        )


@extend_schema(
    tags=[TAG], request=LegacyConsumeInput, responses={200: LEGACY, 402: LEGACY}
)
class ConsumeView(LegacyView):
    def post(self, request: Request) -> Response:
        data = LegacyConsumeInput(data=request.data)
        data.is_valid(raise_exception=True)
        user = self.user_for(request, data.validated_data["user_id"], "energy:write")
        raw_key = (
            request.headers.get("X-Idempotency-Key")
            or request.headers.get("Idempotency-Key")
            or f"unkeyed-{uuid.uuid4()}"
        )[:128]
        actor, label = actor_of(request)
        receipt = services.consume(
            user=user,
            action=data.validated_data["action_name"],
            key=caller_key(request, raw_key),
            app_source=request.auth.app_source,
            context=data.validated_data["context"],
            actor=actor,
            actor_label=label,
        )
        entry = receipt.entry
        event_id = receipt.event_id or (
            Event.objects.for_user(user)
            .of_types(["energy.consumed"])
            .filter(payload__entry_id=str(entry.pk))
            .values_list("pk", flat=True)
            .first()
        )
        action = data.validated_data["action_name"]
        return Response(
            {
                "success": True,
                "transaction_id": str(entry.pk),
                "event_id": str(event_id) if event_id else None,
                "energy_consumed": -entry.amount,
                "energy_remaining": receipt.balance,
                "action": action,
                "timestamp": entry.created_at.isoformat(),
                "message": f"Action '{action}' effectuée avec succès",
                "subscription_type": subscription_type(services.wallet_view(user=user)),
            }
        )


@extend_schema(tags=[TAG], request=LegacyPreviewInput, responses={200: LEGACY})
class PreviewView(LegacyView):
    def post(self, request: Request) -> Response:
        data = LegacyPreviewInput(data=request.data)
        data.is_valid(raise_exception=True)
        user = self.user_for(request, data.validated_data["user_id"], "energy:read")
        check = services.check(user=user, action=data.validated_data["action"])
        unlimited = services.wallet_view(user=user).unlimited
        return Response(
            {
                "action": check.action,
                "cost_pct": check.cost,
                "balance_before": check.balance,
                "balance_after": max(0, check.balance - check.cost),
                "can_perform": check.can_perform,
                "unlimited_user": unlimited,
            }
        )


@extend_schema(tags=[TAG], request=LegacyRefundInput, responses={200: LEGACY})
class RefundView(LegacyView):
    def post(self, request: Request) -> Response:
        data = LegacyRefundInput(data=request.data)
        data.is_valid(raise_exception=True)
        user = self.user_for(request, data.validated_data["user_id"], "energy:write")
        entry_id = entry_for(user, data.validated_data["action_event_id"])
        if not entry_id:
            raise services.EntryNotFound("Energy consumption event not found")
        actor, label = actor_of(request)
        receipt = services.refund(
            user=user,
            entry_id=entry_id,
            reason=data.validated_data.get("reason") or "(no reason given)",
            actor=actor,
            actor_label=label,
        )
        return Response(
            {
                "success": True,
                "status": "refunded",
                "refunded_units": receipt.entry.amount,
                "new_energy_balance": receipt.balance,
                "refund_event_id": str(receipt.entry.pk),
                "original_action": receipt.entry.action.code
                if receipt.entry.action
                else None,
            }
        )


@extend_schema(tags=[TAG], responses={200: LEGACY})
class RefundEligibilityView(LegacyView):
    def get(self, request: Request, user_id: str, action_event_id: str) -> Response:
        user = self.user_for(request, user_id, "energy:read")
        entry_id = entry_for(user, action_event_id)
        status = services.refund_status(user=user, entry_id=entry_id or uuid.uuid4())
        body = {
            "eligible": status.eligible,
            "reason": status.reason,
            "status": status.status,
        }
        if status.entry is not None:
            body.update(
                action_name=status.entry.action.code if status.entry.action else None,
                energy_consumed=-status.entry.amount,
                action_date=status.entry.created_at.isoformat(),
            )
        return Response(body)


@extend_schema(tags=[TAG], responses={200: LEGACY})
class RefundHistoryView(LegacyView):
    def get(self, request: Request, user_id: str) -> Response:
        user = self.user_for(request, user_id, "energy:read")
        refunds = (
            LedgerEntry.objects.for_user(user)
            .filter(kind=Kind.REFUND)
            .select_related("action")
            .order_by("-seq")[:100]
        )
        items = [
            {
                "refund_event_id": str(entry.pk),
                "refund_id": f"refund_{entry.pk.hex[:12]}",
                "date": entry.created_at.isoformat(),
                "original_action": entry.action.code if entry.action else None,
                "energy_refunded": entry.amount,
                "reason": entry.reason,
                "status": "completed",
            }
            for entry in refunds
        ]
        return Response(
            {
                "success": True,
                "user_id": str(user.pk),
                "total_refunds": len(items),
                "total_energy_refunded": sum(item["energy_refunded"] for item in items),
                "refunds": items,
            }
        )


@extend_schema(tags=[TAG], auth=[], responses={200: LEGACY})
class RefundPolicyView(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]

    def get(self, request: Request) -> Response:
        actions = Action.objects.active()
        days = settings.ENERGY_REFUND_WINDOW_DAYS
        return Response(
            {
                "success": True,
                "policy": {
                    "name": "Luna Satisfaction Guarantee",
                    "refund_period_days": days,
                    "eligible_actions": [
                        a.code for a in actions if a.refundable and a.cost
                    ],
                    "ineligible_actions": [a.code for a in actions if not a.refundable],
                    "terms": [
                        f"Remboursement possible sous {days} jours après l'action.",
                        "Une seule demande de remboursement par action.",
                        "Les actions gratuites ne sont pas concernées.",
                        "Le remboursement est immédiat et crédité sur votre énergie.",
                        "Votre Capital Narratif est conservé.",
                    ],
                    "contact": "support@phoenix.ai",
                },
            }
        )


@extend_schema(tags=[TAG], responses={200: LEGACY})
class TransactionsView(LegacyView):
    def get(self, request: Request, user_id: str) -> Response:
        user = self.user_for(request, user_id, "energy:read")
        try:
            limit = max(1, min(200, int(request.query_params.get("limit", 50))))
        except ValueError:
            limit = 50
        entries = (
            LedgerEntry.objects.for_user(user).select_related("action").order_by("-seq")
        )
        rows = [
            {
                "transaction_id": str(e.pk),
                "action_type": e.kind,
                "amount": abs(e.amount),
                "reason": e.action.code if e.action else e.reason,
                "app_source": e.app_source,
                "feature_used": e.action.code if e.action else None,
                "energy_before": e.balance_after - e.amount,
                "energy_after": e.balance_after,
                "created_at": e.created_at.isoformat(),
                "context": {},
            }
            for e in entries[:limit]
        ]
        return Response(
            {
                "success": True,
                "user_id": str(user.pk),
                "transactions": rows,
                "total_count": entries.count(),
                "generated_at": timezone.now().isoformat(),
            }
        )
