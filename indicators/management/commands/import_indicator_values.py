from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ...services import MAX_ROWS, import_values


class Command(BaseCommand):
    help = (
        f"Import indicator values from a CSV or XLSX file of at most {MAX_ROWS:,} rows, "
        "all rows or none. "
        "Columns: indicator_code, period_kind, period_start, period_end, value_kind, value, "
        "vintage, vintage_date, source, note (see indicators/services.py)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "path",
            type=Path,
            help="CSV file (UTF-8, header row) or .xlsx workbook (its first sheet)",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="check every row, store nothing"
        )
        parser.add_argument(
            "--publish",
            action="store_true",
            help="show the figures at once and allow changing published ones; without it "
            "they wait for a publisher in the admin",
        )

    def handle(self, *args, path: Path, dry_run: bool, publish: bool, verbosity: int, **options):
        try:
            content = path.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}") from error
        result = import_values(content=content, dry_run=dry_run, publish=publish)
        if not result.ok:
            for error in result.errors:
                self.stderr.write(str(error))
            raise CommandError(f"{len(result.errors)} bad row(s) in {path}; nothing was imported.")
        summary = (
            f"{result.rows} row(s): {result.created} new, {result.updated} updated, "
            f"{result.unchanged} unchanged, {result.periods_created} new period(s)"
        )
        if dry_run:
            self.stdout.write(self.style.WARNING(f"Dry run, nothing stored. {summary}."))
        elif verbosity >= 1:
            self.stdout.write(self.style.SUCCESS(f"Imported {summary}."))
