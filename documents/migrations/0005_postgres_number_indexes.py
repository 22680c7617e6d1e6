"""PostgreSQL covering indexes for the number search (docs/benchmarks.md; nothing elsewhere).

`search_number` reads candidates newest first as (pk, number, issued_on), filtered on the
serial, the year and the symbol (`search_key`, `symbol_compact`) of published public
numbered documents. These two indexes hold every one of those columns, so the reads are
index-only scans in list order that stop after the first batch:

* by serial ("341", "kh 341", "341 KH TU"): (serial, list order);
* without serial ("KH/TU"): list order alone, the symbol tested on the index tuples instead
  of on table rows (at 1,000,000 rows such a query reads about 18,000 tuples).
"""

from django.db import migrations

INCLUDED = "number, number_year, search_key, symbol_compact, status, visibility"
INDEXES = {
    "documents_document_number_by_serial": "serial, issued_on DESC NULLS LAST, id DESC",
    "documents_document_number_by_date": "issued_on DESC NULLS LAST, id DESC",
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, columns in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON documents_document ({columns}) "
            f"INCLUDE ({INCLUDED}) WHERE display <> ''"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("documents", "0004_postgres_search_words")]

    operations = [migrations.RunPython(create, drop)]
