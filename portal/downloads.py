"""Open-data downloads of the public lists: CSV and JSON, streamed row by row.

Convention for the whole site: a list's own URL with `?format=csv` or `?format=json`
downloads exactly what the same query string selects on the HTML page, every row rather
than one page. Each app names its columns once, in `<app>/exports.py`.

- CSV: UTF-8 with a byte-order mark (Excel needs it to read Vietnamese), a header row,
  dates as ISO 8601, numbers with a dot decimal. Every cell goes through `csv_cell`, which
  keeps a spreadsheet from running text as a formula (`spreadsheet_safe`); every CSV the
  portal writes uses it.
- JSON: one valid array of objects (`[{...},\n{...}]`), written object by object, so a
  plain `json.load()` reads it and the server never holds the whole list.
- The file is named `<name>-<today>.<csv|json>`.
- Rows come from `.iterator(chunk_size=CHUNK_SIZE)` over a queryset that only joins
  (`select_related`) or annotates: memory stays flat however many rows there are.
"""

import csv
import datetime
import decimal
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.http import HttpResponse, StreamingHttpResponse
from django.urls import get_script_prefix, reverse
from django.utils import timezone
from django.utils.translation import gettext

CSV = "csv"
JSON = "json"
FORMATS = (CSV, JSON)
CHUNK_SIZE = 2000
# Rows per chunk sent to the client.
BATCH = 200


@dataclass(frozen=True)
class Column:
    """One column of a download: its header and how to read it from a row."""

    name: str
    get: Callable[[Any], Any]
    # A path (`/documents/2025/341-kh-tu/`) written out as an absolute URL.
    url: bool = False


def requested_format(request) -> str | None:
    """`csv` or `json` when the query string asks for a download, "" for an unknown
    format, None for the HTML page."""
    value = request.GET.get("format")
    if value is None or value == "html":
        return None
    value = value.strip().lower()
    return value if value in FORMATS else ""


def filename(name: str, fmt: str) -> str:
    return f"{name}-{timezone.localdate().isoformat()}.{fmt}"


def plain(value) -> Any:
    """A value as JSON can hold it: dates as ISO 8601, decimals as exact strings."""
    if value is None or type(value) in (str, int, bool):
        return value
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, str | int | float | bool | list | dict) or value is None:
        return value
    return str(value)


# OWASP's CSV injection rule: a cell that begins with one of these is read as a formula
# by Excel, LibreOffice and Google Sheets (https://owasp.org/www-community/attacks/
# CSV_Injection); NUL is added by ASVS 1.2.10. Leading whitespace does not hide them.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\x00")


def spreadsheet_safe(text: str) -> str:
    """`text` prefixed with a single quote when a spreadsheet would run it as a formula
    (`=HYPERLINK(…)`, ` +1`, `-2+3`, `@SUM(…)`); any other text unchanged."""
    if text.startswith(FORMULA_TRIGGERS) or text.lstrip().startswith(FORMULA_TRIGGERS):
        return "'" + text
    return text


def csv_cell(value) -> str:
    """One CSV cell. Numbers, dates and booleans are written as such (a negative number
    stays `-3.5`); only text is made spreadsheet-safe, so the decision rests on the value's
    Python type, never on how its formatted text looks."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float | decimal.Decimal | datetime.date | datetime.time):
        return str(plain(value))
    if isinstance(value, list | tuple):
        value = "; ".join(str(item) for item in value)
    return spreadsheet_safe(str(value))


class _Echo:
    """A file-like object whose `write` hands the line back to the csv writer's caller."""

    def write(self, value):
        return value


def path_builder(view_name: str, **markers) -> Callable[..., str]:
    """A cheap `reverse()` for one view, for the URL column of many rows.

    `reverse()` costs tens of microseconds, a third of a row's cost; this reverses once
    with marker values (`year=9999, slug="slug-marker"`) and then only formats strings.
    Markers must not otherwise appear in the path.
    """
    cache: dict[str, str] = {}

    def build(**values) -> str:
        prefix = get_script_prefix()
        template = cache.get(prefix)
        if template is None:
            template = reverse(view_name, kwargs=markers).replace("{", "{{").replace("}", "}}")
            for name, marker in markers.items():
                template = template.replace(str(marker), "{" + name + "}")
            cache[prefix] = template
        return template.format(**values)

    return build


def records(request, columns: list[Column], rows: Iterable) -> Iterator[dict]:
    """Each row as an ordered mapping of column name to value, still typed (a Decimal, a
    date): each format writes it its own way (`plain` for JSON, `csv_cell` for CSV)."""
    return records_at(f"{request.scheme}://{request.get_host()}", columns, rows)


def records_at(origin: str, columns: list[Column], rows: Iterable) -> Iterator[dict]:
    """`records` with URLs on `origin` (`https://host`), for files written outside a
    request (`documents/open_data.py`)."""
    for row in rows:
        record = {}
        for column in columns:
            value = column.get(row)
            if column.url and value:
                value = origin + value
            record[column.name] = value
        yield record


def _batched(lines: Iterable[str]) -> Iterator[str]:
    """Lines joined into chunks of `BATCH` rows: fewer, larger writes to the client."""
    batch = []
    for line in lines:
        batch.append(line)
        if len(batch) >= BATCH:
            yield "".join(batch)
            batch = []
    if batch:
        yield "".join(batch)


def csv_lines(columns: list[Column], records: Iterable[dict]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow([column.name for column in columns])
    yield from _batched(
        writer.writerow([csv_cell(value) for value in record.values()]) for record in records
    )


def json_chunks(records: Iterable[dict]) -> Iterator[str]:
    yield "["

    def items():
        separator = "\n"
        for record in records:
            yield separator + json.dumps(
                {name: plain(value) for name, value in record.items()}, ensure_ascii=False
            )
            separator = ",\n"

    yield from _batched(items())
    yield "\n]\n"


def stream(
    request, fmt: str, name: str, columns: list[Column], rows: Iterable
) -> StreamingHttpResponse:
    """The streamed download of `rows` (an iterator: nothing is read before the first
    chunk is sent)."""
    rows = records(request, columns, rows)
    if fmt == CSV:
        response = StreamingHttpResponse(
            csv_lines(columns, rows), content_type="text/csv; charset=utf-8"
        )
    else:
        response = StreamingHttpResponse(
            json_chunks(rows), content_type="application/json; charset=utf-8"
        )
    response["Content-Disposition"] = f'attachment; filename="{filename(name, fmt)}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def refuse(problems: list[str]) -> HttpResponse:
    """A 400 that says which filter was wrong, as plain text (never a half-written file)."""
    body = "\n".join(str(problem) for problem in problems) + "\n"
    return HttpResponse(body, status=400, content_type="text/plain; charset=utf-8")


def problems(filterset) -> list[str]:
    """Each invalid filter of `filterset`, named by its label, with the reason."""
    found = []
    for name, errors in filterset.errors.items():
        label = filterset.filters[name].label if name in filterset.filters else name[:40]
        found.append(
            gettext("Bộ lọc “%(label)s” không hợp lệ: %(error)s")
            % {"label": label, "error": errors[0]}
        )
    return found


def unknown_format() -> HttpResponse:
    return refuse([gettext("Định dạng tải về chỉ có thể là csv hoặc json.")])
