"""Conversations and messages read-only (they are the users' words); goals and
celebrations editable by staff for support."""

from django.contrib import admin

from luna.models import Celebration, Conversation, Goal, Message


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class MessageInline(admin.TabularInline):
    model = Message
    fields = ("created_at", "role", "content", "status", "provider", "cost")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Conversation)
class ConversationAdmin(ReadOnlyAdmin):
    list_display = ("title", "user", "app_context", "updated_at")
    list_filter = ("app_context",)
    search_fields = ("user__email", "title")
    list_select_related = ("user",)
    inlines = [MessageInline]


@admin.register(Message)
class MessageAdmin(ReadOnlyAdmin):
    list_display = (
        "created_at",
        "conversation",
        "role",
        "status",
        "provider",
        "action",
        "cost",
        "latency_ms",
    )
    list_filter = ("role", "status", "provider", "action")
    search_fields = ("conversation__user__email",)
    list_select_related = ("conversation",)
    raw_id_fields = ("conversation", "energy_entry")


@admin.register(Goal)
class GoalAdmin(admin.ModelAdmin):
    list_display = ("title", "user", "category", "status", "progress", "is_primary")
    list_filter = ("category", "status", "is_primary")
    search_fields = ("user__email", "title")
    list_select_related = ("user",)
    raw_id_fields = ("user",)


@admin.register(Celebration)
class CelebrationAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "user", "metric", "level", "period", "bonus")
    list_filter = ("metric", "level")
    search_fields = ("user__email",)
    list_select_related = ("user",)
