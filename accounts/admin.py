from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts import services
from accounts.models import Scope, ServiceClient, Session, User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ("-date_joined",)
    list_display = (
        "email",
        "first_name",
        "language",
        "is_active",
        "is_staff",
        "date_joined",
        "last_login",
    )
    list_filter = ("is_active", "is_staff", "language")
    search_fields = ("email", "first_name", "id")
    readonly_fields = ("id", "date_joined", "last_login")
    fieldsets = (
        (None, {"fields": ("id", "email", "password")}),
        (_("Profile"), {"fields": ("first_name", "language")}),
        (
            _("Permissions"),
            {
                "fields": (
                    "is_active",
                    "is_staff",
                    "is_superuser",
                    "groups",
                    "user_permissions",
                )
            },
        ),
        (_("Dates"), {"fields": ("date_joined", "last_login")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),
    )
    actions = ["deactivate", "activate", "revoke_all_sessions"]

    @admin.action(description=_("Deactivate (and end their sessions)"))
    def deactivate(self, request, queryset):
        for user in queryset:
            services.set_active(user=user, active=False)
        self.message_user(
            request, _("Deactivated %(n)d account(s).") % {"n": len(queryset)}
        )

    @admin.action(description=_("Activate"))
    def activate(self, request, queryset):
        for user in queryset:
            services.set_active(user=user, active=True)
        self.message_user(
            request, _("Activated %(n)d account(s).") % {"n": len(queryset)}
        )

    @admin.action(description=_("Revoke all their sessions"))
    def revoke_all_sessions(self, request, queryset):
        total = sum(
            services.revoke_all_sessions(user=user, reason=Session.RevokedReason.STAFF)
            for user in queryset
        )
        self.message_user(
            request,
            ngettext("Revoked %(n)d session.", "Revoked %(n)d sessions.", total)
            % {"n": total},
        )


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
    list_display = (
        "user",
        "device_label",
        "ip_display",
        "created_at",
        "last_seen",
        "expires_at",
        "revoked_at",
        "revoked_reason",
    )
    list_filter = ("revoked_reason",)
    search_fields = ("user__email", "id")
    list_select_related = ("user",)
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ServiceClientForm(forms.ModelForm):
    scopes = forms.MultipleChoiceField(
        choices=Scope.choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = ServiceClient
        fields = ("name", "app_source", "scopes")


@admin.register(ServiceClient)
class ServiceClientAdmin(admin.ModelAdmin):
    form = ServiceClientForm
    list_display = (
        "name",
        "app_source",
        "key_prefix",
        "scope_list",
        "active",
        "created_at",
        "last_used_at",
        "revoked_at",
    )
    list_filter = ("app_source", "active")
    search_fields = ("name", "key_prefix")
    readonly_fields = (
        "key_prefix",
        "created_at",
        "last_used_at",
        "revoked_at",
        "active",
    )
    actions = ["revoke"]

    @admin.display(description=_("scopes"))
    def scope_list(self, obj):
        return ", ".join(obj.scopes)

    def has_delete_permission(self, request, obj=None):
        return False  # revoke instead: the row stays for the record

    def save_model(self, request, obj, form, change):
        if change:
            obj.save(update_fields=["name", "app_source", "scopes"])
            return
        client, key = services.create_service_client(
            name=obj.name, app_source=obj.app_source, scopes=form.cleaned_data["scopes"]
        )
        for field in ServiceClient._meta.concrete_fields:
            setattr(obj, field.attname, getattr(client, field.attname))
        obj._state.adding = False
        obj._state.db = client._state.db
        messages.warning(
            request,
            _(
                "API key for %(name)s: %(key)s — copy it now; it is not stored "
                "and will not be shown again."
            )
            % {"name": client.name, "key": key},
        )

    @admin.action(description=_("Revoke the selected keys"))
    def revoke(self, request, queryset):
        for client in queryset:
            services.revoke_service_client(client=client)
        self.message_user(request, _("Revoked %(n)d key(s).") % {"n": len(queryset)})
