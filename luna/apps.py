from django.apps import AppConfig


class LunaConfig(AppConfig):
    name = "luna"
    verbose_name = "Luna"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from accounts import registry
        from energy.models import Action
        from luna.services import conversations, loops
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

        # The prompt shows costs from a cached copy of the catalogue: drop it
        # when staff change an action, so Luna quotes what consume charges.
        post_save.connect(loops.forget_catalogue, sender=Action, dispatch_uid="luna")
        post_delete.connect(loops.forget_catalogue, sender=Action, dispatch_uid="luna")
