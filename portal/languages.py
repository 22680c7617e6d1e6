"""Which language an address is in, and the same page's address in the other language
(docs/languages.md).

The public pages are Vietnamese at their own addresses and English under `/en/`
(`i18n_patterns` in portal/urls.py). Addresses in no language — the API, the admin, the
sitemap, robots.txt, `/health/`, the language switch — answer in the language the cookie
chose, as every address did before `/en/` existed.
"""

import functools
from collections.abc import Callable
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest
from django.urls import Resolver404, get_resolver, resolve, reverse
from django.utils import translation
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language

# Files, the same in every language: never sent to an `/en/` address.
FILES = {"documents:attachment", "documents:open_data"}


def cookie_language(request: HttpRequest) -> str:
    """The language chosen with the switch (Django's language cookie), else Vietnamese.
    The browser's Accept-Language is never read: see portal.middleware."""
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    return chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def prefix_language(path: str) -> str | None:
    """The language whose prefix `path` starts with (`/en/…`), if any."""
    return translation.get_language_from_path(path)


def page_language(request: HttpRequest) -> str:
    """The language the answer is made in: the address's prefix; Vietnamese for a public
    page (or file) without one; elsewhere (API, admin, sitemap) the cookie's."""
    path = request.path_info
    if language := prefix_language(path):
        return language
    return settings.LANGUAGE_CODE if bilingual_view(path) else cookie_language(request)


def bilingual_view(path: str) -> str | None:
    """The view name of the unprefixed `path` if it also has an English address: a
    public page, or a file linked from one. Asked twice a request (the middleware, the
    page's alternates) and fixed by the URLconf alone, so remembered for each URLconf."""
    return _bilingual_view(path, get_resolver())


@functools.lru_cache(maxsize=1024)
def _bilingual_view(path: str, resolver) -> str | None:
    with translation.override(settings.LANGUAGE_CODE):
        try:
            match = resolve(path)
        except Resolver404:
            return None
    with translation.override("en"):
        try:
            english = resolve(f"/en{path}")
        except Resolver404:
            return None
    return match.view_name if english.view_name == match.view_name else None


def is_public_page(path: str) -> bool:
    """Whether the unprefixed `path` is a public page, which has an English address."""
    view_name = bilingual_view(path)
    return view_name is not None and view_name not in FILES


def english_address(request: HttpRequest) -> str | None:
    """Where to send a visitor whose cookie chose English and who asks for a public page
    at its Vietnamese address (an old link, a bookmark from before `/en/`): the page's
    English address. None when the page is to be answered as asked."""
    if (
        request.method not in ("GET", "HEAD")
        or cookie_language(request) == settings.LANGUAGE_CODE
        or prefix_language(request.path_info)
        or not is_public_page(request.path_info)
    ):
        return None
    full_path = request.get_full_path()
    prefix = request.META.get("SCRIPT_NAME", "").rstrip("/")
    return f"{prefix}/{cookie_language(request)}{full_path.removeprefix(prefix)}"


def in_each_language(build: Callable[..., str], *args) -> dict[str, str]:
    """Language → `build(*args)` with that language active (a `reverse()`)."""
    built = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            built[code] = build(*args)
    return built


def alternates(request: HttpRequest) -> list[tuple[str, str]]:
    """(hreflang, absolute address) of the page `request` asked for in each language, and
    the Vietnamese one again as `x-default`, query included; empty for what is not a public
    page in both languages (the API's docs). Error pages leave the block out (404.html)."""
    language = prefix_language(request.path_info) or settings.LANGUAGE_CODE
    unprefixed = request.path_info
    if language != settings.LANGUAGE_CODE:
        unprefixed = unprefixed.removeprefix(f"/{language}") or "/"
    if not is_public_page(unprefixed):
        return []
    match = request.resolver_match  # the page asked for, resolved in its own language
    query = request.META.get("QUERY_STRING", "")
    addresses = {
        code: request.build_absolute_uri(f"{path}?{query}" if query else path)
        for code, path in in_each_language(
            lambda: reverse(match.view_name, args=match.args, kwargs=match.kwargs)
        ).items()
    }
    return [*addresses.items(), ("x-default", addresses[settings.LANGUAGE_CODE])]


@csrf_exempt
def switch_language(request: HttpRequest):
    """Django's `set_language`, which sends the visitor to the page they were on in the
    language they chose (`translate_url`): that reads the page's address in the address's
    own language, whatever the cookie said."""
    next_url = request.POST.get("next", request.GET.get("next")) or request.headers.get(
        "Referer", ""
    )
    language = prefix_language(urlsplit(next_url).path) or settings.LANGUAGE_CODE
    with translation.override(language):
        return set_language(request)
