from django.apps import AppConfig
from django.core import checks


class NarrativeConfig(AppConfig):
    name = "narrative"
    verbose_name = "Capital Narratif"

    def ready(self):
        from narrative import checks as narrative_checks
        from narrative import types

        types.register_builtin_types()
        checks.register(narrative_checks.check_event_chains, "audit", deploy=True)
        checks.register(narrative_checks.check_projections, "audit", deploy=True)
