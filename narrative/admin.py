"""Read-only admin for the event store: staff look, services write."""

from __future__ import annotations

import uuid

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from narrative import types
from narrative.models import CapitalNarratif, Event, Stream


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]


class TypeFilter(admin.SimpleListFilter):
    """Registered types and families, from the registry (no DISTINCT scan)."""

    title = _("type")
    parameter_name = "type"

    def lookups(self, request, model_admin):
        return [(entry.name, entry.name) for entry in types.registered()]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.of_types([self.value()])
        return queryset


class UserFilter(admin.SimpleListFilter):
    """The most recently active streams (a full user list would not scale)."""

    title = _("user")
    parameter_name = "user"
    limit = 30

    def lookups(self, request, model_admin):
        heads = (
            Stream.objects.filter(user__isnull=False)
            .select_related("user")
            .order_by("-updated_at")[: self.limit]
        )
        return [(str(head.user_id), str(head.user)) for head in heads]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(user_id=self.value())
        return queryset


@admin.register(Event)
class EventAdmin(ReadOnlyAdmin):
    list_display = (
        "recorded_at",
        "user",
        "seq",
        "type",
        "app_source",
        "unregistered",
        "redacted",
    )
    list_filter = (TypeFilter, "app_source", UserFilter, "unregistered")
    list_select_related = ("user",)
    search_fields = ("user__email",)
    ordering = ("-recorded_at",)
    show_full_result_count = False

    @admin.display(boolean=True, description=_("redacted"))
    def redacted(self, obj):
        return obj.is_redacted

    def get_search_results(self, request, queryset, search_term):
        # An exact event id or type is matched as such; anything else is an email.
        term = search_term.strip()
        try:
            return queryset.filter(pk=uuid.UUID(term)), False
        except ValueError:
            pass
        if types.TYPE_PATTERN.match(term):
            return queryset.filter(type=term), False
        return super().get_search_results(request, queryset, search_term)


@admin.register(Stream)
class StreamAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "user", "system", "last_seq", "updated_at")
    list_select_related = ("user",)
    search_fields = ("user__email",)
    ordering = ("-updated_at",)


@admin.register(CapitalNarratif)
class CapitalNarratifAdmin(ReadOnlyAdmin):
    list_display = ("user", "last_seq", "version", "updated_at")
    list_select_related = ("user",)
    search_fields = ("user__email",)
    ordering = ("-updated_at",)
