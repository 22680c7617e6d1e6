import csv

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from portal import downloads
from portal.lists import html_filterset, without_nul
from portal.rate_limits import DOWNLOAD, SEARCH, is_download, is_search, rate_limited

from .charts import STYLES, Series, responsive_chart
from .exports import download_dashboard, indicator_rows
from .filters import IndicatorFilter
from .models import (
    CATEGORY_ORDER,
    Category,
    Indicator,
    Period,
    PeriodFigures,
    PeriodKind,
    Value,
    ValueKind,
    figures_by_indicator,
    figures_by_period,
    latest_figures,
)


@rate_limited(DOWNLOAD, when=is_download)
@rate_limited(SEARCH, when=is_search)
def dashboard(request):
    """Each published indicator the filters select with its latest figures, whatever the
    kind of their period (or the figures of the period asked for), grouped by category."""
    if (fmt := downloads.requested_format(request)) is not None:
        return download_dashboard(request, fmt)
    params = without_nul(request.GET)
    filterset = html_filterset(
        request, IndicatorFilter, params, queryset=Indicator.objects.published()
    )
    periods = list(Period.objects.with_published_values())
    period = filterset.form.cleaned_data.get("period")
    rows = list(figures_by_indicator(Value.objects.for_dashboard(filterset.qs, period)))
    rows.sort(key=lambda r: CATEGORY_ORDER.get(r.indicator.category, 99))
    groups = []
    for row in rows:
        if not groups or groups[-1]["category"] != row.indicator.category:
            groups.append(
                {
                    "category": row.indicator.category,
                    "label": Category(row.indicator.category).label,
                    "rows": [],
                }
            )
        groups[-1]["rows"].append(row)
    return render(
        request,
        "indicators/dashboard.html",
        {"period": period, "periods": periods, "groups": groups, "filter": filterset},
    )


def _published_indicator(code: str) -> Indicator:
    return get_object_or_404(Indicator.objects.published().for_detail(), code=code)


def _canonical(code: str, view_name: str):
    """A code typed in capitals (`GRDP-growth`) redirects permanently to its lower-case URL."""
    if code != code.lower() and Indicator.objects.published().filter(code=code.lower()).exists():
        return redirect(view_name, code=code.lower(), permanent=True)
    return None


def indicator_detail(request, code):
    if response := _canonical(code, "indicators:detail"):
        return response
    indicator = _published_indicator(code)
    figures = figures_by_period(indicator)
    choices = chart_choices(figures)
    kind = next((k for k, _n in choices if k == request.GET.get("chart")), None)
    if kind is None and choices:
        kind = choices[0][0]
    chart = None
    if kind is not None:
        chart = _chart(indicator, kind, [f for f in figures if f.period.kind == kind])
    return render(
        request,
        "indicators/detail.html",
        {
            "indicator": indicator,
            "figures": list(reversed(figures)),
            "latest": latest_figures(figures),
            "chart": chart,
            "chart_choices": choices if len(choices) > 1 else [],
            "kinds": [k for k in ValueKind if any(k in f.by_kind for f in figures)],
            "revised": [f for f in reversed(figures) if f.revisions],
        },
    )


CHARTED_KINDS = (ValueKind.ACTUAL, ValueKind.TARGET, ValueKind.SCENARIO)


def chart_choices(figures: list[PeriodFigures]) -> list[tuple[PeriodKind, int]]:
    """The kinds of period a chart can be drawn for, with their number of periods, the
    default (the longest series) first. A kind with a single period is offered only when
    no kind has a series: one lone point is no chart when a line can be drawn."""
    counts: dict[str, int] = {}
    for one in figures:
        if any(one.number(kind) is not None for kind in CHARTED_KINDS):
            counts[one.period.kind] = counts.get(one.period.kind, 0) + 1
    order = {kind: n for n, kind in enumerate(PeriodKind.values)}
    ranked = sorted(counts.items(), key=lambda item: (-item[1], order[item[0]]))
    series = [(PeriodKind(kind), n) for kind, n in ranked if n > 1]
    if series:
        return series
    return [(PeriodKind(kind), n) for kind, n in ranked[:1]]


def _chart(indicator: Indicator, kind: PeriodKind, figures: list[PeriodFigures]):
    """A chart of the actual figure against the target or scenario for one kind of period."""
    series = []
    for value_kind in CHARTED_KINDS:
        numbers = [f.number(value_kind) for f in figures]
        if any(n is not None for n in numbers):
            series.append(
                Series(
                    name=str(value_kind.label),
                    values=numbers,
                    key=value_kind.value,
                )
            )
    if not series:
        return None
    # The actual is always the solid line with circles; the target and the scenario get
    # their own dash patterns and markers, so they differ without colour.
    style_by_kind = {"actual": STYLES[0], "target": STYLES[1], "scenario": STYLES[2]}
    for one in series:
        one.style = style_by_kind[one.key]
    labels = [f.period.label for f in figures]
    title = _("%(indicator)s theo kỳ: %(kind)s") % {
        "indicator": indicator.name,
        "kind": kind.label.lower(),
    }
    description = _("Biểu đồ đường: %(series)s; %(n)d kỳ, từ %(first)s đến %(last)s.") % {
        "series": ", ".join(s.name for s in series),
        "n": len(labels),
        "first": labels[0],
        "last": labels[-1],
    }
    return {
        "kind": kind,
        "chart": responsive_chart(
            chart_id=f"chart-{kind.value}",
            title=title,
            description=description,
            labels=labels,
            series=series,
            unit=indicator.unit_short,
        ),
    }


@rate_limited(DOWNLOAD)
def indicator_csv(request, code):
    if response := _canonical(code, "indicators:csv"):
        return response
    indicator = _published_indicator(code)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="indicator-{indicator.code}.csv"'
    response.write("\ufeff")  # Excel reads UTF-8 only with the byte-order mark.
    writer = csv.writer(response)
    for row in indicator_rows(indicator):
        writer.writerow([downloads.csv_cell(value) for value in row])
    return response
