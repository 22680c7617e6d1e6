"""`{% language_alternates as alternates %}`: the page's address in each language, for
its `<link rel="alternate" hreflang>` and `<link rel="canonical">` (portal/languages.py)."""

from django import template

from portal.languages import alternates

register = template.Library()


@register.simple_tag(takes_context=True)
def language_alternates(context) -> list[tuple[str, str]]:
    request = context.get("request")
    return alternates(request) if request is not None else []
