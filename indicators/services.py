"""Writes with rules: importing indicator values from CSV (all rows or none).

CSV format (UTF-8, with or without BOM; comma or semicolon separated; header row required):

    indicator_code  required  code of an existing indicator, e.g. grdp-growth
    period_kind     required  month, quarter, half_year, nine_months, year_to_date, year
                              (the Vietnamese names "Tháng", "Quý", "6 tháng", "9 tháng",
                              "Lũy kế từ đầu năm", "Năm" are accepted too)
    period_start    required  first day, 2025-04-01 or 01/04/2025
    period_end      required  last day, 2025-06-30 or 30/06/2025
    value_kind      required  actual, target, scenario, last_year, pct_estimate
                              (or "Thực hiện", "Kế hoạch", "Kịch bản", "Cùng kỳ năm trước",
                              "Đạt % dự toán năm")
    value           optional  7.63 or 7,63; see numbers.parse_number. Empty only with a note.
    status          optional  preliminary or official (empty: not stated)
    source          optional  free text naming the source
    note            optional  free text

Other columns (for example those of the CSV download) are ignored. A period that does not
exist yet is created. A row for an indicator, period and kind already stored updates it.
"""

import csv
import datetime
import io
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from portal.text import fold

from .models import FigureStatus, Indicator, Period, Value, ValueKind
from .numbers import NumberError, parse_number
from .periods import PeriodKind, period_problem

REQUIRED_COLUMNS = [
    "indicator_code",
    "period_kind",
    "period_start",
    "period_end",
    "value_kind",
]
OPTIONAL_COLUMNS = ["value", "status", "source", "note"]
MAX_ROWS = 5000


@dataclass(frozen=True)
class RowError:
    line: int  # the line in the file, the header being line 1 (0: the file as a whole)
    message: str

    def __str__(self):
        if self.line == 0:
            return self.message
        return _("Dòng %(line)d: %(message)s") % {"line": self.line, "message": self.message}


@dataclass
class ImportResult:
    dry_run: bool
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    periods_created: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass(frozen=True)
class _Row:
    line: int
    indicator: Indicator
    period_key: tuple[str, datetime.date, datetime.date]
    kind: str
    value: Decimal | None
    figure_status: str
    source_text: str
    note: str


def _choice(text: str, choices) -> str | None:
    """Match a choice by its value or its (Vietnamese) label, ignoring case and diacritics."""
    key = fold(text)
    for value, label in choices:
        if key in (fold(value), fold(str(label))):
            return value
    return None


def _date(text: str) -> datetime.date | None:
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.datetime.strptime(text.strip(), pattern).date()
        except ValueError:
            continue
    return None


