from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from billing.models import Pack, Purchase, Subscription


def user_id_field():
    return serializers.UUIDField(
        required=False,
        help_text=_(
            "Service keys only: the user to act for. A user token acts for itself."
        ),
    )


# --- Inputs ---------------------------------------------------------------------


class PurchaseInput(serializers.Serializer):
    pack = serializers.SlugField(max_length=50)
    user_id = user_id_field()


class SubscriptionInput(serializers.Serializer):
    plan = serializers.SlugField(max_length=50, default="luna_unlimited")
    user_id = user_id_field()


class UserQueryInput(serializers.Serializer):
    user_id = user_id_field()


class PurchaseFilterInput(UserQueryInput):
    status = serializers.ChoiceField(choices=Purchase.Status.choices, required=False)


# --- Outputs --------------------------------------------------------------------


class PackSerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True)
    description = serializers.CharField(read_only=True)
    features = serializers.ListField(child=serializers.CharField(), read_only=True)
    interval = serializers.SerializerMethodField()

    class Meta:
        model = Pack
        fields = (
            "code",
            "kind",
            "icon",
            "name",
            "description",
            "features",
            "price_cents",
            "currency",
            "interval",
            "energy",
            "first_purchase_bonus_percent",
            "savings_percent",
            "popular",
            "best_deal",
        )
        read_only_fields = fields

    def get_interval(self, pack: Pack) -> str | None:
        return "month" if pack.kind == Pack.Kind.SUBSCRIPTION else None


class CatalogueSerializer(serializers.Serializer):
    billing_enabled = serializers.BooleanField(
        help_text=_("False: packs are shown but cannot be bought (503).")
    )
    packs = PackSerializer(many=True)


class StartedPurchaseSerializer(serializers.Serializer):
    purchase_id = serializers.UUIDField(source="purchase.pk")
    status = serializers.CharField(source="purchase.status")
    client_secret = serializers.CharField(
        help_text=_("Confirm the payment with Stripe.js using this secret.")
    )
    publishable_key = serializers.CharField()
    amount = serializers.IntegerField(source="purchase.amount_cents")
    currency = serializers.CharField(source="purchase.currency")
    energy = serializers.IntegerField(source="purchase.energy")


class PurchaseSerializer(serializers.ModelSerializer):
    pack = serializers.SlugRelatedField(slug_field="code", read_only=True)
    energy_credited = serializers.IntegerField(read_only=True)

    class Meta:
        model = Purchase
        fields = (
            "id",
            "pack",
            "status",
            "amount_cents",
            "currency",
            "energy",
            "bonus_energy",
            "energy_credited",
            "first_purchase",
            "amount_refunded_cents",
            "energy_clawed_back",
            "failure_code",
            "failure_message",
            "disputed_at",
            "created_at",
            "paid_at",
        )
        read_only_fields = fields


class PurchaseTotalsSerializer(serializers.Serializer):
    purchases = serializers.IntegerField(help_text=_("Paid purchases."))
    energy_bought = serializers.IntegerField(
        help_text=_("Energy credited, bonuses included, refunds taken back.")
    )
    spent_cents = serializers.DictField(
        child=serializers.IntegerField(),
        help_text=_("Money paid net of refunds, per currency."),
    )


class SubscriptionSerializer(serializers.ModelSerializer):
    subscription_id = serializers.UUIDField(source="id", read_only=True)
    plan = serializers.SlugRelatedField(
        source="pack", slug_field="code", read_only=True
    )

    class Meta:
        model = Subscription
        fields = (
            "subscription_id",
            "plan",
            "status",
            "current_period_end",
            "cancel_at_period_end",
            "created_at",
        )
        read_only_fields = fields


class SubscriptionStatusSerializer(serializers.Serializer):
    has_active_subscription = serializers.BooleanField(
        help_text=_("Luna Unlimited is on now (active or trialing, period running).")
    )
    unlimited = serializers.BooleanField(
        help_text=_("The wallet's plan, whatever granted it.")
    )
    subscription = SubscriptionSerializer(allow_null=True)


class StartedSubscriptionSerializer(serializers.Serializer):
    subscription_id = serializers.UUIDField(source="subscription.pk")
    status = serializers.CharField(source="subscription.status")
    client_secret = serializers.CharField(
        help_text=_("Pay the first invoice with Stripe.js using this secret.")
    )
    publishable_key = serializers.CharField()
