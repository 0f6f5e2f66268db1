"""Seed the pack catalogue (the predecessor's billing catalogue, §2.3).

Staff edit packs in the admin afterwards; this runs once and never
overwrites an existing row. The features are the old site's bullets, kept so
the legacy /billing/packs shape can be rendered without inventing anything.
"""

from django.db import migrations

PACKS = [
    {
        "code": "cafe_luna",
        "kind": "one_off",
        "icon": "☕",
        "name_fr": "Café Luna",
        "name_en": "Luna Coffee",
        "description_fr": "Un petit boost d'énergie pour découvrir Luna.",
        "description_en": "A small energy boost to discover Luna.",
        "features_fr": [
            "+10 % de bonus sur le premier achat",
            "Idéal pour tester",
            "Support communautaire",
        ],
        "features_en": [
            "+10% bonus on your first purchase",
            "Ideal to try Luna",
            "Community support",
        ],
        "price_cents": 299,
        "energy": 100,
        "first_purchase_bonus_percent": 10,
        "savings_percent": None,
        "popular": False,
        "best_deal": False,
        "order": 10,
    },
    {
        "code": "petit_dej_luna",
        "kind": "one_off",
        "icon": "🥐",
        "name_fr": "Petit-déj Luna",
        "name_en": "Luna Breakfast",
        "description_fr": "De quoi avancer toute la semaine.",
        "description_en": "Enough to keep going all week.",
        "features_fr": [
            "15 % d'économie",
            "Une semaine complète",
            "Accès prioritaire",
        ],
        "features_en": ["Save 15%", "A full week", "Priority access"],
        "price_cents": 599,
        "energy": 220,
        "first_purchase_bonus_percent": 0,
        "savings_percent": 15,
        "popular": True,
        "best_deal": False,
        "order": 20,
    },
    {
        "code": "repas_luna",
        "kind": "one_off",
        "icon": "🍕",
        "name_fr": "Repas Luna",
        "name_en": "Luna Meal",
        "description_fr": "Le plein d'énergie pour les grands projets.",
        "description_en": "A full tank for big projects.",
        "features_fr": [
            "33 % d'économie",
            "Pour les power users",
            "Fonctionnalités avancées",
        ],
        "features_en": ["Save 33%", "For power users", "Advanced features"],
        "price_cents": 999,
        "energy": 400,
        "first_purchase_bonus_percent": 0,
        "savings_percent": 33,
        "popular": False,
        "best_deal": True,
        "order": 30,
    },
    {
        "code": "luna_unlimited",
        "kind": "subscription",
        "icon": "🌙",
        "name_fr": "Luna Unlimited",
        "name_en": "Luna Unlimited",
        "description_fr": "L'énergie illimitée, chaque mois.",
        "description_en": "Unlimited energy, every month.",
        "features_fr": [
            "Énergie illimitée",
            "Priorité",
            "Support premium",
            "Fonctionnalités exclusives",
        ],
        "features_en": [
            "Unlimited energy",
            "Priority",
            "Premium support",
            "Exclusive features",
        ],
        "price_cents": 2999,
        "energy": 0,
        "first_purchase_bonus_percent": 0,
        "savings_percent": 90,
        "popular": False,
        "best_deal": False,
        "order": 40,
    },
]


def seed(apps, schema_editor):
    Pack = apps.get_model("billing", "Pack")
    for pack in PACKS:
        Pack.objects.get_or_create(
            code=pack["code"], defaults={"currency": "eur", **pack}
        )


class Migration(migrations.Migration):
    dependencies = [("billing", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
