"""Reading an upload for the imports (documents, indicator values): the whole file or
nothing, every refusal with its line number. An XLSX workbook is read by
`portal.xlsximport` into the same rows (its lines are Excel row numbers) and then follows
the same rules and limits, checked here once for both formats (`_checked`).

Both imports share these rules:

- UTF-8 (with or without the byte-order mark Excel writes), comma- or semicolon-separated
  (the separator of the header line), a header row naming the columns; columns the import
  does not know are ignored.
- At most `MAX_ROWS` (20,000) rows of data; a longer file is refused, never half-read.
- Quotes are read strictly: a quote that is never closed, or text after a closing quote,
  refuses the file at the line where the cell began (Python's lenient reading silently
  merged the rows up to the next quote into one cell). A line break inside a cell is
  allowed only in the columns an import names as multi-line (a summary, a note): anywhere
  else it is the sign of a missing closing quote. Every row must have as many cells as
  the header.
- A cell that a portal download made spreadsheet-safe (`'=…`, see
  `portal.downloads.spreadsheet_safe`) is read back without its quote, so a download
  re-imports unchanged.
"""

import csv
import datetime
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from .downloads import spreadsheet_safe

MAX_ROWS = 20_000
# How an upload's first bytes tell a workbook from text: XLSX is a ZIP package; the old
# binary .xls an OLE2 compound file, which is refused with a hint.
XLSX_MAGIC = b"PK\x03\x04"
OLE2_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
# Largest upload the admin accepts: 20,000 rows of a register with summaries fit.
MAX_BYTES = 20 * 1024 * 1024
# Problems listed for a malformed file; the rest are counted.
MAX_PROBLEMS = 200


@dataclass(frozen=True)
class Problem:
    """Why a file, or one of its lines, is refused. `line` counts the file's lines from 1
    (the header); 0 means the file as a whole."""

    line: int
    message: str


class Refused(Exception):
    """The file cannot be read as a table; nothing of it was used."""

    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(problem.message for problem in problems))
        self.problems = problems


@dataclass(frozen=True)
class Row:
    line: int  # the line the row begins on
    cells: dict[str, str]


@dataclass(frozen=True)
class Table:
    header: list[str]
    rows: list[Row]


def decode(data: bytes | str) -> str:
    """The text of an upload, or Refused (not UTF-8, or binary)."""
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            line = data[: error.start].count(b"\n") + 1
            raise Refused(
                [Problem(line, _("Tệp không phải văn bản UTF-8: hãy lưu lại dạng “CSV UTF-8”."))]
            ) from None
    data = data.removeprefix("\ufeff")
    if "\x00" in data:
        line = data[: data.index("\x00")].count("\n") + 1
        raise Refused([Problem(line, _("Tệp chứa ký tự không hợp lệ (NUL): không phải CSV."))])
    return data


def from_spreadsheet(text: str) -> str:
    """`text` without the quote a download put before a formula-like cell (`'=1+1`)."""
    if text.startswith("'") and spreadsheet_safe(text[1:]) != text[1:]:
        return text[1:]
    return text


def _csv_problem(error: csv.Error, start: int, end: int, delimiter: str) -> Problem:
    if "unexpected end of data" in str(error):
        return Problem(
            start,
            _(
                "dấu ngoặc kép mở ở dòng này không bao giờ được đóng (tệp hết ở dòng "
                "%(end)d): các dòng sau sẽ bị gộp vào một ô."
            )
            % {"end": end},
        )
    return Problem(
        start,
        _(
            "dấu ngoặc kép đặt sai chỗ (dòng %(end)d): sau dấu ngoặc kép đóng phải là dấu "
            "phân cách “%(delimiter)s” hoặc hết dòng; có thể thiếu dấu ngoặc kép đóng ở "
            "một ô phía trên."
        )
        % {"end": end, "delimiter": delimiter},
    )


def read_table(
    data: bytes | str,
    *,
    required: tuple[str, ...],
    multiline: frozenset[str] = frozenset(),
    max_rows: int = MAX_ROWS,
) -> Table:
    """The header (lower-cased) and the non-blank rows of a CSV or XLSX upload, cells
    stripped. An XLSX workbook (told by its content, not its name) is read by
    `portal.xlsximport` into the same rows, numbered by their Excel row, and then checked
    by the same rules as a CSV file.

    Raises Refused listing what is wrong (with line numbers) when the file is not a
    well-formed table with the `required` columns and at most `max_rows` rows.
    """
    if isinstance(data, bytes) and data.startswith(OLE2_MAGIC):
        raise Refused(
            [Problem(0, _("Tệp Excel cũ (.xls) không được nhận: hãy lưu lại dạng .xlsx."))]
        )
    if isinstance(data, bytes) and data.startswith(XLSX_MAGIC):
        from . import xlsximport  # openpyxl is loaded only when a workbook is imported

        header, records = xlsximport.records(data, max_rows=max_rows)
        return _checked(
            header,
            records,
            required=required,
            multiline=multiline,
            max_rows=max_rows,
            spreadsheet=True,
        )
    text = decode(data)
    if not text.strip():
        raise Refused([Problem(0, _("Tệp trống."))])
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        header = next(reader)
    except csv.Error as error:
        raise Refused([_csv_problem(error, 1, reader.line_num, delimiter)]) from None
    if reader.line_num > 1:
        raise Refused([Problem(1, _("Dòng tiêu đề không được có ô xuống dòng."))])
    return _checked(
        header,
        _csv_records(reader, delimiter),
        required=required,
        multiline=multiline,
        max_rows=max_rows,
    )


