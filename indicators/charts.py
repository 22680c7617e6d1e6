"""Server-side SVG line charts: no JavaScript, no CDN, readable without colour.

Each series has its own marker shape and dash pattern, the legend repeats them, and every
point carries a `<title>` with its label and value. The chart is `role="img"` labelled by
its `<title>` and described by its `<desc>`; the page shows the same data as a table.

Text keeps its size whatever the width: an SVG's text scales with its viewBox, so
`responsive_chart` draws the chart at a few widths, each shown (by CSS, static/css/
indicators.css) only where the page is about that wide and never enlarged, so a label
drawn at 13 units reads as 12–13 px on a phone and on a desktop alike. Each width lays out
its own legend rows and thins its own axis labels.
"""

import math
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from .numbers import format_number

WIDTH = 480
# The widths `responsive_chart` draws, each shown from its own width up to the next
# (the figure is at most 44rem = 704 px wide).
WIDTHS = (320, 480, 704)
HEIGHT = 300
MARGIN_LEFT = 56
MARGIN_RIGHT = 16
MARGIN_TOP = 48  # with one legend row; each further row adds LEGEND_ROW
MARGIN_BOTTOM = 56
LEGEND_ROW = 20
# Roughly the width of a character of 13 px text, to lay out legends and axis labels.
CHAR_WIDTH = 7.5


@dataclass(frozen=True)
class SeriesStyle:
    css: str
    marker: str  # circle, square, diamond, triangle
    dash: str  # stroke-dasharray, "" for solid


STYLES = [
    SeriesStyle("actual", "circle", ""),
    SeriesStyle("reference", "square", "8 5"),
    SeriesStyle("other", "diamond", "2 4"),
    SeriesStyle("fourth", "triangle", "12 4 2 4"),
]


@dataclass
class Series:
    name: str
    values: list[Decimal | None]
    key: str = ""
    style: SeriesStyle | None = None


@dataclass
class Point:
    series: str
    label: str
    value: Decimal
    x: float
    y: float


