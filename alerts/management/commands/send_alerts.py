from django.core.management.base import BaseCommand, CommandError

from alerts.sending import send_alerts


class Command(BaseCommand):
    help = (
        "Mail every due email alert: new changes of the followed lists and records, at once "
        "or as the daily digest. Run it every few minutes (README, “Email alerts”); a change "
        "is never mailed twice to one subscription, even after a killed run."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--origin",
            required=True,
            help="the portal's public address for the links in the mails, e.g. "
            "https://portal.example.gov.vn",
        )

    def handle(self, *args, origin, **options):
        origin = origin.rstrip("/")
        if not origin.startswith(("https://", "http://")):
            raise CommandError("--origin must be an address such as https://portal.example.gov.vn")
        report = send_alerts(origin=origin)
        if options["verbosity"] > 0:
            self.stdout.write(
                f"{report.mailed} mail(s) sent with {report.changes} change(s); "
                f"{report.failed} not sent (tried again next run); "
                f"{report.purged} unconfirmed subscription(s) expired and deleted."
            )
        if report.failed:
            raise CommandError(f"{report.failed} mail(s) could not be sent; see the log.")
