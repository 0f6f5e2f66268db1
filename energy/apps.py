from django.apps import AppConfig


class EnergyConfig(AppConfig):
    name = "energy"
    verbose_name = "Energy"

    def ready(self):
        from django.core import checks

        from accounts import registry
        from energy import checks as energy_checks
        from energy import services

        registry.on_user_created(services.open_wallet)
        registry.register_gdpr("energy", export=services.export_wallet)
        registry.register_legacy_profile(services.legacy_profile)
        checks.register(energy_checks.check_ledger_consistency, "audit", deploy=True)
        checks.register(energy_checks.check_unlimited_reasons, "audit", deploy=True)
