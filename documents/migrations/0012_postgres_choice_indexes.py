"""PostgreSQL indexes for the filters' choice lists (`documents.filters.used_by`).

The list, its feeds and the API offer a document type or an issuer only when a document
the viewer may see uses it: an EXISTS probe per type and per issuer. With the plain
foreign-key indexes, a type or issuer that only internal or draft documents use costs a
read of every one of those rows (about 30 ms for 15,000 of them); these partial indexes,
on published documents only and holding the visibility, answer each probe in one step,
for anonymous visitors (`visibility = 'public'`) and for readers of internal documents
alike. They also serve the `type=` and `issuer=` filters themselves.

Topics go through the link table, which holds no status: a topic that only hidden
documents use still costs one index probe per link (a few milliseconds per thousand).
"""

from django.db import migrations

INDEXES = {
    "documents_document_published_by_type": "document_type_id, visibility",
    "documents_document_published_by_issuer": "issuer_id, visibility",
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, columns in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON documents_document ({columns}) "
            "WHERE status = 'published'"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("documents", "0011_pending_children")]

    operations = [migrations.RunPython(create, drop)]
