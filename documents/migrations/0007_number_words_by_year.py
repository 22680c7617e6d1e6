"""The GIN index of the number words tagged with their issue year (docs/benchmarks.md,
"Number search"; PostgreSQL only).

A symbol typed without a serial ("GM/QU") whose numbers are too sparse among the newest
to be found by walking the list order was read through the words' GIN index (0006): every
one of its numbers fetched from the table to keep the newest 60, 2,100 rows for GM/QU at
1,000,000 documents. With each word tagged with its year ("GMQU@2026"; "GMQU@" undated),
`number_search._SymbolRows` reads a year or a few at a time, newest first, and stops when
it has enough. Building the index takes about 6 s per 1,000,000 documents, and the
ANALYZE that follows (a sample of the table) a few seconds.
"""

from django.db import migrations

INDEX = "documents_document_number_words_by_year"
# As `number_search.DATED_WORDS`; the planner matches the expressions, not their text.
YEAR_TAG = "'@' || coalesce(extract(year FROM issued_on)::int::text, '')"
DATED_WORDS = (
    f"string_to_array(replace(btrim(search_key), ' ', {YEAR_TAG} || ' ') || {YEAR_TAG}, ' ')"
)


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON documents_document "
            f"USING gin (({DATED_WORDS})) WHERE display <> ''"
        )
        # The statistics of the words' index (0006) choose how a symbol is read; without
        # them every symbol counts as rare until autovacuum analyses the table.
        schema_editor.execute("ANALYZE documents_document")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("documents", "0006_number_words")]

    operations = [migrations.RunPython(create, drop)]
