"""Reading a workbook for the imports (portal/xlsximport.py): the same table as a CSV
file, Excel row numbers, the caps checked while streaming, cells as the text the row
checks read."""

import datetime
import io

import pytest
from openpyxl import Workbook

from portal import csvimport, xlsximport
from portal.tests.workbooks import xlsx


def read(data: bytes, **options):
    return csvimport.read_table(data, required=("code",), **options)


def test_rows_keep_their_excel_row_numbers():
    table = read(xlsx(("Code", "Note", None), ("a", None), (None, None), ("b", "x")))
    assert table.header == ["code", "note"]
    assert [(row.line, row.cells) for row in table.rows] == [
        (2, {"code": "a", "note": ""}),
        (4, {"code": "b", "note": "x"}),
    ]


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, ""),
        (7.63, "7.63"),
        (0.1 + 0.2, "0.30000000000000004"),  # what the cell holds, exactly
        (1e16, "10000000000000000"),
        (2.5e-7, "0.00000025"),
        (-48, "-48"),
        (True, "TRUE"),
        (datetime.datetime(2025, 6, 30), "2025-06-30"),
        (datetime.datetime(2025, 6, 30, 9, 30), "2025-06-30 09:30:00"),
        (datetime.date(2025, 6, 30), "2025-06-30"),
        ("  Hà Nội ", "  Hà Nội "),
    ],
)
def test_cell_text(value, text):
    assert xlsximport.cell_text(value) == text


def test_more_rows_than_the_limit_are_refused():
    rows = [(f"r{n}",) for n in range(11)]
    with pytest.raises(csvimport.Refused) as refused:
        read(xlsx(("code",), *rows), max_rows=10)
    assert refused.value.problems[0].line == 12
    assert "hơn 10 dòng" in refused.value.problems[0].message


def test_reading_stops_at_a_row_far_below_the_data():
    workbook = Workbook()
    sheet = workbook.active
    sheet["A1"], sheet["A2"], sheet["A500"] = "code", "a", "b"
    buffer = io.BytesIO()
    workbook.save(buffer)
    with pytest.raises(csvimport.Refused) as refused:
        read(buffer.getvalue(), max_rows=10)
    assert refused.value.problems[0].line == 22  # twice the rows allowed, then refused


def test_more_columns_than_the_cap_are_refused():
    header = ["code", *(f"c{n}" for n in range(xlsximport.MAX_COLUMNS))]
    with pytest.raises(csvimport.Refused) as refused:
        read(xlsx(header, ["a"]))
    assert "hơn 50 cột" in refused.value.problems[0].message


def test_a_value_right_of_the_named_columns_is_a_row_problem():
    with pytest.raises(csvimport.Refused) as refused:
        read(xlsx(("code", "note"), ("a", "b", "c")))
    assert refused.value.problems == [
        csvimport.Problem(2, "ô C2 có giá trị nhưng cột C không có tên.")
    ]


def test_a_package_that_unpacks_too_large_is_refused_before_reading(monkeypatch):
    monkeypatch.setattr(xlsximport, "MAX_UNPACKED_BYTES", 1000)
    with pytest.raises(csvimport.Refused, match="giải nén ra quá lớn"):
        read(xlsx(("code",), ("a",)))


def test_an_empty_first_row_is_not_a_header():
    with pytest.raises(csvimport.Refused, match="dòng tên cột"):
        read(xlsx((None,), ("code",), ("a",)))


def test_a_percentage_cell_reads_as_the_figure_it_shows():
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["code", "value"])
    sheet.append(["a", 0.0763])
    sheet["B2"].number_format = "0.00%"
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert read(buffer.getvalue()).rows[0].cells["value"] == "7.63"


def test_a_damaged_sheet_is_refused_not_a_server_error():
    import zipfile

    source = io.BytesIO(xlsx(("code",), ("a",)))
    damaged = io.BytesIO()
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(damaged, "w") as copy:
        for entry in original.infolist():
            data = original.read(entry)
            if entry.filename == "xl/worksheets/sheet1.xml":
                data = data[: len(data) // 2]  # cut in the middle of its XML
            copy.writestr(entry, data)
    with pytest.raises(csvimport.Refused, match="Không đọc được tệp Excel"):
        read(damaged.getvalue())
