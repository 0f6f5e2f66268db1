from django.apps import AppConfig


class PhoenixConfig(AppConfig):
    name = "phoenix"
    verbose_name = "Phoenix Luna Hub"

    def ready(self):
        from phoenix import checks

        checks.register_audit_checks()
