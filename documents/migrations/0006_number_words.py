"""The number search's words (docs/benchmarks.md, "Number search").

`search_key` now holds every word a number search finds a number by (serial, year, symbol
tokens, runs of tokens joined, "CV" for a State công văn; `numbering._search_key`), so
that the database alone decides which numbers can match, including "cv 2237" (a State
công văn) and "UBKT TU" (UBKTTU), which it used to leave to Python on up to 500 rows.
The words are tested on the covering indexes' tuples (0005), and on PostgreSQL a GIN
index of them finds every number of a rare symbol typed without a serial
(`number_search._SymbolRows`: "CTR/UBKTTU" read 546,000 index tuples, 154 ms, at 1,000,000).

The trigram indexes on `search_key` and `symbol_compact` are dropped: the number search
no longer uses them, and where PostgreSQL did (a serial's rows ANDed with the posting
lists of " KH " and " TU "), it was the slow plan. Filling the words takes about 55 s per
100,000 numbered documents.
"""

from django.db import migrations, models

from documents.numbering import NumberError, parse_number

WORDS_INDEX = "documents_document_number_words"
WORDS = "string_to_array(btrim(search_key), ' ')"  # as `number_search.WORDS`
TRIGRAM_INDEXES = {
    "documents_document_search_key_trgm": "search_key",
    "documents_document_symbol_compact_trgm": "symbol_compact",
}


BATCH = 2000


def fill_words(apps, schema_editor):
    """Written a batch at a time, so that a large register is never held in memory."""
    document = apps.get_model("documents", "Document")
    changed = []
    for row in document.objects.exclude(display="").only("pk", "number").iterator(BATCH):
        try:
            row.search_key = f" {parse_number(row.number).search_key} "
        except NumberError:
            continue
        changed.append(row)
        if len(changed) == BATCH:
            document.objects.bulk_update(changed, ["search_key"])
            changed = []
    document.objects.bulk_update(changed, ["search_key"])


def index_words(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in TRIGRAM_INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {WORDS_INDEX} ON documents_document "
        f"USING gin (({WORDS})) WHERE display <> ''"
    )


def unindex_words(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {WORDS_INDEX}")
    for name, column in TRIGRAM_INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON documents_document "
            f"USING gin ({column} gin_trgm_ops)"
        )


class Migration(migrations.Migration):
    dependencies = [("documents", "0005_postgres_number_indexes")]

    operations = [
        migrations.AlterField(
            model_name="document",
            name="search_key",
            field=models.CharField(
                blank=True, default="", max_length=500, verbose_name="khóa tìm số"
            ),
        ),
        migrations.AlterField(
            model_name="historicaldocument",
            name="search_key",
            field=models.CharField(
                blank=True, default="", max_length=500, verbose_name="khóa tìm số"
            ),
        ),
        migrations.RunPython(fill_words, migrations.RunPython.noop),
        migrations.RunPython(index_words, unindex_words),
    ]
