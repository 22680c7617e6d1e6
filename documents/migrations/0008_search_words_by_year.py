"""The GIN index of the text search's words tagged with their issue year (docs/benchmarks.md,
"Text search"; PostgreSQL only).

The first 1,001 matches of a phrase in list order were found by walking the list, up to
50,000 rows at 1,000,000 documents for a phrase in one document of 25, or through the
words' GIN index (0004), which reads every match. With each word tagged with its year
("lich@2025"; "lich@" undated), `text_search.TextMatches` reads a year, then two, four …
at a time, newest first, and stops when it has enough. Building the index takes about
90 s per 1,000,000 documents.
"""

from django.db import migrations

INDEX = "documents_document_search_words_by_year"
# As `text_search.DATED_WORDS`; the planner matches the expressions, not their text.
YEAR_TAG = "'@' || coalesce(extract(year FROM issued_on)::int::text, '')"
WORDS = (
    "regexp_replace(regexp_replace(search_text, '[^a-z0-9]+', ' ', 'g'), "
    "'[a-z0-9]{255}[a-z0-9]+', '', 'g')"
)
DATED_WORDS = f"string_to_array(replace(btrim({WORDS}), ' ', {YEAR_TAG} || ' ') || {YEAR_TAG}, ' ')"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON documents_document USING gin (({DATED_WORDS}))"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("documents", "0007_number_words_by_year")]

    operations = [migrations.RunPython(create, drop)]
