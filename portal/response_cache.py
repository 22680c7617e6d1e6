"""A shared cache of what anonymous visitors are answered: public pages, lists, searches,
feeds, the calendar, the sitemap and the API (README, "Response cache").

One copy per address and language (an address's `/en/` prefix, else the language cookie:
a public page's Vietnamese address answers a visitor who chose English with a redirect to
its English one, portal/languages.py). A copy is only ever made from, and only ever given to,
a request that carries no cookie but the language's (and an unused CSRF cookie): no
session, so no signed-in staff and no message left by an earlier request. Pages hold no
CSRF token (the language switch needs none). A message a page makes from its own address
(a bad filter, a list cut at 1,000) is the same for everyone who asks it, and is kept with
it; one the page does not show goes into a cookie, and a response that sets a cookie is
never kept. Nor is one that streams or says its own `Cache-Control`, nor anything but a 200
or a redirect.

Invalidation is by generation: each kind of page (documents, meetings, indicators,
projects) has a random token in the cache, and a copy is kept with the tokens of the kinds
it shows, read with them (one cache read) and answered only while they are current.
Saving or deleting any record the public can see — through the admin, its actions,
`set_status`, `approve_pending`, the imports (`records_changed`), the management commands —
draws new tokens for every kind whose pages can show that record, so the old copies are
never answered again, and are replaced or expire. The token moves at once and again when
the transaction commits, so a page read from the database before the commit cannot be kept
with the new token. The day is in the copy's key (pages judged against today change at
midnight), and every `migrate`, which a deploy runs, draws new tokens for all kinds.

Answers carry an `ETag` and `Cache-Control: public, no-cache`: a proxy or CDN in front may
keep them, and asks again each time (a 304 from this cache when nothing changed);
`PORTAL_RESPONSE_CACHE_PROXY_SECONDS` lets it answer alone for that long instead.

A hit is answered before the session, CSRF, authentication and the view: the rate limits
and the API's throttle count only the requests that reach the database. Under a WSGI server
(`portal.wsgi.application`, which gunicorn runs) it is answered before Django's handler
too (`KeptAnswers`): no request signals, no middleware, no `HttpResponse`, the copy being
kept as it is sent (status line, header list, body). The signals' work is for requests
that reach the database (closing connections past their age, which the next such request
does) and reset what a hit never sets (queries logged in debug, the URLconf).
"""

import functools
import hashlib
import logging
import secrets
from typing import NamedTuple

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.core.handlers.wsgi import WSGIRequest
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save
from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, ResolverMatch, get_resolver, resolve
from django.utils import timezone, translation
from django.utils.cache import (
    get_conditional_response,
    patch_cache_control,
    set_response_etag,
)
from django.utils.http import parse_http_date_safe
from simple_history.models import HistoricalChanges

from .languages import cookie_language, prefix_language

logger = logging.getLogger(__name__)

KINDS = ("documents", "meetings", "indicators", "projects")
# Rows of the portal's own app that no public page shows.
NOT_SHOWN = {"portal.importjob"}
KEPT_STATUSES = {200, 301, 302}
# Files sent as they are stored (attachments after their visibility check, the nightly
# export, rewritten by a command): never kept.
FILES = {"documents:attachment", "documents:open_data"}
GENERATION_KEY = "portal.response_cache.generation.{}"
# A copy is (tokens, status line, header list, body): what WSGI sends.
COPY_KEY = "portal.response_cache.copy."
# Where a lookup made before Django's handler (`KeptAnswers`) waits for the middleware.
LOOKED_UP = "portal.response_cache.looked_up"
# The request headers a conditional answer (304, 412) depends on.
CONDITIONS = {
    "HTTP_IF_MATCH",
    "HTTP_IF_NONE_MATCH",
    "HTTP_IF_MODIFIED_SINCE",
    "HTTP_IF_UNMODIFIED_SINCE",
}


# Which kinds a page shows ------------------------------------------------------------------


def kinds_of_page(match: ResolverMatch) -> tuple[str, ...] | None:
    """The kinds of record the page `match` names can show; None for what is never kept
    (the admin, sign-in, attachments, health, the language switch…).

    A kind's pages depend on its own kind only: a change of a record shown on another
    kind's pages moves that kind's token too (`kinds_changed_by`).
    """
    namespace, name = match.namespace, match.url_name or ""
    if namespace in KINDS:
        return None if match.view_name in FILES else (namespace,)
    if namespace == "api":  # the data; not the schema nor Swagger UI (its own CSP)
        kind = "indicators" if name.startswith("periods-") else name.split("-")[0]
        return (kind,) if kind in KINDS else None
    # The change log (`changes`) names records of every kind.
    if namespace in ("portal", "changes") or name.startswith("sitemap"):
        return KINDS
    return None


