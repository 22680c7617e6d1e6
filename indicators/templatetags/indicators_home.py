from django import template

from ..models import Indicator, Value, figures_by_indicator

register = template.Library()


@register.inclusion_tag("indicators/_home.html")
def headline_indicators(limit: int = 4):
    """The latest figure of each headline indicator with its verdict (1 query: the figures
    of each one's latest period only; one with no actual figure is left out)."""
    headlines = Indicator.objects.headlines()[:limit]
    rows = figures_by_indicator(Value.objects.for_dashboard(headlines))
    return {"rows": [row for row in rows if row.actual is not None]}
