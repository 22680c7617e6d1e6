"""Per-client rate limits on the costly public requests: searches and downloads.

Reading pages is never limited. What is counted, per client address and per kind:

- `SEARCH`: a list asked for words or a number (`q` on documents, meetings, projects) and
  the site search `/search/?q=…`;
- `DOWNLOAD`: any list with `?format=csv|json`, every RSS/Atom feed, the meetings calendar
  and an indicator's CSV. Attachments are not counted: a PDF viewer fetches one file in
  many range requests.

The counts live in Django's default cache (django-ratelimit's fixed windows): Redis when
`REDIS_URL` is set, so every worker and machine shares them; the in-process cache counts
per worker. Past the limit the answer is 429 with `Retry-After` and a short page saying
when to try again. The API is limited the same way by Django REST framework's throttle
(`portal.api_rules.ApiRateThrottle`), on the same client address.

The limits are `PORTAL_RATES` in settings (`PORTAL_RATE_SEARCH`, `PORTAL_RATE_DOWNLOAD`,
`PORTAL_RATE_API`): `60/m` is sixty a minute (`s`, `m`, `h`, `d`; `100/5m` counts over five
minutes); an empty value turns that limit off.
"""

import functools
import ipaddress
import logging
import math
import re
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import ngettext
from django_ratelimit.core import get_usage

from . import downloads
from .text import typed_query

logger = logging.getLogger(__name__)

SEARCH = "search"
DOWNLOAD = "download"
API = "api"
PASSWORD_RESET = "password_reset"

RATE = re.compile(r"(?P<count>\d+)/(?P<multiple>\d*)(?P<unit>[smhd])")
UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
# IPv6 clients get a whole /64 each (one household or phone), as django-ratelimit does.
IPV6_PREFIX = 64


def parse_rate(rate: str | None) -> tuple[int, int] | None:
    """`"60/m"` → (60, 60): how many requests in how many seconds; None when off."""
    if not rate:
        return None
    match = RATE.fullmatch(rate.strip())
    if match is None:
        raise ValueError(f"{rate!r} is not a rate such as 60/m")
    seconds = UNIT_SECONDS[match["unit"]] * int(match["multiple"] or 1)
    return int(match["count"]), seconds


def rate_of(group: str) -> tuple[int, int] | None:
    return parse_rate(settings.PORTAL_RATES.get(group))


def client_address(request: HttpRequest) -> str:
    """The address of the client, "" when unknown.

    Without a reverse proxy it is REMOTE_ADDR. Behind one (`DJANGO_BEHIND_PROXY`),
    REMOTE_ADDR is the proxy; each proxy appends the address it received the request from
    to X-Forwarded-For, so with `PORTAL_PROXY_HOPS` proxies in a row the client is that
    many entries from the end. Entries further left are whatever the client sent and are
    never read: a forged header cannot buy a fresh count. A missing or malformed entry
    falls back to REMOTE_ADDR.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    hops = settings.PORTAL_PROXY_HOPS
    if hops:
        entries = request.headers.get("X-Forwarded-For", "").split(",")
        if len(entries) >= hops:
            candidate = entries[-hops].strip()
            if _is_address(candidate):
                return candidate
    return remote if _is_address(remote) else ""


def _is_address(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def client_key(request: HttpRequest) -> str:
    """What a client's requests are counted under: its IPv4 address, or its IPv6 /64."""
    address = client_address(request)
    if ":" in address:
        return str(ipaddress.ip_network(f"{address}/{IPV6_PREFIX}", strict=False))
    return address


def is_download(request: HttpRequest) -> bool:
    return downloads.requested_format(request) is not None


def is_search(request: HttpRequest) -> bool:
    """A page asked for words or a number, and not as a download."""
    return bool(typed_query(request.GET.get("q", ""))) and not is_download(request)


def wait_message(seconds: int) -> str:
    return ngettext(
        "Bạn đã gửi quá nhiều yêu cầu trong thời gian ngắn. Xin thử lại sau %(seconds)d giây.",
        "Bạn đã gửi quá nhiều yêu cầu trong thời gian ngắn. Xin thử lại sau %(seconds)d giây.",
        seconds,
    ) % {"seconds": seconds}


def too_many_requests(request: HttpRequest, seconds: int) -> HttpResponse:
    """429 with `Retry-After` and a page in the visitor's language."""
    seconds = max(1, math.ceil(seconds))
    response = render(
        request, "429.html", {"message": wait_message(seconds), "seconds": seconds}, status=429
    )
    response["Retry-After"] = str(seconds)
    return response


def refused(request: HttpRequest, group: str) -> HttpResponse | None:
    """Count the request in `group`; the 429 to send when the client is over its limit."""
    rate = rate_of(group)
    key = client_key(request)
    if rate is None or not key:
        return None
    try:
        usage = get_usage(
            request, group=group, key=lambda _group, _request: key, rate=rate, increment=True
        )
    except Exception:
        # The shared cache is unreachable: serve the page rather than refuse every visitor.
        logger.warning("Rate limit of %s not counted: cache unavailable", group, exc_info=True)
        return None
    if usage is None or not usage["should_limit"]:
        return None
    return too_many_requests(request, usage["time_left"])


def rate_limited(group: str, when: Callable[[HttpRequest], bool] | None = None):
    """View decorator: count requests (those `when` picks, or all) in `group`."""

    def decorate(view):
        @functools.wraps(view)
        def limited_view(request, *args, **kwargs):
            if when is None or when(request):
                refusal = refused(request, group)
                if refusal is not None:
                    return refusal
            return view(request, *args, **kwargs)

        return limited_view

    return decorate
