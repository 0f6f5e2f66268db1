from django.apps import AppConfig


class LunaConfig(AppConfig):
    name = "luna"
    verbose_name = "Luna"

    def ready(self):
        from accounts import registry
        from luna.services import conversations
        from narrative import types

        registry.register_gdpr(
            "luna", export=conversations.export_luna, erase=conversations.erase_luna
        )
        for name, description in (
            ("luna.replied", "Luna answered a chat message (cost, provider, status)."),
            ("luna.celebrated", "Luna celebrated an achievement (bonus credited)."),
            ("luna.goal_set", "The user set (or confirmed) a goal with Luna."),
            ("luna.goal_updated", "The user changed a goal."),
            ("luna.goal_achieved", "The user marked a goal as achieved."),
            ("luna.goal_removed", "The user removed a goal."),
        ):
            types.register(name, description=description, owner="hub")
