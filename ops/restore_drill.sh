#!/usr/bin/env bash
# Restore drill (README, "Backups and restore"). Backs up the PostgreSQL database named by
# DATABASE_URL and the attachments (folder or bucket) with django-dbbackup, restores them
# into a new database and a scratch folder, then checks that every table has as many rows
# and every file the same bytes (`manage.py data_manifest`, diffed), and that a published
# document's page is served from the copy. The source is only read; the copy and the scratch
# folder are removed at the end. Any difference or error fails with a non-zero exit.
set -euo pipefail
cd "$(dirname "$0")/.."

source_url="${DATABASE_URL:?set DATABASE_URL to the PostgreSQL database to drill}"
case "$source_url" in
  postgres://* | postgresql://*) ;;
  *) echo "restore drill: DATABASE_URL must be a PostgreSQL database" >&2; exit 2 ;;
esac
address="${source_url%%\?*}"                 # without ?options, kept for the copy below
copy="$(basename "$address")_drill_$$"
copy_url="${address%/*}/${copy}${source_url#"$address"}"
work="$(mktemp -d)"
trap 'dropdb --maintenance-db="$source_url" --if-exists "$copy"; rm -rf "$work"' EXIT
export PORTAL_BACKUP_DIR="$work/backups"
manage() { .venv/bin/python manage.py "$@"; }
# The copy: the new database, attachments restored into the scratch folder, never the bucket.
copy_manage() {
  env -u DJANGO_S3_BUCKET DATABASE_URL="$copy_url" DJANGO_MEDIA_ROOT="$work/media" \
    .venv/bin/python manage.py "$@"
}
started=$SECONDS

echo "== restore drill: back up the database and the attachments"
manage dbbackup --noinput --quiet --output-filename drill.psql.bin
manage mediabackup --noinput --quiet --output-filename drill-media.tar
manage data_manifest > "$work/source.txt"

echo "== restore drill: restore them into the new database $copy"
createdb --maintenance-db="$source_url" "$copy"
copy_manage dbrestore --noinput --quiet --input-filename drill.psql.bin
copy_manage mediarestore --noinput --quiet --input-filename drill-media.tar
copy_manage data_manifest > "$work/copy.txt"

echo "== restore drill: compare every table's rows and every file"
if ! diff -u "$work/source.txt" "$work/copy.txt"; then
  echo "restore drill FAILED: the restored copy differs from its source (above)" >&2
  exit 1
fi
if ! grep -q '^table documents_document [1-9]' "$work/copy.txt"; then
  echo "restore drill FAILED: no document in the source, nothing was proven" >&2
  exit 1
fi
echo "$(grep -c '^table ' "$work/copy.txt") tables and $(grep -c '^file ' "$work/copy.txt") files alike"

echo "== restore drill: serve a published document's page from the copy"
copy_manage shell --no-imports -c '
import sys
from django.conf import settings
from django.test import Client, override_settings
from django.utils.html import escape
from documents.models import Document

document = Document.objects.published().public().order_by("pk").first()
if document is None:
    sys.exit("restore drill FAILED: no published public document in the copy")
host = next((h.lstrip(".") for h in settings.ALLOWED_HOSTS if h != "*"), "localhost")
# Static files by name: the hashed manifest exists only after collectstatic.
plain = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
with override_settings(STORAGES={**settings.STORAGES, "staticfiles": plain}):
    response = Client(HTTP_HOST=host).get(document.get_absolute_url(), secure=True)
if response.status_code != 200 or escape(document.title) not in response.content.decode():
    sys.exit(f"restore drill FAILED: {document.get_absolute_url()} {response.status_code}")
print(f"{document.get_absolute_url()} 200: {document.number}, {document.title}")
'
echo "== restore drill passed in $((SECONDS - started)) s"
