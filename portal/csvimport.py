"""Reading a CSV upload for the imports (documents, indicator values): the whole file or
nothing, every refusal with its line number.

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
from dataclasses import dataclass

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from .downloads import spreadsheet_safe

MAX_ROWS = 20_000
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
    """The header (lower-cased) and the non-blank rows of a CSV upload, cells stripped.

    Raises Refused listing what is wrong (with line numbers) when the file is not a
    well-formed table with the `required` columns and at most `max_rows` rows.
    """
    text = decode(data)
    if not text.strip():
        raise Refused([Problem(0, _("Tệp trống."))])
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        header = [name.strip().lower() for name in next(reader)]
    except csv.Error as error:
        raise Refused([_csv_problem(error, 1, reader.line_num, delimiter)]) from None
    if reader.line_num > 1:
        raise Refused([Problem(1, _("Dòng tiêu đề không được có ô xuống dòng."))])
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
    records = more = 0
    last = reader.line_num
    while True:
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            problems.append(_csv_problem(error, last + 1, reader.line_num, delimiter))
            break  # past a broken quote nothing can be trusted
        start, end, last = last + 1, reader.line_num, reader.line_num
        if not any(cell.strip() for cell in record):
            continue
        records += 1
        if records > max_rows:
            raise Refused(
                [
                    Problem(
                        start,
                        _(
                            "Tệp có hơn %(n)s dòng số liệu: chia thành nhiều tệp, mỗi tệp tối "
                            "đa %(n)s dòng."
                        )
                        % {"n": number_format(max_rows, force_grouping=True)},
                    )
                ]
            )
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
                    found.append(
                        Problem(
                            start,
                            _(
                                "ô “%(column)s” xuống dòng (kéo dài đến dòng %(end)d): thường "
                                "do thiếu dấu ngoặc kép đóng, các dòng sau bị gộp vào ô này."
                            )
                            % {"column": name, "end": end},
                        )
                    )
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
