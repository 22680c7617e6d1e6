"""The issuer's names join each document's `search_text` (`Document.searchable_text`), so
that `ha noi`, `thanh uy` or `hoi dong nhan dan` find what a body issued. The names are
folded with the rules as they stand today, frozen below, and appended to the stored text by
one UPDATE per issuer (the text is the same as `searchable_text()` gives: the names come
last); PostgreSQL's generated `search_words` column and the GIN indexes follow by
themselves. Every document is rewritten: at 1M documents, run it in a quiet hour."""

import re
import unicodedata

from django.db import migrations, models
from django.db.models.functions import Concat, Left, Length

_D_LOOKALIKES = str.maketrans({"Ð": "Đ", "ð": "đ", "Ɖ": "Đ", "ɖ": "đ"})
_D_TO_ASCII = str.maketrans({"Đ": "D", "đ": "d"})


def _fold(text):
    """portal.text.fold as of this migration."""
    text = unicodedata.normalize("NFKC", text).translate(_D_LOOKALIKES)
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")
    text = unicodedata.normalize("NFC", text).translate(_D_TO_ASCII)
    decomposed = unicodedata.normalize("NFKD", text)
    ascii_text = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return re.sub(r"\s+", " ", ascii_text).strip().lower()


def _issuers(apps, alias):
    """(documents of each issuer, its folded names) for every issuer with a name."""
    Document = apps.get_model("documents", "Document")
    Organization = apps.get_model("portal", "Organization")
    for pk, name, short_name in Organization.objects.using(alias).values_list(
        "pk", "name", "short_name"
    ):
        if words := _fold(f"{name} {short_name}"):
            yield Document.objects.using(alias).filter(issuer_id=pk), words


def rebuild(apps, schema_editor):
    for documents, words in _issuers(apps, schema_editor.connection.alias):
        documents.update(
            search_text=models.Case(
                models.When(search_text="", then=models.Value(words)),
                default=Concat("search_text", models.Value(f" {words}")),
                output_field=models.TextField(),
            )
        )


def rebuild_without_issuer(apps, schema_editor):
    for documents, words in _issuers(apps, schema_editor.connection.alias):
        documents.filter(search_text=words).update(search_text="")
        documents.filter(search_text__endswith=f" {words}").update(
            search_text=Left("search_text", Length("search_text") - len(words) - 1)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0015_symbol_serial_index"),
        ("portal", "0002_importjob"),
    ]

    operations = [migrations.RunPython(rebuild, rebuild_without_issuer, elidable=False)]
