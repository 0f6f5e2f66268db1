"""Staff pages: the catalogue (costs editable), wallets with their read-only
ledger, and energy adjustments that go through the energy services."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from energy import services
from energy.models import Action, LedgerEntry, Wallet


@admin.register(Action)
class ActionAdmin(admin.ModelAdmin):
    list_display = (
        "code",
        "label_fr",
        "label_en",
        "app",
        "cost",
        "refundable",
        "active",
    )
    list_editable = ("cost", "refundable", "active")
    list_filter = ("app", "active", "refundable")
    search_fields = ("code", "label_fr", "label_en")
    readonly_fields = ("updated_at",)

    def get_readonly_fields(self, request, obj=None):
        # The code is what satellites send; renaming it would break them.
        return ("code", "updated_at") if obj else ("updated_at",)

    def has_delete_permission(self, request, obj=None):
        return False  # deactivate instead: past entries point at the action


class ReadOnlyMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class LedgerInline(ReadOnlyMixin, admin.TabularInline):
    model = LedgerEntry
    fk_name = "wallet"
    fields = (
        "seq",
        "created_at",
        "kind",
        "amount",
        "balance_after",
        "action",
        "reason",
        "actor_label",
    )
    readonly_fields = fields
    ordering = ("-seq",)
    extra = 0
    max_num = 0
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("action")


class AdjustForm(forms.Form):
    amount = forms.IntegerField(
        label=_("Amount"),
        min_value=-100_000,
        max_value=100_000,
        help_text=_("Positive to grant, negative to take back (never below zero)."),
    )
    reason = forms.CharField(label=_("Reason"), max_length=500, widget=forms.Textarea)


class UnlimitedForm(forms.Form):
    until = forms.DateTimeField(
        label=_("Until"), required=False, help_text=_("Empty: until ended by staff.")
    )
    reason = forms.CharField(label=_("Reason"), max_length=200)


@admin.register(Wallet)
class WalletAdmin(admin.ModelAdmin):
    list_display = ("user", "balance", "plan", "unlimited_until", "updated_at")
    list_filter = ("plan",)
    search_fields = ("user__email", "user__id")
    list_select_related = ("user",)
    readonly_fields = (
        "user",
        "balance",
        "entry_count",
        "plan",
        "unlimited_until",
        "unlimited_reason",
        "created_at",
        "updated_at",
    )
    inlines = [LedgerInline]
    actions = ["adjust_energy", "grant_unlimited", "end_unlimited"]

    def has_add_permission(self, request):
        return False  # wallets open with their account

    def has_delete_permission(self, request, obj=None):
        return False

    def _form_step(self, request, queryset, form_class, title, apply):
        form = form_class(request.POST if "apply" in request.POST else None)
        if "apply" in request.POST and form.is_valid():
            done = 0
            for wallet in queryset.select_related("user"):
                try:
                    apply(wallet, form.cleaned_data)
                    done += 1
                except services.EnergyError as error:
                    self.message_user(
                        request, f"{wallet.user}: {error}", messages.ERROR
                    )
            if done:
                self.message_user(
                    request,
                    _("Done for %(n)d wallet(s).") % {"n": done},
                    messages.SUCCESS,
                )
            return None
        return TemplateResponse(
            request,
            "admin/energy/wallet/action_form.html",
            {
                **self.admin_site.each_context(request),
                "title": title,
                "form": form,
                "wallets": queryset,
                "action": request.POST.get("action"),
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
                "opts": self.model._meta,
            },
        )

    @admin.action(description=_("Grant or adjust energy (with a reason)"))
    def adjust_energy(self, request, queryset):
        label = f"staff:{request.user.pk}"
        return self._form_step(
            request,
            queryset,
            AdjustForm,
            _("Grant or adjust energy"),
            lambda wallet, data: services.adjust(
                user=wallet.user,
                amount=data["amount"],
                reason=data["reason"],
                staff_label=label,
            ),
        )

    @admin.action(description=_("Grant Luna Unlimited (with a reason)"))
    def grant_unlimited(self, request, queryset):
        return self._form_step(
            request,
            queryset,
            UnlimitedForm,
            _("Grant Luna Unlimited"),
            lambda wallet, data: services.set_unlimited(
                user=wallet.user,
                until=data["until"],
                reason=f"staff:{request.user.pk}: {data['reason']}",
            ),
        )

    @admin.action(description=_("End Luna Unlimited"))
    def end_unlimited(self, request, queryset):
        for wallet in queryset.select_related("user"):
            services.end_unlimited(user=wallet.user, reason=f"staff:{request.user.pk}")
        self.message_user(
            request, _("Done for %(n)d wallet(s).") % {"n": len(queryset)}
        )


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = (
        "created_at",
        "wallet",
        "seq",
        "kind",
        "amount",
        "balance_after",
        "action",
        "app_source",
        "actor",
        "actor_label",
    )
    list_filter = ("kind", "app_source", "actor")
    search_fields = ("wallet__user__email", "idempotency_key", "reference", "id")
    list_select_related = ("wallet__user", "action")
    date_hierarchy = "created_at"
