"""The values import from an Excel workbook: number cells as exact decimals, date cells
as dates, formulas refused, Excel row numbers; through the admin's preview (counts to
add, update and leave, nothing stored until "Nhập thật") and the command."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from portal.models import ImportJob
from portal.tests.factories import make_staff
from portal.tests.workbooks import xlsx

from ..models import Value, ValueKind
from ..periods import PeriodKind
from ..services import import_values
from .factories import make_indicator, make_period, make_value

pytestmark = pytest.mark.django_db
IMPORT = reverse("admin:indicators_value_import")
HEADER = (
    "indicator_code",
    "period_kind",
    "period_start",
    "period_end",
    "value_kind",
    "value",
    "status",
    "source",
    "note",
)
Q2 = (datetime.date(2025, 4, 1), datetime.date(2025, 6, 30))
GOOD = (
    # Vietnamese labels, date cells, a float cell that is 7.63 only in decimal.
    ("grdp-growth", "Quý", *Q2, "Thực hiện", 7.63, "official", "Cục Thống kê", None),
    # Datetime cells, an integer cell, a decimal typed as text with a comma.
    (
        "grdp-growth",
        "quarter",
        datetime.datetime(2025, 4, 1),
        datetime.datetime(2025, 6, 30),
        "target",
        8,
        None,
        None,
        None,
    ),
    ("grdp-growth", "quarter", "01/04/2025", "30/06/2025", "scenario", "8,25", None, None, None),
)


@pytest.fixture
def grdp():
    return make_indicator(code="grdp-growth")


@pytest.fixture
def editor(client):
    user = make_staff(
        "indicators.add_value",
        "indicators.change_value",
        "indicators.view_value",
    )
    client.force_login(user)
    return user


def test_good_rows_with_date_and_decimal_cells(grdp):
    result = import_values(content=xlsx(HEADER, *GOOD), publish=True)
    assert result.ok, [str(e) for e in result.errors]
    assert (result.created, result.periods_created) == (3, 1)
    figures = {v.kind: v for v in Value.objects.select_related("period")}
    actual = figures[ValueKind.ACTUAL]
    assert actual.value == Decimal("7.63")  # not 7.62999999999999989341858963598497211933
    assert (actual.period.kind, actual.period.start, actual.period.end) == (
        PeriodKind.QUARTER,
        *Q2,
    )
    assert (actual.vintage, actual.source_text) == ("official", "Cục Thống kê")
    assert figures[ValueKind.TARGET].value == Decimal(8)
    assert figures[ValueKind.SCENARIO].value == Decimal("8.25")


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        (0.1, "0.1"),
        (1234.5678, "1234.5678"),
        (-3.5, "-3.5"),
        (16765, "16765"),
        (1e15, "1000000000000000"),
    ],
)
def test_number_cells_keep_their_decimal_digits(grdp, cell, expected):
    row = ("grdp-growth", "quarter", *Q2, "actual", cell, None, None, None)
    result = import_values(content=xlsx(HEADER, row), publish=True)
    assert result.ok, [str(e) for e in result.errors]
    assert Value.objects.get().value == Decimal(expected)


def test_bad_rows_with_their_excel_row_number(grdp):
    data = xlsx(
        HEADER,
        GOOD[0],
        ("grdp-growth", "quarter", *Q2, "target", "abc", None, None, None),  # row 3
        (None,) * 9,
        ("nope", "quarter", "2025-04-01", 45000, "actual", 1.5, None, None, None),  # row 5
    )
    result = import_values(content=data)
    assert [(e.line, e.message) for e in result.errors] == [
        (3, "“abc” không phải là số"),
        (5, "không có chỉ tiêu mã “nope”; ngày kết thúc “45000” không hợp lệ"),
    ]
    assert not Value.all_objects.exists()


def test_a_formula_is_refused_with_its_cell(grdp):
    data = xlsx(HEADER, GOOD[0], ("grdp-growth", "quarter", *Q2, "target", "=F2*1.1"))
    result = import_values(content=data)
    assert [str(e) for e in result.errors] == [
        "Dòng 3: ô F3 là công thức (=F2*1.1): hãy dán giá trị (Paste Special → Values) rồi "
        "nhập lại."
    ]
    assert not Value.all_objects.exists()


def test_preview_counts_then_import_for_real(client, editor, grdp):
    period = make_period(PeriodKind.QUARTER, *Q2)
    # Figures still waiting for a publisher: an editor may change them.
    for kind, number in ((ValueKind.ACTUAL, "7.5"), (ValueKind.TARGET, "8")):
        make_value(indicator=grdp, period=period, kind=kind, value=Decimal(number), pending=True)
    upload = SimpleUploadedFile("so-lieu.xlsx", xlsx(HEADER, *GOOD))
    response = client.post(IMPORT, {"file": upload})
    assert response.status_code == 302
    preview_url = response["Location"]
    page = client.get(preview_url).content.decode()
    # The official actual 7.63 is a new vintage beside the unstated 7.5, the target 8
    # unchanged, the scenario new.
    assert "Tệp hợp lệ: 3 dòng — sẽ thêm 2, cập nhật 0, không đổi 1; kỳ mới: 0." in page
    assert "Nhập thật" in page
    assert Value.all_objects.get(kind=ValueKind.ACTUAL).value == Decimal("7.5")
    assert not Value.all_objects.filter(kind=ValueKind.SCENARIO).exists()

    response = client.post(preview_url)
    write = ImportJob.objects.get(options__dry_run=False)
    assert response["Location"].endswith(f"/import/{write.pk}/")
    page = client.get(response["Location"]).content.decode()
    assert "Đã nhập 3 dòng: 2 mới, 0 cập nhật, 1 không đổi; kỳ mới: 0." in page
    actual = Value.all_objects.filter(kind=ValueKind.ACTUAL).order_by("pk")
    assert [(v.vintage, v.value) for v in actual] == [
        ("", Decimal("7.5")),
        ("official", Decimal("7.63")),
    ]
    scenario = Value.all_objects.get(kind=ValueKind.SCENARIO)
    assert scenario.value == Decimal("8.25") and scenario.pending  # an editor's figure waits


def test_preview_shows_bad_rows_and_no_import_button(client, editor, grdp):
    data = xlsx(HEADER, GOOD[0], ("grdp-growth", "year", *Q2, "actual", 1, None, None, None))
    response = client.post(IMPORT, {"file": SimpleUploadedFile("sai.xlsx", data)})
    page = client.get(response["Location"]).content.decode()
    assert "Tệp có 1 lỗi; không dòng nào được ghi." in page and "<td>3</td>" in page
    assert "Nhập thật" not in page
    client.post(response["Location"])  # a refused preview cannot be confirmed
    assert ImportJob.objects.count() == 1 and not Value.all_objects.exists()


def test_the_command_reads_a_workbook(tmp_path, grdp, capsys):
    path = tmp_path / "so-lieu.xlsx"
    path.write_bytes(xlsx(HEADER, *GOOD))
    call_command("import_indicator_values", str(path), "--dry-run")
    assert "3 row(s): 3 new" in capsys.readouterr().out
    call_command("import_indicator_values", str(path), "--publish")
    assert Value.objects.get(kind=ValueKind.ACTUAL).value == Decimal("7.63")
    bad = tmp_path / "sai.xlsx"
    bad.write_bytes(xlsx(HEADER, ("grdp-growth", "quarter", *Q2, "actual", "=1/3")))
    with pytest.raises(CommandError, match="1 bad row"):
        call_command("import_indicator_values", str(bad))
    assert "Dòng 2: ô F2 là công thức" in capsys.readouterr().err
