from django import template

from ..models import Indicator, figures_by_period

register = template.Library()


@register.inclusion_tag("indicators/_home.html")
def headline_indicators(limit: int = 4):
    """The latest figure of each headline indicator with its verdict (2 queries)."""
    rows = []
    for indicator in Indicator.objects.headlines()[:limit]:
        figures = [f for f in figures_by_period(indicator) if f.actual is not None]
        if figures:
            rows.append(figures[-1])
    return {"rows": rows}
