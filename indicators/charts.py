"""Server-side SVG line charts: no JavaScript, no CDN, readable without colour.

Each series has its own marker shape and dash pattern, the legend repeats them, and every
point carries a `<title>` with its label and value. The chart is `role="img"` labelled by
its `<title>` and described by its `<desc>`; the page shows the same data as a table.
"""

import math
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from .numbers import format_number

WIDTH = 480
HEIGHT = 300
MARGIN_LEFT = 56
MARGIN_RIGHT = 16
MARGIN_TOP = 48
MARGIN_BOTTOM = 56


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
) -> Chart:
    """An accessible SVG line chart of `series` over the categories `labels`.

    Missing values (None) leave a gap. Returns the markup and the plotted points (so tests
    and callers can check what was drawn without parsing).
    """
    numbers = [float(v) for s in series for v in s.values if v is not None]
    if not numbers or not labels:
        return Chart(svg=mark_safe(""))
    # A line chart need not start at zero; the axis labels say where it starts.
    low, high = min(numbers), max(numbers)
    ticks = nice_ticks(low, high)
    y_min, y_max = ticks[0], ticks[-1]
    plot_w = WIDTH - MARGIN_LEFT - MARGIN_RIGHT
    plot_h = HEIGHT - MARGIN_TOP - MARGIN_BOTTOM
    slot = plot_w / len(labels)

    def x_of(index: int) -> float:
        return MARGIN_LEFT + slot * (index + 0.5)

    def y_of(number: float) -> float:
        return MARGIN_TOP + plot_h * (y_max - number) / (y_max - y_min)

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
                WIDTH - MARGIN_RIGHT,
                _n(y),
                _n(y),
                MARGIN_LEFT - 6,
                _n(y + 4),
                format_number(Decimal(str(tick))),
            )
        )
    # X axis labels, wrapped over two lines when long.
    for index, label in enumerate(labels):
        words = label.split()
        lines = [label] if len(label) <= 14 else _two_lines(words)
        tspans = format_html_join(
            "",
            '<tspan x="{}" dy="{}">{}</tspan>',
            ((_n(x_of(index)), "0" if n == 0 else "1.2em", line) for n, line in enumerate(lines)),
        )
        parts.append(
            format_html(
                '<text class="tick tick--x" y="{}" text-anchor="middle">{}</text>',
                HEIGHT - MARGIN_BOTTOM + 18,
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
    # Legend: one sample line with its marker per series, above the plot.
    legend_x = MARGIN_LEFT
    for number, one in enumerate(series):
        style = one.style or STYLES[number % len(STYLES)]
        parts.append(
            format_html(
                '<g class="legend-item"><line class="line line--{}" x1="{}" x2="{}" y1="18" '
                'y2="18"{}/>{}<text x="{}" y="22">{}</text></g>',
                style.css,
                legend_x,
                legend_x + 28,
                format_html(' stroke-dasharray="{}"', style.dash) if style.dash else "",
                _marker(style.marker, legend_x + 14, 18, style.css),
                legend_x + 34,
                one.name,
            )
        )
        legend_x += 34 + 9 * len(one.name) + 20
    svg = format_html(
        '<svg class="chart indicator-chart" role="img" viewBox="0 0 {} {}" '
        'xmlns="http://www.w3.org/2000/svg" aria-labelledby="{}-title {}-desc" '
        'preserveAspectRatio="xMidYMid meet">'
        '<title id="{}-title">{}</title><desc id="{}-desc">{}</desc>'
        '<g class="axis-unit"><text x="6" y="{}">{}</text></g>{}</svg>',
        WIDTH,
        HEIGHT,
        chart_id,
        chart_id,
        chart_id,
        title,
        chart_id,
        description,
        MARGIN_TOP - 8,
        unit,
        mark_safe("".join(parts)),  # every part was built with format_html above
    )
    return Chart(svg=svg, points=points)


def _two_lines(words: list[str]) -> list[str]:
    best = len(words) // 2 or 1
    return [" ".join(words[:best]), " ".join(words[best:])] if len(words) > 1 else words
