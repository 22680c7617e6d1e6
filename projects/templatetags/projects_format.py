from decimal import Decimal

from django import template
from django.utils import numberformat
from django.utils.formats import get_format

register = template.Library()


@register.filter
def grouped(value: Decimal | None) -> str:
    """A whole amount with thousands grouped in the visitor's language: 15.000.000 (vi).

    `floatformat:"0g"` groups only when the format module sets NUMBER_GROUPING, which the
    portal's date-only format modules do not.
    """
    if value is None or value == "":
        return ""
    return numberformat.format(
        value,
        get_format("DECIMAL_SEPARATOR"),
        decimal_pos=0,
        grouping=3,
        thousand_sep=get_format("THOUSAND_SEPARATOR"),
        force_grouping=True,
    )
