"""Migrations freeze what they need: none imports the project's own code, so changing the
code never changes what an old migration does (docs: STYLE.md, "a migration freezes what it
needs"). The only exceptions are the references Django's autodetector writes and compares
itself: a file field's upload path, a field's validator and an index's class."""

from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]
APPS = ["documents", "indicators", "meetings", "portal", "projects"]
AUTODETECTOR_REFERENCES = {
    "documents/migrations/0001_initial.py": {"import documents.models"},
    "documents/migrations/0014_word_search_indexes.py": {"import documents.indexes"},
    "projects/migrations/0001_initial.py": {"import projects.geometry"},
}


@pytest.mark.parametrize(
    "migration",
    sorted(
        str(path.relative_to(BASE_DIR))
        for app in APPS
        for path in (BASE_DIR / app / "migrations").glob("[0-9]*.py")
    ),
)
def test_a_migration_imports_no_app_code(migration):
    imports = {
        line.strip()
        for line in (BASE_DIR / migration).read_text().splitlines()
        if line.strip().startswith(("import ", "from "))
        and line.strip().split()[1].split(".")[0] in APPS
    }
    assert imports <= AUTODETECTOR_REFERENCES.get(migration, set())
