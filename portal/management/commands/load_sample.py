import importlib
import importlib.util

from django.core.management.base import BaseCommand
from django.db import transaction

from portal import sample

# Shared records first: every area's sample refers to the bodies and people; documents
# before the meetings that cite them and the projects they approve; the change log last,
# once every record it tells of exists.
SAMPLE_MODULES = ["portal", "documents", "meetings", "indicators", "projects", "changes"]


class Command(BaseCommand):
    help = (
        "Load a sample year of invented records of every kind (meetings with votes, "
        "indicator series with revisions, projects with progress, map shapes and changes, "
        "a few hundred documents, the public change log), marked so "
        "that every page says 'Dữ liệu mẫu' and `--remove` takes exactly them out. Never "
        "real data: keep it off a production register. Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--remove",
            action="store_true",
            help="Delete the sample's rows; rows staff records depend on are kept and named.",
        )

    def handle(self, *args, remove=False, **options):
        if remove:
            self._remove(options["verbosity"])
            return
        with transaction.atomic():
            for app in SAMPLE_MODULES:
                module = f"{app}.sample"
                if app != "portal" and importlib.util.find_spec(module) is None:
                    continue
                counts = importlib.import_module(module).load()
                skipped = counts.pop("skipped", [])
                if options["verbosity"] >= 1:
                    summary = ", ".join(f"{n} {what}" for what, n in counts.items())
                    self.stdout.write(f"{app}: {summary}")
                    for record in skipped:
                        self.stdout.write(
                            self.style.WARNING(f"  skipped {record}: already in the register")
                        )
        sample.remember(sample.in_database())
        self.stdout.write(self.style.SUCCESS("Sample data loaded (pages say 'Dữ liệu mẫu')."))

    def _remove(self, verbosity):
        with transaction.atomic():
            result = sample.remove()
        if verbosity >= 1:
            for label, n in result["removed"].items():
                if n:
                    self.stdout.write(f"{label}: {n} removed")
            for row in result["kept"]:
                self.stdout.write(
                    self.style.WARNING(f"  kept {row}: records staff added depend on it")
                )
        self.stdout.write(self.style.SUCCESS("Sample data removed."))