@dataclass
class Chart:
    svg: SafeString
    points: list[Point] = field(default_factory=list)


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round tick values covering `low`..`high`, evenly spaced by 1, 2, 2.5 or 5 × 10^n."""
    if math.isclose(low, high):
        low, high = (low - 1, high + 1) if low else (0.0, 1.0)
    raw_step = (high - low) / max(count - 1, 1)
    magnitude = 10 ** math.floor(math.log10(raw_step))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw_step)
    first = math.floor(low / step) * step
    last = math.ceil(high / step) * step
    ticks = []
    tick = first
    while tick <= last + step / 2:
        ticks.append(round(tick, 10))
        tick += step
    return ticks


def _marker(shape: str, x: float, y: float, css: str) -> SafeString:
    if shape == "square":
        return format_html(
            '<rect class="marker marker--{}" x="{}" y="{}" width="9" height="9"/>',
            css,
            _n(x - 4.5),
            _n(y - 4.5),
        )
    if shape == "diamond":
        points = f"{_n(x)},{_n(y - 6)} {_n(x + 6)},{_n(y)} {_n(x)},{_n(y + 6)} {_n(x - 6)},{_n(y)}"
        return format_html('<polygon class="marker marker--{}" points="{}"/>', css, points)
    if shape == "triangle":
        points = f"{_n(x)},{_n(y - 6)} {_n(x + 6)},{_n(y + 5)} {_n(x - 6)},{_n(y + 5)}"
        return format_html('<polygon class="marker marker--{}" points="{}"/>', css, points)
    return format_html(
        '<circle class="marker marker--{}" cx="{}" cy="{}" r="5"/>', css, _n(x), _n(y)
    )


def _n(number: float) -> str:
    """Coordinates with at most two decimals, always with a dot (SVG syntax)."""
    return f"{number:.2f}".rstrip("0").rstrip(".")


def line_chart(
    *,
    chart_id: str,
    title: str,
    description: str,
    labels: list[str],
    series: list[Series],
    unit: str = "",
    width: int = WIDTH,
) -> Chart:
    """An accessible SVG line chart of `series` over the categories `labels`, laid out
    for `width` pixels.

    Missing values (None) leave a gap. Returns the markup and the plotted points (so tests
    and callers can check what was drawn without parsing).
    """
    numbers = [float(v) for s in series for v in s.values if v is not None]
    if not numbers or not labels:
        return Chart(svg=mark_safe(""))
    legend_rows = _legend_rows([one.name for one in series], width)
    margin_top = MARGIN_TOP + LEGEND_ROW * (len(legend_rows) - 1)
    # A line chart need not start at zero; the axis labels say where it starts.
    low, high = min(numbers), max(numbers)
    ticks = nice_ticks(low, high)
    y_min, y_max = ticks[0], ticks[-1]
    plot_w = width - MARGIN_LEFT - MARGIN_RIGHT
    plot_h = HEIGHT - margin_top - MARGIN_BOTTOM
    slot = plot_w / len(labels)

    def x_of(index: int) -> float:
        return MARGIN_LEFT + slot * (index + 0.5)

    def y_of(number: float) -> float:
        return margin_top + plot_h * (y_max - number) / (y_max - y_min)

    parts: list[SafeString] = []
    # Grid and y axis labels.
    for tick in ticks:
        y = y_of(tick)
        parts.append(
            format_html(
                '<line class="grid{}" x1="{}" x2="{}" y1="{}" y2="{}"/>'
                '<text class="tick tick--y" x="{}" y="{}" text-anchor="end">{}</text>',
                " grid--zero" if tick == 0 else "",
                MARGIN_LEFT,
                width - MARGIN_RIGHT,
                _n(y),
                _n(y),
                MARGIN_LEFT - 6,
                _n(y + 4),
                format_number(Decimal(str(tick))),
            )
        )
    # X axis labels, wrapped over two lines when long; when they do not fit side by side,
    # every `step`-th one, counted back from the latest.
    wrapped = [[label] if len(label) <= 14 else _two_lines(label.split()) for label in labels]
    widest = max(len(line) for lines in wrapped for line in lines) * CHAR_WIDTH + 8
    step = max(1, math.ceil(widest / slot))
    for index, lines in enumerate(wrapped):
        if (len(labels) - 1 - index) % step:
            continue
        # Under its point, but kept inside the chart at either end.
        x, anchor = x_of(index), "middle"
        half = max(len(line) for line in lines) * CHAR_WIDTH / 2
        if x + half > width - 2:
            x, anchor = width - 2, "end"
        elif x - half < 2:
            x, anchor = 2, "start"
        tspans = format_html_join(
            "",
            '<tspan x="{}" dy="{}">{}</tspan>',
            ((_n(x), "0" if n == 0 else "1.2em", line) for n, line in enumerate(lines)),
        )
        parts.append(
            format_html(
                '<text class="tick tick--x" y="{}" text-anchor="{}">{}</text>',
                HEIGHT - MARGIN_BOTTOM + 18,
                anchor,
                tspans,
            )
        )
    # Series: a path through consecutive values and a marker with a tooltip at each.
    points: list[Point] = []
    for number, one in enumerate(series):
        style = one.style or STYLES[number % len(STYLES)]
        key = one.key or style.css
        segments: list[list[tuple[float, float]]] = [[]]
        markers = []
        for index, value in enumerate(one.values):
            if value is None:
                segments.append([])
                continue
            x, y = x_of(index), y_of(float(value))
            segments[-1].append((x, y))
            points.append(Point(one.name, labels[index], value, round(x, 2), round(y, 2)))
            tooltip = f"{one.name}, {labels[index]}: {format_number(value)}"
            if unit:
                tooltip += f" {unit}" if unit != "%" else "%"
            markers.append(
                format_html(
                    '<g class="point" data-series="{}" data-label="{}" data-value="{}">'
                    "<title>{}</title>{}</g>",
                    key,
                    labels[index],
                    format(value.normalize(), "f"),
                    tooltip,
                    _marker(style.marker, x, y, style.css),
                )
            )
        for segment in segments:
            if len(segment) > 1:
                d = " ".join(
                    f"{'M' if i == 0 else 'L'}{_n(x)},{_n(y)}" for i, (x, y) in enumerate(segment)
                )
                parts.append(
                    format_html(
                        '<path class="line line--{}" d="{}"{}/>',
                        style.css,
                        d,
                        format_html(' stroke-dasharray="{}"', style.dash) if style.dash else "",
                    )
                )
        parts.extend(markers)
    # Legend: one sample line with its marker per series, above the plot, in rows that fit.
    number = 0
    for row, names in enumerate(legend_rows):
        legend_x, y = 6, 18 + LEGEND_ROW * row
        for name in names:
            one = series[number]
            style = one.style or STYLES[number % len(STYLES)]
            number += 1
            parts.append(
                format_html(
                    '<g class="legend-item"><line class="line line--{}" x1="{}" x2="{}" '
                    'y1="{}" y2="{}"{}/>{}<text x="{}" y="{}">{}</text></g>',
                    style.css,
                    legend_x,
                    legend_x + 28,
                    y,
                    y,
                    format_html(' stroke-dasharray="{}"', style.dash) if style.dash else "",
                    _marker(style.marker, legend_x + 14, y, style.css),
                    legend_x + 34,
                    y + 4,
                    name,
                )
            )
            legend_x += _legend_width(name)
    svg = format_html(
        '<svg class="chart indicator-chart indicator-chart--w{}" role="img" '
        'viewBox="0 0 {} {}" width="{}" height="{}" '
        'xmlns="http://www.w3.org/2000/svg" aria-labelledby="{}-title {}-desc" '
        'preserveAspectRatio="xMinYMin meet">'
        '<title id="{}-title">{}</title><desc id="{}-desc">{}</desc>'
        '<g class="axis-unit"><text x="6" y="{}">{}</text></g>{}</svg>',
        width,
        width,
        HEIGHT,
        width,
        HEIGHT,
        chart_id,
        chart_id,
        chart_id,
        title,
        chart_id,
        description,
        margin_top - 16,
        unit,
        mark_safe("".join(parts)),  # every part was built with format_html above
    )
    return Chart(svg=svg, points=points)


def responsive_chart(*, chart_id: str, **arguments) -> Chart:
    """The chart drawn at each of `WIDTHS` (ids suffixed with the width), for the page to
    show the one that fits; its points are those of the widest."""
    charts = [
        line_chart(chart_id=f"{chart_id}-{width}", width=width, **arguments) for width in WIDTHS
    ]
    return Chart(
        svg=mark_safe("".join(str(chart.svg) for chart in charts)),  # built by format_html
        points=charts[-1].points,
    )


def _legend_width(name: str) -> float:
    return 34 + CHAR_WIDTH * len(name) + 16


def _legend_rows(names: list[str], width: int) -> list[list[str]]:
    """The series' names in legend rows no wider than the chart."""
    rows: list[list[str]] = [[]]
    used = 6.0
    for name in names:
        if rows[-1] and used + _legend_width(name) > width - MARGIN_RIGHT:
            rows.append([])
            used = 6.0
        rows[-1].append(name)
        used += _legend_width(name)
    return rows


def _two_lines(words: list[str]) -> list[str]:
    best = len(words) // 2 or 1
    return [" ".join(words[:best]), " ".join(words[best:])] if len(words) > 1 else words
