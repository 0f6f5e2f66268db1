from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts"

    def ready(self):
        from accounts import registry, schema  # noqa: F401 - schema: OpenAPI extensions
        from narrative import services as narrative

        # The event store sits below accounts and imports none of our apps;
        # accounts wires its export and erasure into the GDPR registry.
        registry.register_gdpr(
            "narrative", export=narrative.export_events, erase=narrative.erase_events
        )
