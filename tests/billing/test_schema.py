"""The test databases' dj-stripe schema is dj-stripe's, and the command that
registers the webhook endpoint."""

import pytest
from django.core.management import call_command
from djstripe.models import WebhookEndpoint


@pytest.mark.django_db
def test_the_one_migration_for_dj_stripe_matches_its_models(capsys):
    """If this fails after upgrading dj-stripe, regenerate the migration:
    delete tests/billing/djstripe_schema/migrations/0001_*.py, then run
    ``makemigrations djstripe -n schema_<version>`` with MIGRATION_MODULES
    pointing there (as tests/conftest.py does)."""
    call_command("makemigrations", "djstripe", "--check", "--dry-run")
    assert "No changes detected" in capsys.readouterr().out


@pytest.mark.django_db
def test_register_stripe_webhook_stores_the_secret_and_prints_the_url(settings, capsys):
    settings.STRIPE_WEBHOOK_SECRET = "whsec_from_the_dashboard"
    settings.PUBLIC_BASE_URL = "https://hub.phoenix.ai"
    call_command("register_stripe_webhook", "--stripe-id", "we_123")
    call_command("register_stripe_webhook", "--stripe-id", "we_123")

    endpoint = WebhookEndpoint.objects.get()
    assert endpoint.secret == "whsec_from_the_dashboard"
    assert endpoint.djstripe_tolerance == 300
    url = f"https://hub.phoenix.ai/stripe/webhook/{endpoint.djstripe_uuid}"
    assert endpoint.url == url
    assert capsys.readouterr().out.splitlines()[-1].endswith(url)
