from django.apps import AppConfig


class BillingConfig(AppConfig):
    name = "billing"
    verbose_name = "Billing"

    def ready(self):
        import stripe
        from django.conf import settings
        from django.core import checks

        from accounts import registry as accounts_registry
        from billing import checks as billing_checks
        from billing import services, webhooks  # noqa: F401 (connects receivers)
        from energy import registry as energy_registry

        if settings.STRIPE_API_BASE:
            stripe.api_base = settings.STRIPE_API_BASE.rstrip("/")
        energy_registry.register_pack_offers(services.pack_offers)
        accounts_registry.register_gdpr(
            "billing", export=services.export_billing, erase=services.erase_billing
        )
        for check in billing_checks.AUDIT_CHECKS:
            checks.register(check, "audit", deploy=True)
