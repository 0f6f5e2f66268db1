"""The predecessor's ``/billing/*`` routes for the Phoenix apps that still call
them: parse the old shape, call the billing services, render the old shape.
No rule lives here.

Security stays new: the ``user_id`` of an old body or path must be the
caller's own (user token) or within a service key's scopes (``act_for``).
``confirm-payment`` never credits anything: energy moves only when Stripe's
verified webhook arrives; the route reports what that webhook produced.
"""

from __future__ import annotations

from django.conf import settings
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from billing import services
from billing.errors import BillingError
from billing.models import Pack, Purchase
from energy import services as energy

TAG = "legacy"
LEGACY = OpenApiResponse(description="The predecessor's response shape")


class PaymentNotCompleted(BillingError):
    status_code = 409
    error_code = "payment_not_completed"


class LegacyUserInput(serializers.Serializer):
    user_id = serializers.CharField(max_length=64)


class LegacyIntentInput(LegacyUserInput):
    pack = serializers.CharField(max_length=50)
    currency = serializers.RegexField(r"^[a-z]{3}$", required=False, default="eur")


class LegacyConfirmInput(LegacyUserInput):
    intent_id = serializers.CharField(max_length=255)


class LegacySubscriptionInput(LegacyUserInput):
    plan = serializers.ChoiceField(choices=["luna_unlimited"], default="luna_unlimited")
    currency = serializers.RegexField(r"^[a-z]{3}$", required=False, default="eur")


class LegacyHistoryQuery(serializers.Serializer):
    limit = serializers.IntegerField(min_value=1, max_value=200, default=50)


class LegacyView(APIView):
    permission_classes = [IsAuthenticated]

    def user_for(self, request: Request, user_id, scope: str):
        return request.auth.act_for(user_id, scope=scope)


def check_currency(pack: Pack, currency: str) -> None:
    if currency != pack.currency:
        raise BillingError(
            _("This pack is sold in %(currency)s.") % {"currency": pack.currency},
            fields={"currency": [_("Must be %(c)s.") % {"c": pack.currency}]},
        )


def legacy_pack(pack: Pack) -> dict:
    unlimited = pack.kind == Pack.Kind.SUBSCRIPTION
    return {
        "code": pack.code,
        "name": f"{pack.icon} {pack.name}".strip(),
        "description": pack.description,
        "price_cents": pack.price_cents,
        # The old catalogue wrote -1 for "unlimited".
        "energy_units": -1 if unlimited else pack.energy,
        "savings_vs_cafe": pack.savings_percent or 0,
        "popular": pack.popular or pack.best_deal,
        "best_deal": pack.best_deal,
        "subscription": unlimited,
        "first_purchase_bonus_percent": pack.first_purchase_bonus_percent,
        "features": pack.features,
    }


@extend_schema(tags=[TAG], auth=[], responses={200: LEGACY})
class PacksView(APIView):
    """The catalogue, public, in the request's language."""

    authentication_classes: list = []
    permission_classes = [AllowAny]

    def get(self, request: Request) -> Response:
        packs = list(Pack.objects.active())
        return Response(
            {
                "success": True,
                "packs": [legacy_pack(pack) for pack in packs],
                "currency": "eur",
                "unlimited_available": settings.BILLING_ENABLED
                and any(pack.kind == Pack.Kind.SUBSCRIPTION for pack in packs),
                "billing_enabled": settings.BILLING_ENABLED,
            }
        )


@extend_schema(tags=[TAG], request=LegacyIntentInput, responses={200: LEGACY})
class CreateIntentView(LegacyView):
    def post(self, request: Request) -> Response:
        data = LegacyIntentInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        user = self.user_for(request, values["user_id"], "billing:write")
        if values["pack"] == "luna_unlimited":
            raise BillingError(
                _("Luna Unlimited is a subscription: use create-subscription."),
                fields={"pack": [_("Not a one-off pack.")]},
            )
        check_currency(
            services.get_pack(values["pack"], kind=Pack.Kind.ONE_OFF),
            values["currency"],
        )
        started = services.start_purchase(user=user, pack_code=values["pack"])
        purchase = started.purchase
        return Response(
            {
                "success": True,
                "intent_id": purchase.payment_intent_id,
                "client_secret": started.client_secret,
                "publishable_key": started.publishable_key,
                "amount": purchase.amount_cents,
                "currency": purchase.currency,
                "pack": purchase.pack.code,
                "energy_units": purchase.energy,
                "purchase_id": str(purchase.pk),
            }
        )


