"""A progress chart drawn on the server as SVG geometry, readable without JavaScript.

`progress_chart()` turns the updates into coordinates and texts; the template only places
them, so no markup is built in Python and nothing is marked safe.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.utils.formats import date_format
from django.utils.translation import gettext

from .schedule import format_percent

WIDTH, HEIGHT = 640, 300
LEFT, RIGHT, TOP, BOTTOM = 60, 16, 16, 40


@dataclass(frozen=True)
class Point:
    x: str
    y: str
    day: str
    percent: str


@dataclass(frozen=True)
class Tick:
    position: str
    label: str
    anchor: str = "middle"


@dataclass
class ProgressChart:
    points: list[Point]
    polyline: str
    plan: tuple[str, str, str, str] | None
    x_ticks: list[Tick]
    y_ticks: list[Tick]
    description: str
    width: int = WIDTH
    height: int = HEIGHT
    plot_left: int = LEFT
    plot_right: int = WIDTH - RIGHT
    plot_bottom: int = HEIGHT - BOTTOM
    x_label_y: int = HEIGHT - BOTTOM + 20


def _num(value: float) -> str:
    return f"{value:.1f}"


def _day(value: datetime.date) -> str:
    return date_format(value, "SHORT_DATE_FORMAT")


def _x_ticks(start: datetime.date, end: datetime.date, x) -> list[Tick]:
    """Years when the chart spans more than about a year, else its first and last day."""
    years = [datetime.date(year, 1, 1) for year in range(start.year + 1, end.year + 1)]
    if (end - start).days > 400 and len(years) <= 12:
        return [Tick(x(day), str(day.year)) for day in years]
    return [Tick(_num(LEFT), _day(start), "start"), Tick(_num(WIDTH - RIGHT), _day(end), "end")]


def progress_chart(
    measurements: list[tuple[datetime.date, Decimal]],
    *,
    planned_start: datetime.date | None = None,
    planned_finish: datetime.date | None = None,
) -> ProgressChart | None:
    """Physical progress over time, with the straight-line plan when both dates are known.

    `measurements` are (date, percent) pairs in date order; None when there are none.
    """
    if not measurements:
        return None
    has_plan = planned_start is not None and planned_finish is not None
    days = [day for day, _ in measurements]
    if has_plan:
        days += [planned_start, planned_finish]
    start, end = min(days), max(days)
    if start == end:
        start -= datetime.timedelta(days=30)
        end += datetime.timedelta(days=30)
    span = (end - start).days
    plot_width = WIDTH - LEFT - RIGHT
    plot_height = HEIGHT - TOP - BOTTOM

    def x(day: datetime.date) -> str:
        return _num(LEFT + (day - start).days / span * plot_width)

    def y(percent: Decimal | int) -> str:
        return _num(TOP + (100 - float(percent)) / 100 * plot_height)

    points = [
        Point(x(day), y(value), _day(day), format_percent(value)) for day, value in measurements
    ]
    plan = None
    if has_plan:
        plan = (x(planned_start), y(0), x(planned_finish), y(100))

    first_day, first_value = measurements[0]
    last_day, last_value = measurements[-1]
    if len(measurements) == 1:
        description = gettext("Một lần cập nhật: %(value)s khối lượng ngày %(day)s.") % {
            "value": format_percent(first_value),
            "day": _day(first_day),
        }
    else:
        description = gettext(
            "%(count)d lần cập nhật, từ %(first)s ngày %(first_day)s đến %(last)s ngày "
            "%(last_day)s."
        ) % {
            "count": len(measurements),
            "first": format_percent(first_value),
            "first_day": _day(first_day),
            "last": format_percent(last_value),
            "last_day": _day(last_day),
        }
    if has_plan:
        description += " " + gettext(
            "Đường nét đứt là kế hoạch tuyến tính từ 0%% ngày khởi công (%(start)s) đến 100%% "
            "ngày hoàn thành theo kế hoạch (%(finish)s)."
        ) % {"start": _day(planned_start), "finish": _day(planned_finish)}

    return ProgressChart(
        points=points,
        polyline=" ".join(f"{p.x},{p.y}" for p in points),
        plan=plan,
        x_ticks=_x_ticks(start, end, x),
        y_ticks=[Tick(y(value), f"{value}%", "end") for value in (0, 25, 50, 75, 100)],
        description=description,
    )
