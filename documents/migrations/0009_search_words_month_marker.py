"""A month marker in the GIN index of the words tagged with their issue year (0008;
docs/benchmarks.md, "Text search"; PostgreSQL only).

A phrase in a few documents of a hundred has thousands of matches in its newest year at
1,000,000 documents, all fetched from the table to keep the newest 1,001: 8,000 rows and
10 ms for "to cong tac". Each document's array now also holds its issue month ("@m202611";
"@m" undated), so `text_search.TextMatches` reads its newest months first, fetching only
their matches (1,300 rows and 2 ms). Rebuilding the index takes about a minute per
1,000,000 documents, during which the table takes no writes.
"""

from django.db import migrations

INDEX = "documents_document_search_words_by_year"
# As `text_search.DATED_WORDS`; the planner matches the expressions, not their text.
YEAR_TAG = "'@' || coalesce(extract(year FROM issued_on)::int::text, '')"
MONTH_MARKER = (
    "'@m' || coalesce((extract(year FROM issued_on)::int * 100 "
    "+ extract(month FROM issued_on)::int)::text, '')"
)
WORDS = (
    "regexp_replace(regexp_replace(search_text, '[^a-z0-9]+', ' ', 'g'), "
    "'[a-z0-9]{255}[a-z0-9]+', '', 'g')"
)
YEAR_TAGGED = f"string_to_array(replace(btrim({WORDS}), ' ', {YEAR_TAG} || ' ') || {YEAR_TAG}, ' ')"


def rebuild(expression):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")
            schema_editor.execute(
                f"CREATE INDEX {INDEX} ON documents_document USING gin (({expression}))"
            )

    return run


class Migration(migrations.Migration):
    dependencies = [("documents", "0008_search_words_by_year")]

    operations = [
        migrations.RunPython(
            rebuild(f"{YEAR_TAGGED} || ({MONTH_MARKER})"), rebuild(YEAR_TAGGED)
        )
    ]
