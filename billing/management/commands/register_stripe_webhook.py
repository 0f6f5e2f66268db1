"""Store the Stripe webhook endpoint's secret and print the URL to give Stripe.

    python manage.py register_stripe_webhook --stripe-id we_123

Reads STRIPE_WEBHOOK_SECRET (the endpoint's signing secret, ``whsec_…``).
Running it again updates the same endpoint (same URL).
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse
from djstripe.models import WebhookEndpoint


class Command(BaseCommand):
    help = "Register the Stripe webhook endpoint (secret from STRIPE_WEBHOOK_SECRET)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--stripe-id",
            default="we_phoenix",
            help="The endpoint's id in the Stripe dashboard (we_…).",
        )

    def handle(self, *args, stripe_id, **options):
        secret = settings.STRIPE_WEBHOOK_SECRET
        if not secret.startswith("whsec_"):
            raise CommandError(
                "STRIPE_WEBHOOK_SECRET: expected a secret starting whsec_"
            )
        endpoint, created = WebhookEndpoint.objects.update_or_create(
            id=stripe_id,
            defaults={
                "secret": secret,
                "livemode": settings.STRIPE_LIVE_MODE,
                "enabled_events": ["*"],
                "status": "enabled",
                "djstripe_tolerance": settings.DJSTRIPE_WEBHOOK_TOLERANCE,
                "djstripe_validation_method": settings.DJSTRIPE_WEBHOOK_VALIDATION,
            },
        )
        path = reverse(
            "djstripe:djstripe_webhook_by_uuid", args=[endpoint.djstripe_uuid]
        )
        url = f"{settings.PUBLIC_BASE_URL}{path}"
        if endpoint.url != url:
            endpoint.url = url
            endpoint.save(update_fields=["url"])
        verb = "Registered" if created else "Updated"
        self.stdout.write(f"{verb} webhook endpoint {stripe_id}: {url}")
