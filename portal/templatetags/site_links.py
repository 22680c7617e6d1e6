"""`{% site_urls as site_urls %}`: the addresses every page links to (header, navigation,
footer), in the active language. The same on every page, so reversed once a process
rather than ten times a page; a tag, not a context processor, so that the 500 page, which
Django renders without them, keeps its links."""

import functools

from django import template
from django.urls import get_resolver, get_script_prefix, reverse
from django.utils.translation import get_language

register = template.Library()

# Name in `site_urls` → URL name and its arguments.
SITE_URLS = {
    "home": ("portal:home", {}),
    "set_language": ("set_language", {}),
    "documents": ("documents:list", {}),
    "meetings": ("meetings:list", {}),
    "indicators": ("indicators:list", {}),
    "projects": ("projects:list", {}),
    "search": ("portal:search", {}),
    "about": ("portal:page", {"slug": "gioi-thieu"}),
    "changes": ("changes:list", {}),
    "admin": ("admin:index", {}),
}


@register.simple_tag
def site_urls() -> dict[str, str]:
    return _reversed(get_language(), get_script_prefix(), get_resolver())


@functools.lru_cache(maxsize=64)
def _reversed(language: str | None, script_prefix: str, resolver) -> dict[str, str]:
    """`SITE_URLS` reversed: `reverse()` reads the active language, the script prefix and
    the URLconf (`resolver`, new when the URLconf is reloaded)."""
    return {name: reverse(view, kwargs=kwargs) for name, (view, kwargs) in SITE_URLS.items()}
