"""PostgreSQL indexes for the number and text searches (nothing on other databases).

`search_key` (" 341 KH TU ") and `search_text` (folded number, title and text) are searched
with LIKE '%…%' (Django's `__contains`); a trigram GIN index serves those without a scan.
The serial has a plain btree index from the model. The list's order (newest first,
undated last) gets a matching btree so a page is read from the index, not sorted.
"""

from django.db import migrations

INDEXES = [
    ("documents_document_search_key_trgm", "search_key"),
    ("documents_document_search_text_trgm", "search_text"),
]


LIST_INDEX = "documents_document_list_order"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {LIST_INDEX} ON documents_document "
        "(issued_on DESC NULLS LAST, id DESC)"
    )
    for name, column in INDEXES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON documents_document "
            f"USING gin ({column} gin_trgm_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in [LIST_INDEX, *(name for name, _column in INDEXES)]:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("documents", "0002_document_types")]

    operations = [migrations.RunPython(create, drop)]
