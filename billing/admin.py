"""Staff pages: the pack catalogue (editable), purchases and subscriptions
(read-only, re-synced from Stripe through the services). dj-stripe's own
admin (events, webhook triggers, Stripe objects) sits beside them."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from billing import services
from billing.errors import BillingError
from billing.models import Customer, Pack, Purchase, Refund, Subscription


@admin.register(Pack)
class PackAdmin(admin.ModelAdmin):
    list_display = (
        "code",
        "kind",
        "name_fr",
        "price_cents",
        "currency",
        "energy",
        "first_purchase_bonus_percent",
        "popular",
        "best_deal",
        "active",
        "order",
    )
    list_editable = ("price_cents", "energy", "active", "order")
    list_filter = ("kind", "active")
    search_fields = ("code", "name_fr", "name_en")
    readonly_fields = ("updated_at",)

    def get_readonly_fields(self, request, obj=None):
        # Purchases, offers and old clients name packs by code.
        return ("code", "kind", "updated_at") if obj else ("updated_at",)

    def has_delete_permission(self, request, obj=None):
        return False  # deactivate instead: purchases point at the pack


class ReadOnlyMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class RefundInline(ReadOnlyMixin, admin.TabularInline):
    model = Refund
    fields = ("stripe_refund_id", "amount_cents", "energy", "shortfall", "created_at")
    readonly_fields = fields
    extra = 0
    max_num = 0


@admin.register(Purchase)
class PurchaseAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = (
        "id",
        "user",
        "pack",
        "status",
        "amount_cents",
        "currency",
        "energy",
        "bonus_energy",
        "created_at",
        "paid_at",
    )
    list_filter = ("status", "pack", "first_purchase", "created_at")
    search_fields = ("id", "user__email", "payment_intent_id", "dispute_id")
    list_select_related = ("user", "pack")
    readonly_fields = [field.name for field in Purchase._meta.fields]
    inlines = [RefundInline]
    actions = ["resync_from_stripe"]

    def has_resync_permission(self, request):
        return request.user.has_perm("billing.change_purchase")

    @admin.action(
        description=_("Re-sync from Stripe (credit, refunds)"),
        permissions=["resync"],
    )
    def resync_from_stripe(self, request, queryset):
        done, failed = 0, []
        for purchase in queryset:
            try:
                services.resync_purchase(purchase=purchase)
                done += 1
            except BillingError as error:
                failed.append(f"{purchase.pk}: {error}")
        if done:
            self.message_user(
                request,
                _("Purchases re-synced from Stripe: %(n)d.") % {"n": done},
                messages.SUCCESS,
            )
        for failure in failed:
            self.message_user(request, failure, messages.ERROR)


@admin.register(Subscription)
class SubscriptionAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = (
        "stripe_subscription_id",
        "user",
        "status",
        "current_period_end",
        "cancel_at_period_end",
        "created_at",
    )
    list_filter = ("status", "cancel_at_period_end")
    search_fields = ("user__email", "stripe_subscription_id")
    list_select_related = ("user",)
    readonly_fields = [field.name for field in Subscription._meta.fields]


@admin.register(Customer)
class CustomerAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("user", "stripe_customer_id", "created_at")
    search_fields = ("user__email", "stripe_customer_id")
    list_select_related = ("user",)
