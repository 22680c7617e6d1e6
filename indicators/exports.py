"""The CSV download of an indicator: the import's columns first, so a download re-imports."""

from collections.abc import Iterator

from .models import Indicator, ValueKind, figures_by_period

HEADER = [
    "indicator_code",
    "period_kind",
    "period_start",
    "period_end",
    "value_kind",
    "value",
    "status",
    "source",
    "note",
    "indicator_name",
    "unit",
    "period_label",
    "value_kind_label",
    "verdict",
    "source_document",
]


def indicator_rows(indicator: Indicator) -> Iterator[list[str]]:
    """Header, then one row per figure, oldest period first. Numbers use a dot decimal."""
    yield HEADER
    for figures in figures_by_period(indicator):
        verdict = figures.verdict
        for value in figures.values:
            document = value.source_document  # prefetched: public, published documents only
            yield [
                indicator.code,
                figures.period.kind,
                figures.period.start.isoformat(),
                figures.period.end.isoformat(),
                value.kind,
                "" if value.value is None else format(value.value.normalize(), "f"),
                value.figure_status,
                value.source_text,
                value.note,
                indicator.name,
                indicator.unit_label,
                figures.period.label,
                str(value.get_kind_display()),
                verdict.text if verdict and value.kind == ValueKind.ACTUAL else "",
                document.title if document is not None else "",
            ]
