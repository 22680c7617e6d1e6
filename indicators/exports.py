"""The CSV download of an indicator: the import's columns first, so a download re-imports.
Below it, the dashboard's download: one row per indicator for the chosen period.

The columns after `note` are informative (labels, verdict, source titles); the import
ignores them, so files written before a column was added still import.
"""

from collections.abc import Iterator

from django.db.models import Case, IntegerField, When
from django.db.models import Value as SqlValue

from portal import downloads
from portal.downloads import Column
from portal.lists import without_nul

from .filters import IndicatorFilter
from .models import (
    CATEGORY_ORDER,
    Indicator,
    Period,
    PeriodFigures,
    Value,
    ValueKind,
    figures_by_indicator,
    figures_by_period,
)

HEADER = [
    "indicator_code",
    "period_kind",
    "period_start",
    "period_end",
    "value_kind",
    "value",
    "vintage",
    "vintage_date",
    "source",
    "note",
    "indicator_name",
    "unit",
    "period_label",
    "value_kind_label",
    "vintage_label",
    "verdict",
    "source_document",
    "source_meeting",
]


def indicator_rows(indicator: Indicator) -> Iterator[list]:
    """Header, then one row per figure (its latest vintage, named in `vintage`), oldest
    period first, values still typed (dates,
    Decimals): the CSV writer formats them (`downloads.csv_cell`: ISO dates, dot decimal)
    and makes only the text spreadsheet-safe."""
    yield HEADER
    for figures in figures_by_period(indicator):
        verdict = figures.verdict
        for value in figures.values:
            document = value.source_document  # prefetched: public, published documents only
            meeting = value.public_source_meeting  # selected with the value; drafts -> None
            yield [
                indicator.code,
                figures.period.kind,
                figures.period.start,
                figures.period.end,
                value.kind,
                value.value,
                value.vintage,
                value.released_on,
                value.source_text,
                value.note,
                indicator.name,
                indicator.unit_label,
                figures.period.label,
                str(value.get_kind_display()),
                str(value.get_vintage_display()) if value.vintage else "",
                verdict.text if verdict and value.kind == ValueKind.ACTUAL else "",
                document.title if document is not None else "",
                meeting.title if meeting is not None else "",
            ]


# The dashboard as open data: one row per published indicator with figures, each with its
# latest figures (of the period asked for, else of the indicator's latest period).
DASHBOARD_COLUMNS = [
    Column("indicator_code", lambda f: f.indicator.code),
    Column("indicator_name", lambda f: f.indicator.name),
    Column("category", lambda f: f.indicator.category),
    Column("unit", lambda f: f.indicator.unit),
    Column("period", lambda f: f.period.slug),
    Column("period_kind", lambda f: f.period.kind),
    Column("period_start", lambda f: f.period.start),
    Column("period_end", lambda f: f.period.end),
    *[Column(kind, lambda f, kind=kind: f.number(kind)) for kind in ValueKind.values],
    *[
        Column(f"{kind}_vintage", lambda f, kind=kind: _vintage(f.by_kind.get(kind)))
        for kind in ValueKind.values
    ],
    Column("verdict", lambda f: f.verdict.outcome if f.verdict else ""),
    Column("verdict_text", lambda f: f.verdict.text if f.verdict else ""),
    Column("url", lambda f: f.indicator.get_absolute_url(), url=True),
    Column("csv_url", lambda f: f.indicator.get_csv_url(), url=True),
]


def _vintage(value: Value | None) -> str:
    return value.vintage if value is not None else ""


def dashboard_figures(period: Period | None, indicators) -> Iterator[PeriodFigures]:
    """The figures the dashboard shows for `indicators` (the dashboard's filters'
    selection), indicator by indicator in the dashboard's order, streamed: of `period`, or
    when it is None each indicator's latest (`Value.objects.for_dashboard`)."""
    rank = Case(
        *[When(indicator__category=c, then=SqlValue(n)) for c, n in CATEGORY_ORDER.items()],
        default=SqlValue(len(CATEGORY_ORDER)),
        output_field=IntegerField(),
    )
    values = (
        Value.objects.for_dashboard(indicators, period)
        .alias(category_rank=rank)
        .order_by("category_rank", "indicator__order", "indicator__code", "kind")
        .iterator(chunk_size=downloads.CHUNK_SIZE)
    )
    yield from figures_by_indicator(values)


def download_dashboard(request, fmt: str):
    """The dashboard (`?period=<slug>`, else each indicator's latest figures) as CSV or
    JSON, with the dashboard's filters; an invalid filter is a 400 that names it."""
    if not fmt:
        return downloads.unknown_format()
    filterset = IndicatorFilter(without_nul(request.GET), queryset=Indicator.objects.published())
    if not filterset.is_valid():
        return downloads.refuse(downloads.problems(filterset))
    period = filterset.form.cleaned_data.get("period")
    rows = dashboard_figures(period, filterset.qs)
    return downloads.stream(request, fmt, "indicators", DASHBOARD_COLUMNS, rows)
