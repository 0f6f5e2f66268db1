from django.apps import AppConfig


class EnergyConfig(AppConfig):
    name = "energy"
    verbose_name = "Energy"

    def ready(self):
        from django.core import checks
        from django.db.models.signals import post_delete, post_save

        from accounts import registry
        from energy import checks as energy_checks
        from energy import services
        from energy.models import Action
        from energy.services.ledger import forget_action

        registry.on_user_created(services.open_wallet)
        registry.register_gdpr("energy", export=services.export_wallet)
        registry.register_legacy_profile(services.legacy_profile)
        checks.register(energy_checks.check_ledger_consistency, "audit", deploy=True)
        checks.register(energy_checks.check_unlimited_reasons, "audit", deploy=True)

        def catalogue_changed(sender, instance, **kwargs):
            forget_action(instance.code)

        uid = "energy-action"
        post_save.connect(catalogue_changed, sender=Action, dispatch_uid=uid)
        post_delete.connect(catalogue_changed, sender=Action, dispatch_uid=uid)
