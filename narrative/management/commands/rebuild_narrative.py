"""Rebuild Capital Narratif projections from the events."""

from django.core.management.base import BaseCommand

from narrative import services
from narrative.management.commands._users import user_from_option


class Command(BaseCommand):
    help = "Recompute the Capital Narratif of one user (--user) or of every user."

    def add_arguments(self, parser):
        parser.add_argument("--user", help="rebuild this user's projection (UUID)")

    def handle(self, *args, **options):
        user = user_from_option(options["user"])

        def progress(done, total, user_id, last_seq):
            self.stdout.write(f"[{done}/{total}] {user_id}: {last_seq} event(s)")

        count = services.rebuild_capital(user=user, progress=progress)
        self.stdout.write(self.style.SUCCESS(f"Rebuilt {count} projection(s)."))