def _read(content: bytes | str) -> tuple[list[dict[str, str]], list[int], list[RowError]]:
    if isinstance(content, bytes):
        try:
            content = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            return [], [], [RowError(0, _("Tệp không phải văn bản UTF-8."))]
    content = content.lstrip("\ufeff")
    if "\x00" in content:
        return [], [], [RowError(0, _("Tệp chứa ký tự không hợp lệ (NUL)."))]
    if not content.strip():
        return [], [], [RowError(0, _("Tệp trống."))]
    first_line = content.splitlines()[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.DictReader(io.StringIO(content, newline=""), delimiter=delimiter)
    header = [name.strip().lower() for name in (reader.fieldnames or [])]
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    if missing:
        return (
            [],
            [],
            [
                RowError(
                    0,
                    _("Thiếu cột bắt buộc: %(columns)s.") % {"columns": ", ".join(missing)},
                )
            ],
        )
    reader.fieldnames = header
    rows, lines = [], []
    try:
        for row in reader:
            if not any((cell or "").strip() for cell in row.values() if isinstance(cell, str)):
                continue
            rows.append({k: (v or "").strip() for k, v in row.items() if isinstance(v, str)})
            lines.append(reader.line_num)
            if len(rows) > MAX_ROWS:
                return [], [], [RowError(0, _("Tệp có quá %(n)d dòng.") % {"n": MAX_ROWS})]
    except csv.Error as error:
        return [], [], [RowError(reader.line_num, _("Lỗi định dạng CSV: %s") % error)]
    if not rows:
        return [], [], [RowError(0, _("Tệp không có dòng số liệu nào."))]
    return rows, lines, []


def _check_row(
    line: int, row: dict[str, str], indicators: dict[str, Indicator]
) -> tuple[_Row | None, list[str]]:
    problems = []
    code = row.get("indicator_code", "")
    indicator = indicators.get(code.lower())
    if indicator is None:
        problems.append(_("không có chỉ tiêu mã “%(code)s”") % {"code": code})

    period_kind = _choice(row.get("period_kind", ""), PeriodKind.choices)
    start, end = _date(row.get("period_start", "")), _date(row.get("period_end", ""))
    if period_kind is None:
        problems.append(_("loại kỳ “%(kind)s” không có") % {"kind": row.get("period_kind", "")})
    if start is None:
        problems.append(
            _("ngày bắt đầu “%(text)s” không hợp lệ") % {"text": row.get("period_start", "")}
        )
    if end is None:
        problems.append(
            _("ngày kết thúc “%(text)s” không hợp lệ") % {"text": row.get("period_end", "")}
        )
    if period_kind and start and end:
        problem = period_problem(period_kind, start, end)
        if problem:
            problems.append(problem)

    kind = _choice(row.get("value_kind", ""), ValueKind.choices)
    if kind is None:
        problems.append(
            _("loại số liệu “%(kind)s” không có") % {"kind": row.get("value_kind", "")}
        )

    number = None
    text = row.get("value", "")
    if text:
        try:
            number = parse_number(text)
        except NumberError:
            problems.append(_("“%(text)s” không phải là số") % {"text": text})
        else:
            if abs(number) >= Decimal(10) ** 16 or number != number.quantize(Decimal("0.0001")):
                problems.append(
                    _("số “%(text)s” quá lớn hoặc quá 4 chữ số thập phân") % {"text": text}
                )
    elif not row.get("note"):
        problems.append(_("không có số liệu thì phải có ghi chú"))

    status = ""
    if row.get("status"):
        status = _choice(row["status"], FigureStatus.choices)
        if status is None:
            problems.append(_("tình trạng số liệu “%(text)s” không có") % {"text": row["status"]})
    if len(row.get("source", "")) > 500:
        problems.append(_("nguồn dài quá 500 ký tự"))
    if problems:
        return None, problems
    return (
        _Row(
            line=line,
            indicator=indicator,
            period_key=(period_kind, start, end),
            kind=kind,
            value=number,
            figure_status=status,
            source_text=row.get("source", ""),
            note=row.get("note", ""),
        ),
        [],
    )


def import_values(*, content: bytes | str, dry_run: bool = False) -> ImportResult:
    """Check every row of a values CSV and, only if all are valid, store them all.

    With `dry_run` nothing is written; the result counts what would be created or updated.
    Every bad row is reported with its line number and every reason it is bad.
    """
    result = ImportResult(dry_run=dry_run)
    rows, lines, errors = _read(content)
    if errors:
        result.errors = errors
        return result
    result.rows = len(rows)
    indicators = {i.code.lower(): i for i in Indicator.objects.all()}
    checked: list[_Row] = []
    seen: dict[tuple, int] = {}
    for line, row in zip(lines, rows, strict=True):
        good, problems = _check_row(line, row, indicators)
        if good is not None:
            key = (good.indicator.pk, good.period_key, good.kind)
            if key in seen:
                problems = [
                    _("trùng chỉ tiêu, kỳ và loại số liệu với dòng %(line)d") % {"line": seen[key]}
                ]
            else:
                seen[key] = line
                checked.append(good)
        if problems:
            result.errors.append(RowError(line, "; ".join(problems)))
    if result.errors:
        return result
    try:
        with transaction.atomic():
            _store(checked, result)
            if dry_run:
                transaction.set_rollback(True)
    except ValidationError as error:
        # Rules checked only by the database models (should not happen after the checks).
        result.errors.append(RowError(0, "; ".join(error.messages)))
        result.created = result.updated = result.unchanged = result.periods_created = 0
    return result


def _store(rows: list[_Row], result: ImportResult) -> None:
    periods: dict[tuple, Period] = {}
    for row in rows:
        period = periods.get(row.period_key)
        if period is None:
            kind, start, end = row.period_key
            period = Period.objects.filter(kind=kind, start=start, end=end).first()
            if period is None:
                period = Period(kind=kind, start=start, end=end)
                period.full_clean()
                period.save()
                result.periods_created += 1
            periods[row.period_key] = period
        fields = {
            "value": row.value,
            "figure_status": row.figure_status,
            "source_text": row.source_text,
            "note": row.note,
        }
        value = Value.objects.filter(indicator=row.indicator, period=period, kind=row.kind).first()
        if value is None:
            value = Value(indicator=row.indicator, period=period, kind=row.kind, **fields)
            result.created += 1
        else:
            changed = [name for name, new in fields.items() if getattr(value, name) != new]
            if not changed:
                result.unchanged += 1
                continue
            for name in changed:
                setattr(value, name, fields[name])
            result.updated += 1
        try:
            value.full_clean()
        except ValidationError as error:
            raise ValidationError([str(RowError(row.line, "; ".join(error.messages)))]) from error
        value.save()


GRID_KINDS = (ValueKind.ACTUAL, ValueKind.TARGET, ValueKind.SCENARIO)


@transaction.atomic
def save_period_grid(
    *,
    period: Period,
    figures: dict[int, dict[str, Decimal | None]],
    figure_status: str = "",
    source_text: str = "",
) -> tuple[int, int]:
    """Store the figures typed into the admin grid for one period: {indicator id: {kind: n}}.

    A blank cell (None) leaves a stored figure as it is (figures are deleted from the
    indicator's page, on purpose). Returns (created, updated).
    """
    created = updated = 0
    existing = {
        (v.indicator_id, v.kind): v
        for v in Value.objects.filter(period=period, indicator_id__in=figures.keys())
    }
    for indicator_id, by_kind in figures.items():
        for kind, number in by_kind.items():
            if number is None:
                continue
            value = existing.get((indicator_id, kind))
            if value is None:
                value = Value(
                    indicator_id=indicator_id,
                    period=period,
                    kind=kind,
                    value=number,
                    figure_status=figure_status,
                    source_text=source_text,
                )
                created += 1
            elif value.value == number:
                continue
            else:
                value.value = number
                if figure_status:
                    value.figure_status = figure_status
                if source_text:
                    value.source_text = source_text
                updated += 1
            value.full_clean()
            value.save()
    return created, updated
