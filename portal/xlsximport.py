"""Reading an XLSX upload for the imports into the rows a CSV file gives
(`portal.csvimport.read_table` calls this, then checks the rows by the same rules).

- The first worksheet is read, with openpyxl in read-only mode: rows are streamed from the
  sheet's XML one at a time, never the whole workbook in memory. Reading stops, and the
  file is refused, at the first row past the limits: `MAX_ROWS` rows of data (the same
  20,000 as a CSV file), at most as many blank rows again, and `MAX_COLUMNS` columns. The
  package's directory is checked first (entries, declared unpacked size), so a small
  "zip bomb" is refused before anything is inflated.
- A row's line is its Excel row number, the header being row 1, as staff see it.
- A formula is refused, with its cell: its result is stored only as the value the
  spreadsheet program last computed, which a file written by a script or saved without
  recalculating does not have (it would be read as empty), and which may no longer match
  the cells it comes from. Staff paste the values instead (Paste Special → Values).
- A date cell is read as the date it shows (ISO `YYYY-MM-DD`, which every import reads);
  a number as the decimal it shows, without binary float noise (7.63, not
  7.6299999999999999), a percentage as the figure it shows (7.63 for a cell showing
  7.63%, which holds 0.0763); text as it is.
"""

import datetime
import io
import zipfile
from collections.abc import Iterator
from decimal import Decimal

from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from .csvimport import MAX_ROWS, Problem, Refused, too_many_rows

# More columns than any import has, with room for the columns of a download.
MAX_COLUMNS = 50
# A workbook has a few dozen entries; a 20,000-row register with summaries unpacks to tens
# of megabytes.
MAX_ENTRIES = 1000
MAX_UNPACKED_BYTES = 256 * 1024 * 1024


def records(
    data: bytes, *, max_rows: int = MAX_ROWS
) -> tuple[list[str], Iterator[tuple[int, int, list[str]] | list[Problem]]]:
    """The header and the rows of the first worksheet: (row number, row number, cells as
    text) for each, or the row's problems (a formula, a value under no column). Raises
    Refused when the workbook cannot be read or breaks a limit."""
    _check_package(data)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception:  # openpyxl raises many kinds for a damaged package
        raise _unreadable() from None
    if not workbook.worksheets:
        raise Refused([Problem(0, _("Tệp Excel không có trang tính nào."))])
    sheet = workbook.worksheets[0]
    rows = sheet.iter_rows(max_col=MAX_COLUMNS + 1, max_row=2 * max_rows + 2)
    try:
        header_cells = next(rows)
    except StopIteration:
        raise Refused([Problem(0, _("Tệp trống."))]) from None
    except Exception:  # a damaged sheet: its XML does not parse
        raise _unreadable() from None
    header = []
    for cell in header_cells:
        text, problem = _text(cell, 1)
        if problem:
            raise Refused([problem])
        header.append(text)
    _check_width(header, 1)
    while header and not header[-1]:
        header.pop()
    if not header:
        raise Refused([Problem(1, _("Dòng 1 của trang tính phải là dòng tên cột."))])

    def body() -> Iterator[tuple[int, int, list[str]] | list[Problem]]:
        try:
            for line, cells in enumerate(rows, start=2):
                if line > 2 * max_rows + 1:  # as many blank rows as data rows, no more
                    raise Refused([too_many_rows(line, max_rows)])
                texts, problems = [], []
                for cell in cells:
                    text, problem = _text(cell, line)
                    texts.append(text)
                    if problem:
                        problems.append(problem)
                _check_width(texts, line)
                for column, text in enumerate(texts[len(header) :], start=len(header) + 1):
                    if text:
                        problems.append(
                            Problem(
                                line,
                                _("ô %(cell)s có giá trị nhưng cột %(column)s không có tên.")
                                % {
                                    "cell": f"{get_column_letter(column)}{line}",
                                    "column": get_column_letter(column),
                                },
                            )
                        )
                        break
                if problems:
                    yield problems
                else:
                    texts += [""] * (len(header) - len(texts))
                    yield line, line, texts[: len(header)]
        except Refused:
            raise
        except Exception:  # a damaged sheet: its XML does not parse
            raise _unreadable() from None
        finally:
            workbook.close()

    return header, body()


def _unreadable() -> Refused:
    return Refused([Problem(0, _("Không đọc được tệp Excel: hãy lưu lại dạng .xlsx."))])


def _check_package(data: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, EOFError, ValueError):
        raise _unreadable() from None
    if len(entries) > MAX_ENTRIES or sum(e.file_size for e in entries) > MAX_UNPACKED_BYTES:
        raise Refused(
            [
                Problem(
                    0, _("Tệp Excel giải nén ra quá lớn (có thể là tệp nén độc hại): không nhận.")
                )
            ]
        )


def _check_width(texts: list[str], line: int) -> None:
    if len(texts) > MAX_COLUMNS and texts[MAX_COLUMNS]:
        raise Refused(
            [
                Problem(
                    line,
                    _("Trang tính có hơn %(n)d cột: chỉ giữ các cột cần nhập.")
                    % {"n": MAX_COLUMNS},
                )
            ]
        )


def _text(cell, line: int) -> tuple[str, Problem | None]:
    """A cell's value as the text a CSV file would hold, or why it is refused (a
    formula)."""
    value = getattr(cell, "value", None)
    if value is None:
        return "", None
    if getattr(cell, "data_type", "") == "f":
        return "", Problem(
            line,
            _(
                "ô %(cell)s là công thức (%(formula)s): hãy dán giá trị (Paste Special → "
                "Values) rồi nhập lại."
            )
            % {"cell": f"{get_column_letter(cell.column)}{line}", "formula": str(value)[:60]},
        )
    if _is_percent(cell, value):
        # A cell shown as 7.63% holds 0.0763; the figure staff read, and mean, is 7.63.
        return format((Decimal(repr(value)) * 100).normalize(), "f"), None
    return cell_text(value), None


def _is_percent(cell, value) -> bool:
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and "%" in (getattr(cell, "number_format", "") or "")
    )


def cell_text(value) -> str:
    """`value` (as openpyxl reads it) written as the CSV imports read it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        # repr() is the shortest text that reads back as the same float: the number as
        # typed, never its binary expansion; "f" avoids exponents (1E+16).
        return format(Decimal(repr(value)).normalize(), "f")
    return str(value)
