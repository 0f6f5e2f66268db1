"""Check the event chains; exit 1 naming the first broken event."""

from django.core.management.base import BaseCommand

from narrative import verification
from narrative.management.commands._users import user_from_option


class Command(BaseCommand):
    help = (
        "Verify narrative event streams: seqs without gaps, prev_hash links, "
        "payload digests and hashes. Exit 1 naming the first broken event."
    )

    def add_arguments(self, parser):
        parser.add_argument("--user", help="verify this user's stream only (UUID)")

    def handle(self, *args, **options):
        user = user_from_option(options["user"])
        report = verification.verify(user=user)
        for problem in report.problems:
            self.stderr.write(self.style.ERROR(problem.message))
        summary = f"{report.streams} stream(s), {report.events} event(s) read"
        if report.problems:
            first = report.problems[0]
            self.stderr.write(
                f"{summary}; {len(report.problems)} broken stream(s). "
                f"First broken event: {first.event_id or first.stream}."
            )
            raise SystemExit(1)
        self.stdout.write(self.style.SUCCESS(f"{summary}; all chains verify."))
