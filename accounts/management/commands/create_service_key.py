"""Create an API key for a satellite back end; the key is printed once."""

from django.core.management.base import BaseCommand, CommandError

from accounts import services
from accounts.models import AppSource, Scope


class Command(BaseCommand):
    help = (
        "Create a service client and print its API key (shown only once). "
        "Example: create_service_key 'Phoenix CV backend' --app cv "
        "--scopes energy:write,narrative:write"
    )

    def add_arguments(self, parser):
        parser.add_argument("name")
        parser.add_argument("--app", required=True, choices=AppSource.values)
        parser.add_argument(
            "--scopes",
            required=True,
            help=f"comma-separated, among: {', '.join(Scope.values)}",
        )

    def handle(self, *args, name, app, scopes, **options):
        wanted = [scope.strip() for scope in scopes.split(",") if scope.strip()]
        try:
            client, key = services.create_service_client(
                name=name, app_source=app, scopes=wanted
            )
        except services.AccountError as error:
            raise CommandError(f"{error} (valid: {', '.join(Scope.values)})") from None
        self.stderr.write(
            f"Created {client.name} ({client.app_source}) with scopes "
            f"{', '.join(client.scopes)}. Store this key now; it is not kept:"
        )
        self.stdout.write(key)
