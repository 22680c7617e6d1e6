"""Filters that write figures as a citizen reads them: `7,63%`, `16.765 đơn vị`, `19 bậc`."""

from decimal import Decimal

from django import template
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext as _

from ..models import UNIT_LABELS, Unit, Value, ValueKind, VerdictChange
from ..numbers import format_number
from ..verdicts import NO_VERDICT_TEXT, Verdict

register = template.Library()


@register.filter
def num(value) -> str:
    """A number in the active language's notation (`7,63` / `7.63`), grouped thousands."""
    if value is None or value == "":
        return "—"
    return format_number(Decimal(str(value)))


def with_unit(number: Decimal | None, unit: str, places: int | None = None) -> str:
    """`7,63%`, `+51,4%` (a change on the same period), `16.765 đơn vị`, `19 bậc`."""
    if number is None:
        return _("không nêu số")
    text = format_number(number, places)
    if unit == Unit.PERCENT:
        return f"{text}%"
    if unit == Unit.PERCENT_CHANGE:
        return f"+{text}%" if number > 0 else f"{text}%"
    if unit == Unit.RANK:
        return f"{Unit.RANK.label} {text}"
    return f"{text} {UNIT_LABELS[unit]}" if unit in UNIT_LABELS else text


@register.filter
def figure(value: Value | None) -> str:
    """A stored figure with its unit; a share of the annual estimate is always in %."""
    if value is None:
        return "—"
    if value.kind == ValueKind.PERCENT_OF_ESTIMATE:
        return with_unit(value.value, Unit.PERCENT)
    return with_unit(value.value, value.indicator.unit, value.indicator.decimals)


@register.filter
def vintage(value: Value | None) -> str:
    """Which vintage a figure is, as a reader sees it: `sơ bộ, 29/06/2025`, `chính thức`;
    empty when the report did not say."""
    if value is None or not (value.vintage or value.released_on):
        return ""
    parts = []
    if value.vintage:
        parts.append(str(value.get_vintage_display()).lower())
    if value.released_on:
        parts.append(date_format(value.released_on, "SHORT_DATE_FORMAT"))
    return ", ".join(parts)


# The verdict filters build their few tags here rather than in an include: the dashboard
# shows a verdict on every card, and an include per card cost more than the card's figures.


@register.filter
def verdict_badge(verdict: Verdict | None) -> str:
    """ "Đạt kế hoạch" / "Chưa đạt kịch bản"… as a badge (the ✓ or ✗ hidden from screen
    readers, which read the words), or the neutral badge when there is nothing to judge."""
    if verdict is None:
        return format_html(
            '<span class="badge badge--neutral verdict"><span aria-hidden="true">– </span>'
            "{}</span>",
            NO_VERDICT_TEXT,
        )
    return format_html(
        '<span class="badge {} verdict"><span aria-hidden="true">{} </span>{}</span>',
        "badge--ok" if verdict.met else "badge--bad",
        "✓" if verdict.met else "✗",
        verdict.text,
    )


@register.filter
def verdict_change(change: VerdictChange | None) -> str:
    """The verdict before the latest revisions, when a revision changed it; else nothing."""
    if change is None:
        return ""
    if change.revised_on:
        text = _("Trước khi số liệu được điều chỉnh ngày %(revised_on)s: %(before)s.") % {
            "revised_on": date_format(change.revised_on, "SHORT_DATE_FORMAT"),
            "before": change.before.text,
        }
    else:
        text = _("Trước khi số liệu được điều chỉnh: %(before)s.") % {"before": change.before.text}
    return format_html('<br><span class="muted verdict-change">{}</span>', text)
