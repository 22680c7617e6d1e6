import hashlib
import posixpath

from django.core.files.storage import storages
from django.core.management.base import BaseCommand
from django.db import DEFAULT_DB_ALIAS, connections

# The health probe's scratch files come and go (portal/health.py): not data.
SCRATCH = "health_check_storage_test"


class Command(BaseCommand):
    help = (
        "Print what a backup must bring back, one sorted line each: every database table "
        "with its row count, every stored file (attachments, on disk or in the bucket) with "
        "its size and SHA-256. Run it on a source and on its restored copy, then diff "
        "(ops/restore_drill.sh)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="database alias")

    def handle(self, *args, database, **options):
        connection = connections[database]
        with connection.cursor() as cursor:
            for table in sorted(connection.introspection.table_names(cursor)):
                cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
                self.stdout.write(f"table {table} {cursor.fetchone()[0]}")
        storage = storages["default"]
        for name in sorted(stored_files(storage)):
            digest = hashlib.sha256()
            with storage.open(name, "rb") as stored:
                for chunk in stored.chunks():
                    digest.update(chunk)
            self.stdout.write(f"file {name} {storage.size(name)} {digest.hexdigest()}")


def stored_files(storage, folder=""):
    """Every file's name in the storage; none when its folder does not exist yet (nothing
    was ever uploaded to a disk storage)."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in files:
        yield posixpath.join(folder, name)
    for sub in folders:
        if not (folder == "" and sub == SCRATCH):
            yield from stored_files(storage, posixpath.join(folder, sub))
