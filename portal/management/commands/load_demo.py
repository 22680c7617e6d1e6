import importlib
import importlib.util

from django.core.management.base import BaseCommand
from django.db import transaction

# Shared records first: every area's demo refers to the bodies and people.
DEMO_MODULES = ["portal", "documents", "meetings", "indicators", "projects"]


class Command(BaseCommand):
    help = (
        "Load the demo content (the 23rd conference of the Hanoi City Party Executive "
        "Committee, term XVII). Safe to run again, and on any register: it changes only "
        "the rows it created; a demo record the register already holds as a row the demo "
        "did not create (a document with the same number and issuer) is skipped and named."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Load inside a transaction, then roll back."
        )

    def handle(self, *args, dry_run=False, **options):
        with transaction.atomic():
            for app in DEMO_MODULES:
                if importlib.util.find_spec(f"{app}.demo") is None:
                    continue
                counts = importlib.import_module(f"{app}.demo").load()
                skipped = counts.pop("skipped", [])
                if options["verbosity"] >= 1:
                    summary = ", ".join(f"{n} {what}" for what, n in counts.items())
                    self.stdout.write(f"{app}: {summary}")
                    for record in skipped:
                        self.stdout.write(
                            self.style.WARNING(
                                f"  skipped {record}: already in the register, not made by "
                                "the demo; left as it is"
                            )
                        )
            if dry_run:
                transaction.set_rollback(True)
                self.stdout.write(self.style.WARNING("Dry run: nothing was saved."))
                return
        self.stdout.write(self.style.SUCCESS("Demo content loaded."))