def _csv_records(reader, delimiter: str) -> Iterator[tuple[int, int, list[str]] | Problem]:
    """(first line, last line, cells) of each record after the header; a Problem, and
    nothing more, at a broken quote: past it nothing can be trusted."""
    last = reader.line_num
    while True:
        try:
            record = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            yield _csv_problem(error, last + 1, reader.line_num, delimiter)
            return
        start, last = last + 1, reader.line_num
        yield start, last, record


def _checked(
    header: list[str],
    records: Iterable[tuple[int, int, list[str]] | Problem | list[Problem]],
    *,
    required: tuple[str, ...],
    multiline: frozenset[str],
    max_rows: int,
    spreadsheet: bool = False,
) -> Table:
    """The rules every upload's table follows, whatever its format: the required columns,
    no repeated column, at most `max_rows` non-blank rows, every row as wide as the header,
    nothing under an unnamed column, line breaks only in the `multiline` columns."""
    header = [name.strip().lower() for name in header]
    missing = [name for name in required if name not in header]
    if missing:
        raise Refused(
            [Problem(1, _("Thiếu cột bắt buộc: %(columns)s.") % {"columns": ", ".join(missing)})]
        )
    repeated = sorted({name for name in header if name and header.count(name) > 1})
    if repeated:
        raise Refused(
            [Problem(1, _("Cột trùng tên: %(columns)s.") % {"columns": ", ".join(repeated)})]
        )

    rows: list[Row] = []
    problems: list[Problem] = []
    records_seen = more = 0
    for item in records:
        if isinstance(item, Problem):
            problems.append(item)
            break
        if isinstance(item, list):  # a row the reader already refused (an XLSX formula)
            records_seen += 1
            if len(problems) < MAX_PROBLEMS:
                problems.extend(item)
            else:
                more += 1
            continue
        start, end, record = item
        if not any(cell.strip() for cell in record):
            continue
        records_seen += 1
        if records_seen > max_rows:
            raise Refused([too_many_rows(start, max_rows)])
        found: list[Problem] = []
        if len(record) != len(header):
            found.append(
                Problem(
                    start,
                    _("có %(found)d ô, dòng tiêu đề có %(expected)d cột.")
                    % {"found": len(record), "expected": len(header)},
                )
            )
        else:
            for name, cell in zip(header, record, strict=True):
                if not name and cell.strip():
                    found.append(Problem(start, _("có giá trị ở một cột không tên.")))
                elif name not in multiline and ("\n" in cell or "\r" in cell):
                    found.append(_line_break_problem(name, start, end, spreadsheet))
        if found:
            if len(problems) < MAX_PROBLEMS:
                problems.extend(found)
            else:
                more += 1
            continue
        rows.append(
            Row(
                start,
                {
                    name: from_spreadsheet(cell.strip())
                    for name, cell in zip(header, record, strict=True)
                    if name
                },
            )
        )
    if more:
        problems.append(Problem(0, _("… và %(n)d dòng lỗi khác.") % {"n": more}))
    if problems:
        raise Refused(problems)
    if not rows:
        raise Refused([Problem(0, _("Tệp không có dòng số liệu nào."))])
    return Table(header, rows)


def too_many_rows(line: int, max_rows: int) -> Problem:
    return Problem(
        line,
        _("Tệp có hơn %(n)s dòng số liệu: chia thành nhiều tệp, mỗi tệp tối đa %(n)s dòng.")
        % {"n": number_format(max_rows, force_grouping=True)},
    )


def _line_break_problem(name: str, start: int, end: int, spreadsheet: bool) -> Problem:
    if spreadsheet:
        return Problem(
            start,
            _("ô “%(column)s” có xuống dòng: cột này chỉ được viết trên một dòng.")
            % {"column": name},
        )
    return Problem(
        start,
        _(
            "ô “%(column)s” xuống dòng (kéo dài đến dòng %(end)d): thường "
            "do thiếu dấu ngoặc kép đóng, các dòng sau bị gộp vào ô này."
        )
        % {"column": name, "end": end},
    )


def length_problems(cells: dict[str, str], limits: dict[str, int]) -> list[str]:
    """A message for each cell longer than its column's database field allows
    (`limits`: column → the model field's `max_length`), checked before anything else is
    read from the row, so an over-long code never reaches the database."""
    return [
        _("“%(column)s” dài %(length)d ký tự, tối đa %(limit)d.")
        % {"column": column, "length": len(cells[column]), "limit": limit}
        for column, limit in limits.items()
        if len(cells.get(column, "")) > limit
    ]


_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_VIETNAMESE_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")


def read_date(text: str) -> datetime.date | None:
    """A date written `YYYY-MM-DD` or `dd/mm/yyyy`; None for anything else (an empty cell,
    31/02/2025). A regular expression, not strptime(), which was a tenth of an import's
    time."""
    if match := _ISO_DATE.fullmatch(text.strip()):
        year, month, day = match.groups()
    elif match := _VIETNAMESE_DATE.fullmatch(text.strip()):
        day, month, year = match.groups()
    else:
        return None
    try:
        return datetime.date(int(year), int(month), int(day))
    except ValueError:
        return None
