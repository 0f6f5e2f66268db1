"""Seed the action catalogue with the predecessor's ENERGY_COSTS.

Staff edit costs in the admin afterwards; this runs once and never
overwrites an existing row.
"""

from django.db import migrations

# code, label (fr), label (en), app, cost, refundable
CATALOGUE = [
    ("conseil_rapide", "Conseil rapide", "Quick advice", "website", 5, False),
    (
        "correction_ponctuelle",
        "Correction ponctuelle",
        "Spot correction",
        "letters",
        5,
        True,
    ),
    (
        "format_lettre",
        "Mise en forme de lettre",
        "Letter formatting",
        "letters",
        8,
        True,
    ),
    ("verification_format", "Vérification du format", "Format check", "cv", 3, False),
    ("lettre_motivation", "Lettre de motivation", "Cover letter", "letters", 15, True),
    ("optimisation_cv", "Optimisation du CV", "CV optimisation", "cv", 12, True),
    ("analyse_offre", "Analyse d'offre", "Job offer analysis", "cv", 10, True),
    (
        "analyse_cv_complete",
        "Analyse complète du CV",
        "Full CV analysis",
        "cv",
        25,
        True,
    ),
    (
        "mirror_match",
        "Mirror Match (CV ↔ offre)",
        "Mirror Match (CV ↔ job)",
        "cv",
        30,
        True,
    ),
    ("salary_analysis", "Analyse salariale", "Salary analysis", "cv", 20, True),
    (
        "transition_carriere",
        "Transition de carrière",
        "Career transition",
        "letters",
        35,
        True,
    ),
    (
        "strategie_candidature",
        "Stratégie de candidature",
        "Application strategy",
        "letters",
        35,
        True,
    ),
    (
        "audit_complet_profil",
        "Audit complet du profil",
        "Full profile audit",
        "website",
        45,
        True,
    ),
    (
        "plan_reconversion",
        "Plan de reconversion",
        "Career change plan",
        "website",
        50,
        True,
    ),
    (
        "simulation_entretien",
        "Simulation d'entretien",
        "Interview simulation",
        "website",
        40,
        True,
    ),
    # Luna's chat: failed replies are refunded automatically, so the
    # guarantee does not cover them.
    ("luna_conversation", "Conversation avec Luna", "Chat with Luna", "luna", 0, False),
    ("luna_conseil", "Conseil de Luna", "Advice from Luna", "luna", 5, False),
    (
        "luna_optimisation",
        "Optimisation avec Luna",
        "Optimisation with Luna",
        "luna",
        12,
        False,
    ),
    ("luna_analyse", "Analyse avec Luna", "Analysis with Luna", "luna", 15, False),
    ("luna_strategie", "Stratégie avec Luna", "Strategy with Luna", "luna", 25, False),
]


def seed(apps, schema_editor):
    Action = apps.get_model("energy", "Action")
    for code, label_fr, label_en, app, cost, refundable in CATALOGUE:
        Action.objects.get_or_create(
            code=code,
            defaults={
                "label_fr": label_fr,
                "label_en": label_en,
                "app": app,
                "cost": cost,
                "refundable": refundable,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("energy", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