def kinds_changed_by(model) -> set[str]:
    """The kinds whose pages can show a record of `model`: its own app's, and those of
    every app with a relation to or from its app's models (a document's number shows on
    meetings, figures and projects; a meeting's title on documents). The portal's shared
    records (organizations, people, pages) show everywhere."""
    app = model._meta.app_label
    if app not in KINDS:
        return set(KINDS)
    related = {
        field.related_model._meta.app_label
        for app_model in apps.get_app_config(app).get_models()
        for field in app_model._meta.get_fields()
        if field.is_relation and field.related_model is not None
    }
    return {app} | (related & set(KINDS))


# Generations --------------------------------------------------------------------------------


def read(key: str, kinds) -> tuple[list[str], tuple | None]:
    """The current token of each kind, and the copy kept at `key` if it was made with those
    tokens: one cache read. A missing token is drawn anew, so a cache that lost its tokens
    never answers old copies."""
    keys = [GENERATION_KEY.format(kind) for kind in kinds]
    found = cache.get_many([key, *keys])
    for token_key in keys:
        if token_key not in found:
            cache.add(token_key, secrets.token_hex(8), timeout=None)
            found[token_key] = cache.get(token_key)
    tokens = [found[token_key] for token_key in keys]
    kept = found.get(key)
    return tokens, kept[1:] if kept is not None and kept[0] == tokens else None


def _draw(kinds) -> None:
    try:
        cache.set_many({GENERATION_KEY.format(k): secrets.token_hex(8) for k in kinds}, None)
    except Exception:
        # The write stands. Redis, when it comes back, may still hold the old copies:
        # they live at most PORTAL_RESPONSE_CACHE_SECONDS (a restart loses them at once).
        logger.error("Response cache of %s not invalidated: cache unavailable", kinds)


def records_changed(*models) -> None:
    """Forget every kept page that can show a record of `models`: now, and again when the
    current transaction commits. For writes that send no signal (bulk_create, update)."""
    if not settings.PORTAL_RESPONSE_CACHE:
        return
    kinds = set().union(*(kinds_changed_by(model) for model in models))
    _draw(kinds)
    transaction.on_commit(lambda: _draw(kinds))


def _on_write(sender, **kwargs) -> None:
    # A change log row shows on its record's page and on /changes/ (every kind's token).
    if sender._meta.app_label not in ("portal", "changes", *KINDS) or issubclass(
        sender, HistoricalChanges
    ):
        return
    if sender._meta.label_lower in NOT_SHOWN:
        return
    records_changed(sender)


def _on_migrate(sender, **kwargs) -> None:
    if settings.PORTAL_RESPONSE_CACHE and sender.name == "portal":
        _draw(KINDS)


def connect_signals() -> None:
    """Called once from PortalConfig.ready()."""
    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(_on_write, dispatch_uid=f"response_cache_{id(signal)}")
    post_migrate.connect(_on_migrate, dispatch_uid="response_cache_migrate")


# The middleware -----------------------------------------------------------------------------


def _anonymous_get(request: HttpRequest) -> bool:
    allowed = {settings.LANGUAGE_COOKIE_NAME, settings.CSRF_COOKIE_NAME}
    return (
        request.method == "GET"
        and set(request.COOKIES) <= allowed
        and "HTTP_AUTHORIZATION" not in request.META
    )


@functools.lru_cache(maxsize=1024)
def _page(path: str, language: str, resolver) -> tuple[tuple[str, ...], bool] | None:
    """The kinds the page at `path` shows, and whether it is the API's; None when it is
    never kept. Resolved in the address's language, which `/en/` addresses need (the
    middleware runs before portal.middleware activates it). Depends on the URLconf
    (`resolver`) alone, so it is remembered: resolving costs more than the rest of a hit."""
    try:
        with translation.override(language):
            match = resolve(path)
    except Resolver404:
        return None
    kinds = kinds_of_page(match)
    return None if kinds is None else (kinds, match.namespace == "api")


def _key(request: HttpRequest, api: bool, language: str) -> str:
    # Django's own key varies on the whole Cookie header; here the language is the one
    # cookie a kept page depends on. The API answers by the Accept header as well.
    accept = request.META.get("HTTP_ACCEPT", "") if api else ""
    parts = [request.build_absolute_uri(), language, accept, timezone.localdate().isoformat()]
    return COPY_KEY + hashlib.md5("\n".join(parts).encode()).hexdigest()


