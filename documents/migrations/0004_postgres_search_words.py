"""PostgreSQL search structures chosen by measurement (docs/benchmarks.md; nothing elsewhere).

* Text search matches words (`Document.objects.search_text`): a stored generated tsvector
  column `search_words` (the folded `search_text`'s runs of letters and digits) with a GIN
  index. It replaces the trigram index on `search_text`: trigrams of common syllables
  ("ong", "anh") have posting lists as long as the table and the planner cannot estimate
  an AND of LIKE patterns, so a phrase like "giai phong mat bang" read and sorted every
  match. The column is stored so that the list-order index scan can test it cheaply, and
  its word statistics let the planner choose that scan for common words and the GIN index
  for rare ones. It lives outside the Django model (`documents.text_search` reads it), so
  other databases need no tsvector.
* The number search's letters-joined fallback ("134 UBKT TU" for 134-CV/UBKTTU) looks for a
  substring of `symbol_compact`: a trigram GIN index serves it when the query has no serial.
"""

from django.db import migrations

WORDS_COLUMN = "search_words"
WORDS_EXPRESSION = (
    "to_tsvector('simple'::regconfig, regexp_replace(search_text, '[^a-z0-9]+', ' ', 'g'))"
)
WORDS_INDEX = "documents_document_search_words"
COMPACT_INDEX = "documents_document_symbol_compact_trgm"
OLD_TEXT_INDEX = "documents_document_search_text_trgm"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"ALTER TABLE documents_document ADD COLUMN IF NOT EXISTS {WORDS_COLUMN} tsvector "
        f"GENERATED ALWAYS AS ({WORDS_EXPRESSION}) STORED"
    )
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {WORDS_INDEX} ON documents_document "
        f"USING gin ({WORDS_COLUMN})"
    )
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {COMPACT_INDEX} ON documents_document "
        "USING gin (symbol_compact gin_trgm_ops)"
    )
    schema_editor.execute(f"DROP INDEX IF EXISTS {OLD_TEXT_INDEX}")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {OLD_TEXT_INDEX} ON documents_document "
        "USING gin (search_text gin_trgm_ops)"
    )
    schema_editor.execute(f"DROP INDEX IF EXISTS {COMPACT_INDEX}")
    schema_editor.execute(f"ALTER TABLE documents_document DROP COLUMN IF EXISTS {WORDS_COLUMN}")


class Migration(migrations.Migration):
    dependencies = [("documents", "0003_postgres_search_indexes")]

    operations = [migrations.RunPython(create, drop)]
