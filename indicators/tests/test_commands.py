import pytest
from django.core.management import CommandError, call_command

from indicators.models import Value
from indicators.tests.factories import make_indicator

pytestmark = pytest.mark.django_db

HEADER = "indicator_code,period_kind,period_start,period_end,value_kind,value,status,source,note\n"


@pytest.fixture
def csv_file(tmp_path):
    def write(text):
        path = tmp_path / "values.csv"
        path.write_text(text, encoding="utf-8")
        return path

    return write


def test_imports(csv_file, capsys):
    make_indicator(code="grdp-growth")
    path = csv_file(HEADER + 'grdp-growth,half_year,2025-01-01,2025-06-30,actual,"7,63",,,\n')
    call_command("import_indicator_values", str(path))
    assert "1 new" in capsys.readouterr().out
    assert Value.objects.count() == 0, "waits for a publisher without --publish"
    assert Value.all_objects.get().pending
    call_command("import_indicator_values", str(path), "--publish")
    assert Value.objects.count() == 1


def test_dry_run(csv_file, capsys):
    make_indicator(code="grdp-growth")
    path = csv_file(HEADER + "grdp-growth,half_year,2025-01-01,2025-06-30,actual,7.63,,,\n")
    call_command("import_indicator_values", str(path), "--dry-run")
    assert "Dry run" in capsys.readouterr().out
    assert not Value.objects.exists()


def test_bad_rows_are_listed_and_nothing_stored(csv_file, capsys):
    make_indicator(code="grdp-growth")
    path = csv_file(
        HEADER
        + "grdp-growth,half_year,2025-01-01,2025-06-30,actual,7.63,,,\n"
        + "nope,half_year,2025-01-01,2025-06-30,actual,7.63,,,\n"
        + "grdp-growth,half_year,2025-01-01,2025-06-30,scenario,abc,,,\n"
    )
    with pytest.raises(CommandError, match="2 bad row"):
        call_command("import_indicator_values", str(path))
    errors = capsys.readouterr().err
    assert "Dòng 3:" in errors and "nope" in errors
    assert "Dòng 4:" in errors and "abc" in errors
    assert not Value.objects.exists()


def test_missing_file(tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_indicator_values", str(tmp_path / "none.csv"))
