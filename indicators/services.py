"""Writes with rules: importing indicator values from CSV (all rows or none).

CSV format (UTF-8, with or without BOM; comma or semicolon separated; header row required;
at most 20,000 rows, `MAX_ROWS`, the same limit as every portal import; read strictly by
`portal.csvimport`: unterminated quotes, ragged rows and line breaks outside `note` are
refused with their line):

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
    vintage         optional  estimate, preliminary, official, revised (or "Ước tính",
                              "Sơ bộ", "Chính thức", "Điều chỉnh"; the column may also be
                              headed "lần công bố", or "status" as in older files). Empty:
                              the row updates the figure's latest vintage (or adds one
                              whose vintage is not stated), as before vintages existed.
    vintage_date    optional  the day the figure was published, 2025-07-15 or 15/07/2025
                              (also headed "ngày công bố"); required for "revised".
                              Empty: a stored figure keeps its date.
    source          optional  free text naming the source
    note            optional  free text

Other columns (for example those of the CSV download) are ignored. A period that does not
exist yet is created. A row for an indicator, period, kind and vintage already stored
updates it (a revision: the one of the same date); a new vintage is added beside the earlier
ones, which are kept (docs/vintages.md).
The rows are checked with a few queries per batch (indicators and periods read once, the
stored figures per batch) and written with bulk_create/bulk_update_with_history, so each
change keeps its history row.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from changes import log as change_log
from portal import csvimport, imports
from portal.csvimport import Row
from portal.models import ImportJob, ImportStatus
from portal.publication import is_locked
from portal.response_cache import records_changed
from portal.text import fold

from .models import Indicator, Period, Value, ValueKind, Vintage
from .numbers import NumberError, parse_number
from .periods import PeriodKind, period_problem

REQUIRED_COLUMNS = (
    "indicator_code",
    "period_kind",
    "period_start",
    "period_end",
    "value_kind",
)
OPTIONAL_COLUMNS = ("value", "vintage", "vintage_date", "source", "note")
MULTILINE_COLUMNS = frozenset({"note"})
MAX_ROWS = csvimport.MAX_ROWS
BATCH = 500
COLUMN_LIMITS = {
    "indicator_code": Indicator._meta.get_field("code").max_length,
    "period_kind": 40,
    "period_start": 20,
    "period_end": 20,
    "value_kind": 40,
    "value": 40,
    "vintage": 40,
    "status": 40,
    "vintage_date": 20,
    "lần công bố": 40,
    "ngày công bố": 20,
    "source": Value._meta.get_field("source_text").max_length,
}
# The columns an import writes to a stored figure.
VALUE_FIELDS = ["value", "vintage", "released_on", "source_text", "note"]
# Other headings accepted for the vintage columns, first found wins.
VINTAGE_COLUMNS = ("vintage", "lần công bố", "status")
VINTAGE_DATE_COLUMNS = ("vintage_date", "ngày công bố")
# Spellings of a vintage beyond its value and its Vietnamese label (folded).
VINTAGE_WORDS = {
    "uoc tinh, so bo": Vintage.PRELIMINARY,  # the old "status" choice
    "uoc": Vintage.ESTIMATE,
    "estimated": Vintage.ESTIMATE,
    "provisional": Vintage.PRELIMINARY,
    "final": Vintage.OFFICIAL,
    "revision": Vintage.REVISED,
    "dieu chinh lai": Vintage.REVISED,
}


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
    vintage: str | None  # None: the figure's latest stored vintage
    released_on: datetime.date | None
    source_text: str
    note: str

    @property
    def vintage_key(self) -> tuple:
        """Which stored vintage the row writes: a revision is known by its date too."""
        if self.vintage == Vintage.REVISED:
            return (self.vintage, self.released_on)
        return (self.vintage,)


def _first_cell(row: dict[str, str], names: tuple[str, ...]) -> str:
    """The first non-empty cell among the columns `names` (one column's spellings)."""
    return next((row[name] for name in names if row.get(name)), "")


def _choice_words(choices) -> dict[str, str]:
    """Each choice by its value and its (Vietnamese) label, folded (case, diacritics)."""
    words = {}
    for value, label in choices:
        words.setdefault(fold(str(label)), value)
        words[fold(value)] = value
    return words


def read_table(content: bytes | str) -> csvimport.Table:
    """The file's rows; raises csvimport.Refused when the file is malformed."""
    return csvimport.read_table(
        content, required=REQUIRED_COLUMNS, multiline=MULTILINE_COLUMNS, max_rows=MAX_ROWS
    )


class ValueImport:
    """One import: rows checked batch by batch (`check`), then stored (`store`)."""

    def __init__(self, *, user=None, publish: bool = False):
        self.user = user
        # Without `publish` (an editor), new and changed figures wait for a publisher, and
        # a figure the public sees is refused (docs/publication.md).
        self.publish = publish
        self.indicators = {i.code.lower(): i for i in Indicator.objects.all()}
        self.periods = {(p.kind, p.start, p.end): p for p in Period.objects.all()}
        self.period_kinds = _choice_words(PeriodKind.choices)
        self.value_kinds = _choice_words(ValueKind.choices)
        self.vintages = _choice_words(Vintage.choices) | VINTAGE_WORDS
        self.checked: list[_Row] = []
        self.errors: list[RowError] = []
        self.rows = 0
        # (indicator id, period, value kind) → the line that gave it first.
        self.seen: dict[tuple, int] = {}

    def check(self, rows: Iterable[Row]) -> None:
        for row in rows:
            self.rows += 1
            good, problems = self._check_row(row.line, row.cells)
            if good is not None:
                key = (good.indicator.pk, good.period_key, good.kind, good.vintage_key)
                first = self.seen.setdefault(key, row.line)
                if first != row.line:
                    problems = [
                        _("trùng chỉ tiêu, kỳ, loại số liệu và lần công bố với dòng %(line)d")
                        % {"line": first}
                    ]
                else:
                    self.checked.append(good)
            if problems:
                self.errors.append(RowError(row.line, "; ".join(problems)))

    def _check_row(self, line: int, row: dict[str, str]) -> tuple[_Row | None, list[str]]:
        problems = csvimport.length_problems(row, COLUMN_LIMITS)
        if problems:
            return None, problems
        code = row.get("indicator_code", "")
        indicator = self.indicators.get(code.lower())
        if indicator is None:
            problems.append(_("không có chỉ tiêu mã “%(code)s”") % {"code": code})

        period_kind = self.period_kinds.get(fold(row.get("period_kind", "")))
        start = csvimport.read_date(row.get("period_start", ""))
        end = csvimport.read_date(row.get("period_end", ""))
        if period_kind is None:
            problems.append(
                _("loại kỳ “%(kind)s” không có") % {"kind": row.get("period_kind", "")}
            )
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

        kind = self.value_kinds.get(fold(row.get("value_kind", "")))
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
                if abs(number) >= Decimal(10) ** 16 or number != number.quantize(
                    Decimal("0.0001")
                ):
                    problems.append(
                        _("số “%(text)s” quá lớn hoặc quá 4 chữ số thập phân") % {"text": text}
                    )
        elif not row.get("note"):
            problems.append(_("không có số liệu thì phải có ghi chú"))

        vintage = None
        vintage_text = _first_cell(row, VINTAGE_COLUMNS)
        if vintage_text:
            vintage = self.vintages.get(fold(vintage_text))
            if vintage is None:
                problems.append(
                    _("lần công bố “%(text)s” không có (ước tính, sơ bộ, chính thức, điều chỉnh)")
                    % {"text": vintage_text}
                )
        released_on = None
        date_text = _first_cell(row, VINTAGE_DATE_COLUMNS)
        if date_text:
            released_on = csvimport.read_date(date_text)
            if released_on is None:
                problems.append(_("ngày công bố “%(text)s” không hợp lệ") % {"text": date_text})
        if vintage == Vintage.REVISED and not date_text:
            problems.append(_("số điều chỉnh phải có ngày công bố (cột vintage_date)"))
        if problems:
            return None, problems
        return (
            _Row(
                line=line,
                indicator=indicator,
                period_key=(period_kind, start, end),
                kind=kind,
                value=number,
                vintage=vintage,
                released_on=released_on,
                source_text=row.get("source", ""),
                note=row.get("note", ""),
            ),
            [],
        )

    def store(self, result: ImportResult, *, dry_run: bool) -> None:
        """Create the new periods and figures and update the changed ones, counting them
        in `result`; with `dry_run` only count."""
        new_periods = []
        for key in dict.fromkeys(row.period_key for row in self.checked):
            if key not in self.periods:
                kind, start, end = key
                self.periods[key] = Period(kind=kind, start=start, end=end)
                new_periods.append(self.periods[key])
        result.periods_created = len(new_periods)
        to_create, to_update, locked = [], [], []
        for start in range(0, len(self.checked), BATCH):
            rows = self.checked[start : start + BATCH]
            stored: dict[tuple, list[Value]] = {}
            for v in Value.all_objects.select_related("indicator").filter(
                indicator_id__in={row.indicator.pk for row in rows},
                period_id__in={
                    self.periods[row.period_key].pk
                    for row in rows
                    if self.periods[row.period_key].pk
                },
            ):
                stored.setdefault((v.indicator_id, v.period_id, v.kind), []).append(v)
            for row in rows:
                period = self.periods[row.period_key]
                vintages = stored.get((row.indicator.pk, period.pk, row.kind), [])
                value = stored_vintage(vintages, row.vintage, row.released_on)
                fields = {
                    "value": row.value,
                    "vintage": row.vintage if row.vintage is not None else "",
                    "released_on": row.released_on,
                    "source_text": row.source_text,
                    "note": row.note,
                }
                if value is None:
                    value = Value(indicator=row.indicator, period=period, kind=row.kind, **fields)
                    to_create.append(value)
                    result.created += 1
                else:
                    if row.vintage is None:
                        fields["vintage"] = value.vintage
                    if row.released_on is None:
                        fields["released_on"] = value.released_on
                    changed = [name for name, new in fields.items() if getattr(value, name) != new]
                    if not changed and not (self.publish and value.pending):
                        result.unchanged += 1
                        continue
                    if not self.publish and is_locked(value):
                        locked.append(row.line)
                        continue
                    for name in changed:
                        setattr(value, name, fields[name])
                    to_update.append(value)
                    result.updated += 1
                value.pending = not self.publish
                try:
                    value.clean_fields(
                        exclude=["indicator", "period", "source_document", "source_meeting"]
                    )
                except ValidationError as error:
                    # Rules checked only by the model (should not happen after the checks).
                    raise ValidationError(
                        [str(RowError(row.line, "; ".join(error.messages)))]
                    ) from error
        if locked:
            message = _("số liệu đang công bố: chỉ người công bố được sửa")
            result.errors = [RowError(line, message) for line in locked]
            result.created = result.updated = result.unchanged = result.periods_created = 0
            return
        if dry_run:
            return
        reason = _("Nhập từ tệp CSV")
        with transaction.atomic():
            for period in new_periods:
                period.clean()  # its dates were checked with the row; this sets its slug
            bulk_create_with_history(
                new_periods,
                Period,
                batch_size=BATCH,
                default_user=self.user,
                default_change_reason=reason,
            )
            bulk_create_with_history(
                to_create,
                Value,
                batch_size=BATCH,
                default_user=self.user,
                default_change_reason=reason,
            )
            bulk_update_with_history(
                to_update,
                Value,
                [*VALUE_FIELDS, "pending"],
                batch_size=BATCH,
                default_user=self.user,
                default_change_reason=reason,
                manager=Value.all_objects,
            )
            records_changed(Period, Value)  # bulk writes send no signal
            if self.publish:  # approved at once: a public change of each indicator
                shown = {value.indicator_id: value.indicator for value in [*to_create, *to_update]}
                change_log.imported_in_bulk(shown.values(), [Value._meta.label_lower])


def stored_vintage(
    vintages: list[Value], vintage: str | None, released_on: datetime.date | None
) -> Value | None:
    """The stored vintage (among one figure's `vintages`) a new number for `vintage`
    replaces: the same vintage (a revision: of the same day); with no vintage given, the
    latest one. None: the number is a new vintage."""
    if vintage is None:
        return max(vintages, key=Value.vintage_order, default=None)
    for value in vintages:
        if value.vintage == vintage and (
            vintage != Vintage.REVISED or value.released_on == released_on
        ):
            return value
    return None


def import_values(
    *, content: bytes | str, dry_run: bool = False, user=None, publish: bool = False
) -> ImportResult:
    """Check every row of a values file (CSV or XLSX) and, only if all are valid, store
    them all.

    With `dry_run` nothing is written; the result counts what would be created or updated.
    Every bad row is reported with its line number and every reason it is bad.
    """
    result = ImportResult(dry_run=dry_run)
    try:
        table = read_table(content)
    except csvimport.Refused as refused:
        result.errors = [RowError(p.line, p.message) for p in refused.problems]
        return result
    run = ValueImport(user=user, publish=publish)
    for start in range(0, len(table.rows), BATCH):
        run.check(table.rows[start : start + BATCH])
    return finish(run, dry_run=dry_run)


def finish(run: ValueImport, *, dry_run: bool) -> ImportResult:
    """The result of a checked import, after storing it when it is good and not a dry
    run."""
    result = ImportResult(dry_run=dry_run, rows=run.rows, errors=run.errors)
    if result.errors:
        return result
    try:
        run.store(result, dry_run=dry_run)
    except ValidationError as error:
        result.errors.append(RowError(0, "; ".join(error.messages)))
        result.created = result.updated = result.unchanged = result.periods_created = 0
    return result


def summary(result: ImportResult) -> list[str]:
    """What a good import did (or would do, on a dry run), in a sentence for staff."""
    counts = {
        "rows": number_format(result.rows, force_grouping=True),
        "created": number_format(result.created, force_grouping=True),
        "updated": number_format(result.updated, force_grouping=True),
        "unchanged": number_format(result.unchanged, force_grouping=True),
        "periods": number_format(result.periods_created, force_grouping=True),
    }
    if result.dry_run:
        return [
            _(
                "Tệp hợp lệ: %(rows)s dòng — sẽ thêm %(created)s, cập nhật %(updated)s, không "
                "đổi %(unchanged)s; kỳ mới: %(periods)s. Chưa lưu gì (chỉ kiểm tra)."
            )
            % counts
        ]
    return [
        _(
            "Đã nhập %(rows)s dòng: %(created)s mới, %(updated)s cập nhật, %(unchanged)s "
            "không đổi; kỳ mới: %(periods)s."
        )
        % counts
    ]


def run_job(job: ImportJob) -> None:
    """The background part of an admin import (portal/imports.py): rows checked batch by
    batch with progress saved after each, then stored all at once or not at all."""
    dry_run = job.options.get("dry_run", False)
    table = read_table(imports.upload_of(job))
    run = ValueImport(user=job.user, publish=job.options.get("publish", False))
    for start in range(0, len(table.rows), BATCH):
        run.check(table.rows[start : start + BATCH])
        imports.progress(job, checked=run.rows)
    if not run.errors and not dry_run:
        imports.progress(job, checked=run.rows, status=ImportStatus.WRITING)
    result = finish(run, dry_run=dry_run)
    imports.finish(
        job,
        status=ImportStatus.DONE if result.ok else ImportStatus.REFUSED,
        errors=[(error.line, error.message) for error in result.errors],
        summary=summary(result) if result.ok else [],
    )


GRID_KINDS = (ValueKind.ACTUAL, ValueKind.TARGET, ValueKind.SCENARIO)


@transaction.atomic
def save_period_grid(
    *,
    period: Period,
    figures: dict[int, dict[str, Decimal | None]],
    vintage: str = "",
    released_on: datetime.date | None = None,
    source_text: str = "",
    publish: bool = False,
) -> tuple[int, int, list[Value]]:
    """Store the figures typed into the admin grid for one period: {indicator id: {kind: n}}.

    With a `vintage`, a number replaces that vintage of the figure or is added as a new
    vintage beside the earlier ones; without, it replaces the latest vintage (or is added,
    its vintage not stated). A blank cell (None) leaves a stored figure as it is (figures
    are deleted from the indicator's page, on purpose). Without `publish` (an editor), new
    and changed figures wait for a publisher, and a figure the public sees is not changed.
    Returns (created, updated, the public figures left unchanged).
    """
    created = updated = 0
    refused = []
    existing: dict[tuple, list[Value]] = {}
    for value in Value.all_objects.filter(period=period, indicator_id__in=figures.keys()):
        existing.setdefault((value.indicator_id, value.kind), []).append(value)
    for indicator_id, by_kind in figures.items():
        for kind, number in by_kind.items():
            if number is None:
                continue
            value = stored_vintage(
                existing.get((indicator_id, kind), []), vintage or None, released_on
            )
            if value is None:
                value = Value(
                    indicator_id=indicator_id,
                    period=period,
                    kind=kind,
                    value=number,
                    vintage=vintage,
                    released_on=released_on,
                    source_text=source_text,
                )
                created += 1
            elif value.value == number:
                continue
            elif not publish and is_locked(value):
                refused.append(value)
                continue
            else:
                value.value = number
                if released_on:
                    value.released_on = released_on
                if source_text:
                    value.source_text = source_text
                updated += 1
            value.pending = not publish
            value.full_clean()
            value.save()
    return created, updated, refused