@extend_schema(
    tags=[TAG],
    request=LegacyConfirmInput,
    responses={200: LEGACY, 202: LEGACY, 404: LEGACY, 409: LEGACY},
    description="Reports what Stripe's verified webhook produced; it never "
    "credits by itself. 202 while the webhook has not arrived yet.",
)
class ConfirmPaymentView(LegacyView):
    def post(self, request: Request) -> Response:
        data = LegacyConfirmInput(data=request.data)
        data.is_valid(raise_exception=True)
        user = self.user_for(request, data.validated_data["user_id"], "billing:read")
        intent_id = data.validated_data["intent_id"]
        purchase = (
            Purchase.objects.for_user(user)
            .select_related("pack")
            .filter(payment_intent_id=intent_id)
            .first()
        )
        if purchase is None:
            raise Http404
        balance = energy.wallet_view(user=user).balance
        body = {
            "success": purchase.status in Purchase.CREDITED,
            "status": purchase.status,
            "energy_added": purchase.energy_credited,
            "bonus_applied": purchase.bonus_energy > 0,
            "bonus_units": purchase.bonus_energy,
            "new_energy_balance": balance,
            "event_id": str(purchase.pk),
            "transaction_id": str(purchase.credit_entry_id or ""),
            "pack": purchase.pack.code,
        }
        if purchase.status in Purchase.CREDITED:
            body["status"] = "credited"
            return Response(body)
        if purchase.status == Purchase.Status.PENDING:
            body["message"] = _(
                "Payment received; the energy is credited as soon as Stripe "
                "confirms it. Ask again in a few seconds."
            )
            return Response(body, status=status.HTTP_202_ACCEPTED)
        raise PaymentNotCompleted(
            _("Payment not completed. Status: %(status)s") % {"status": purchase.status}
        )


@extend_schema(tags=[TAG], parameters=[LegacyHistoryQuery], responses={200: LEGACY})
class HistoryView(LegacyView):
    def get(self, request: Request, user_id: str) -> Response:
        query = LegacyHistoryQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        user = self.user_for(request, user_id, "billing:read")
        totals = services.purchase_totals(user=user)
        credited = (
            Purchase.objects.for_user(user)
            .credited()
            .select_related("pack")[: query.validated_data["limit"]]
        )
        return Response(
            {
                "success": True,
                "user_id": str(user.pk),
                "total_purchases": totals["purchases"],
                "total_spent_cents": sum(totals["spent_cents"].values()),
                "total_energy_purchased": totals["energy_bought"],
                "purchases": [
                    {
                        "event_id": str(purchase.pk),
                        "date": (purchase.paid_at or purchase.created_at).isoformat(),
                        "pack": purchase.pack.code,
                        "energy_added": purchase.energy + purchase.bonus_energy,
                        "amount_cents": purchase.amount_cents,
                        "currency": purchase.currency,
                        "bonus_applied": purchase.bonus_energy > 0,
                        "bonus_units": purchase.bonus_energy,
                        "transaction_id": str(purchase.credit_entry_id or ""),
                        "status": purchase.status,
                    }
                    for purchase in credited
                ],
            }
        )


@extend_schema(tags=[TAG], request=LegacySubscriptionInput, responses={200: LEGACY})
class CreateSubscriptionView(LegacyView):
    def post(self, request: Request) -> Response:
        data = LegacySubscriptionInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        user = self.user_for(request, values["user_id"], "billing:write")
        check_currency(
            services.get_pack(values["plan"], kind=Pack.Kind.SUBSCRIPTION),
            values["currency"],
        )
        started = services.start_subscription(user=user, plan=values["plan"])
        row = started.subscription
        return Response(
            {
                "success": True,
                "subscription_id": row.stripe_subscription_id,
                "client_secret": started.client_secret,
                "publishable_key": started.publishable_key,
                "status": row.status,
                "plan": row.pack.code,
                "price_cents": row.pack.price_cents,
                "current_period_end": row.current_period_end.isoformat()
                if row.current_period_end
                else None,
            }
        )


@extend_schema(tags=[TAG], auth=[], responses={200: LEGACY})
class BillingHealthView(APIView):
    """Whether payments are switched on; no call to Stripe (it is not a
    liveness probe's job to spend Stripe's rate limit)."""

    authentication_classes: list = []
    permission_classes = [AllowAny]

    def get(self, request: Request) -> Response:
        enabled = settings.BILLING_ENABLED
        key = settings.STRIPE_SECRET_KEY or ""
        now = timezone.now().isoformat()
        return Response(
            {
                "status": "healthy" if enabled else "degraded",
                "billing_service": "operational" if enabled else "disabled",
                "stripe": {
                    "status": "configured" if enabled else "not_configured",
                    "stripe_connected": enabled,
                    "environment": "live" if key.startswith("sk_live_") else "test",
                    "timestamp": now,
                },
                "timestamp": now,
            }
        )