class Lookup(NamedTuple):
    """Where a request's copy is kept, the language it is made in, the kinds' current
    tokens, and the copy if it was made with them: (status line, header list, body)."""

    key: str
    language: str
    tokens: list[str]
    kept: tuple[str, list[tuple[str, str]], bytes] | None


def look_up(request: HttpRequest) -> Lookup | None:
    """The copy for `request`, read from the cache; None when the request is not one a copy
    can answer, or the cache cannot be read."""
    if not settings.PORTAL_RESPONSE_CACHE or not _anonymous_get(request):
        return None
    prefix = prefix_language(request.path_info)
    page = _page(request.path_info, prefix or settings.LANGUAGE_CODE, get_resolver())
    if page is None:
        return None
    kinds, api = page
    # `/en/…` is English; at a Vietnamese address, an English cookie is a redirect.
    language = prefix or cookie_language(request)
    try:
        key = _key(request, api, language)
        tokens, kept = read(key, kinds)
    except Exception:
        logger.warning("Response cache unavailable", exc_info=True)
        return None
    return Lookup(key, language, tokens, kept)


def _sent(response: HttpResponse) -> tuple[str, list[tuple[str, str]], bytes]:
    """What Django's WSGI handler sends for `response`, which sets no cookie."""
    status = f"{response.status_code} {response.reason_phrase}"
    return status, list(response.items()), response.content


def _response(kept) -> HttpResponse:
    status, headers, content = kept
    code, reason = status.split(" ", 1)
    return HttpResponse(content, status=int(code), reason=reason, headers=dict(headers))


def _keepable(response: HttpResponse, language: str) -> bool:
    return (
        response.status_code in KEPT_STATUSES
        and not response.streaming
        and not response.cookies
        and "Cache-Control" not in response
        and response.get("Content-Language") == language
        and all(
            name.strip().lower() in ("cookie", "accept")
            for name in response.get("Vary", "").split(",")
            if name.strip()
        )
    )


def _mark_shareable(response: HttpResponse) -> None:
    if not response.has_header("ETag"):
        set_response_etag(response)
    seconds = settings.PORTAL_RESPONSE_CACHE_PROXY_SECONDS
    if seconds > 0:
        patch_cache_control(response, public=True, max_age=0, s_maxage=seconds)
    else:
        patch_cache_control(response, public=True, no_cache=True)


def _conditional(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """304 when the visitor's copy (If-None-Match / If-Modified-Since) is this one."""
    if not CONDITIONS.intersection(request.META):
        return response
    last_modified = parse_http_date_safe(response.get("Last-Modified", ""))
    return get_conditional_response(
        request, etag=response.get("ETag"), last_modified=last_modified, response=response
    )


class ResponseCacheMiddleware:
    """Answers anonymous GETs of public pages from the shared cache, and keeps the pages it
    had to make. Placed before the session middleware, so a hit skips everything after."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        found = request.META[LOOKED_UP] if LOOKED_UP in request.META else look_up(request)
        if found is None:
            return self.get_response(request)
        if found.kept is not None:
            return _conditional(request, _response(found.kept))
        response = self.get_response(request)
        if not _keepable(response, found.language):
            return response
        _mark_shareable(response)
        kept = (found.tokens, *_sent(response))
        try:
            cache.set(found.key, kept, settings.PORTAL_RESPONSE_CACHE_SECONDS)
        except Exception:
            logger.warning("Response cache unavailable", exc_info=True)
        return _conditional(request, response)


class KeptAnswers:
    """The WSGI application that answers a request its copy can answer before Django's
    handler (the module's docstring), and hands every other to Django's (`handler`) with
    what it read, which the middleware keeps the page with."""

    def __init__(self, handler):
        self.handler = handler

    def __call__(self, environ, start_response):
        try:
            # On a copy: a WSGIRequest writes the path it decoded into its environ, and
            # Django's handler must read the path as the server gave it.
            request = WSGIRequest(environ.copy())
            found = look_up(request)
        except Exception:
            # Django's handler meets the same error and answers it as it always did.
            return self.handler(environ, start_response)
        environ[LOOKED_UP] = found
        if found is None or found.kept is None:
            return self.handler(environ, start_response)
        status, headers, content = found.kept
        if CONDITIONS.intersection(environ):
            status, headers, content = _sent(_conditional(request, _response(found.kept)))
        start_response(status, headers)
        return [content]
