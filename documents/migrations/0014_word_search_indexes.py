"""The GIN indexes of the searches by words declared on `Document.Meta.indexes`
(`documents.word_search`; PostgreSQL only, nothing on other databases).

Migrations 0006, 0007 and 0009 created them with raw SQL that had to match the queries'
SQL. The model now declares them from the expressions the queries use, so here:

* the index of the text's words by date (0009) is the same expression: renamed only,
  instantly (its build takes about a minute per 1,000,000 documents);
* the two indexes of the number words (0006, 0007) are rebuilt: same expressions, but
  Django writes their condition `NOT (display = '')` as the queries do, where the raw SQL
  said `display <> ''`. About 10 s per 1,000,000 documents (docs/benchmarks.md).

The expressions are frozen below as they were written when this migration was made.
"""

from django.contrib.postgres.fields import ArrayField
from django.db import migrations, models
from django.db.models.functions import Cast, Coalesce, ExtractMonth, ExtractYear

import documents.indexes


def _concat(*parts, output_field=None):
    return models.Func(
        *parts,
        template="(%(expressions)s)",
        arg_joiner=" || ",
        output_field=output_field or models.TextField(),
    )


_YEAR = Cast(ExtractYear("issued_on"), models.IntegerField())
_MONTH = Cast(ExtractMonth("issued_on"), models.IntegerField())
_YEAR_TAG = (models.Value("@"), Coalesce(Cast(_YEAR, models.TextField()), models.Value("")))
_WORD_LIST = ArrayField(models.TextField())


def _tagged(words):
    spaced = models.Func(
        models.Func(words, function="btrim"),
        models.Value(" "),
        _concat(*_YEAR_TAG, models.Value(" ")),
        function="replace",
    )
    return models.Func(
        _concat(spaced, *_YEAR_TAG),
        models.Value(" "),
        function="string_to_array",
        output_field=_WORD_LIST,
    )


def _regexp_replace(text, pattern, replacement):
    return models.Func(
        text,
        models.Value(pattern),
        models.Value(replacement),
        models.Value("g"),
        function="regexp_replace",
    )


NUMBERED = ~models.Q(display="")
TEXT_BY_DATE = documents.indexes.PostgresGinIndex(
    _concat(
        _tagged(
            _regexp_replace(
                _regexp_replace("search_text", "[^a-z0-9]+", " "), "[a-z0-9]{255}[a-z0-9]+", ""
            )
        ),
        _concat(
            models.Value("@m"),
            Coalesce(Cast(_YEAR * 100 + _MONTH, models.TextField()), models.Value("")),
        ),
        output_field=_WORD_LIST,
    ),
    name="documents_text_words_by_date",
)
NUMBER_WORDS = documents.indexes.PostgresGinIndex(
    models.Func(
        models.Func("search_key", function="btrim"),
        models.Value(" "),
        function="string_to_array",
        output_field=_WORD_LIST,
    ),
    name="documents_number_words",
    condition=NUMBERED,
)
NUMBER_BY_DATE = documents.indexes.PostgresGinIndex(
    _tagged("search_key"), name="documents_number_words_by_date", condition=NUMBERED
)

OLD_TEXT_BY_DATE = "documents_document_search_words_by_year"
# The number indexes of 0006 and 0007, as they created them.
OLD_YEAR_TAG = "'@' || coalesce(extract(year FROM issued_on)::int::text, '')"
OLD_NUMBER_INDEXES = {
    "documents_document_number_words": "string_to_array(btrim(search_key), ' ')",
    "documents_document_number_words_by_year": (
        f"string_to_array(replace(btrim(search_key), ' ', {OLD_YEAR_TAG} || ' ') "
        f"|| {OLD_YEAR_TAG}, ' ')"
    ),
}


def rename(old, new):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f"ALTER INDEX IF EXISTS {old} RENAME TO {new}")

    return run


def drop_old_number_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name in OLD_NUMBER_INDEXES:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


def create_old_number_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name, expression in OLD_NUMBER_INDEXES.items():
            schema_editor.execute(
                f"CREATE INDEX IF NOT EXISTS {name} ON documents_document "
                f"USING gin (({expression})) WHERE display <> ''"
            )


class Migration(migrations.Migration):
    dependencies = [("documents", "0013_register_indexes")]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunPython(
                    rename(OLD_TEXT_BY_DATE, TEXT_BY_DATE.name),
                    rename(TEXT_BY_DATE.name, OLD_TEXT_BY_DATE),
                )
            ],
            state_operations=[migrations.AddIndex(model_name="document", index=TEXT_BY_DATE)],
        ),
        migrations.RunPython(drop_old_number_indexes, create_old_number_indexes),
        migrations.AddIndex(model_name="document", index=NUMBER_WORDS),
        migrations.AddIndex(model_name="document", index=NUMBER_BY_DATE),
    ]
