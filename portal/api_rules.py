"""The API's access, paging and rate rules, named in `REST_FRAMEWORK` (portal/settings.py).

Apart from the router (`portal/api.py`) so that Django REST framework can import them
while it loads, before any viewset exists.
"""

import logging
import math

from rest_framework import exceptions
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.throttling import AnonRateThrottle

from . import rate_limits

logger = logging.getLogger(__name__)


class ReadOnly(BasePermission):
    """GET, HEAD and OPTIONS only, for everybody: the API publishes, it never writes."""

    def has_permission(self, request, view):
        return request.method in SAFE_METHODS


class Pagination(PageNumberPagination):
    """`?page=2&page_size=100`; a page beyond the last (or `?page=abc`) is a 404 JSON."""

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100


class ApiRateThrottle(AnonRateThrottle):
    """`PORTAL_RATE_API` requests per client address (every API caller is anonymous).

    DRF's own throttle, counted in Django's default cache (shared through Redis when
    `REDIS_URL` is set). Two things differ from DRF's defaults: the client is the address
    `portal.rate_limits.client_address` trusts (DRF would take a client-supplied
    X-Forwarded-For whole, so a forged header would buy a fresh count), and the rate is
    read from the settings on each request, so a test can change it.
    """

    scope = rate_limits.API

    def get_rate(self):
        return rate_limits.rate_of(self.scope)

    def parse_rate(self, rate):
        return rate if rate is not None else (None, None)

    def get_ident(self, request):
        return rate_limits.client_key(request)

    def get_cache_key(self, request, view):
        ident = self.get_ident(request)
        if not ident:
            return None  # no address to count against: not limited
        return self.cache_format % {"scope": self.scope, "ident": ident}

    def allow_request(self, request, view):
        try:
            return super().allow_request(request, view)
        except Exception:
            # The shared cache is unreachable: answer rather than refuse every caller.
            logger.warning("API rate not counted: cache unavailable", exc_info=True)
            return True


class TooManyRequests(exceptions.Throttled):
    """DRF's 429, saying in the caller's language when to try again."""

    def __init__(self, wait):
        seconds = max(1, math.ceil(wait or 1))
        super().__init__(detail=rate_limits.wait_message(seconds))
        self.wait = seconds


def exception_handler(exc, context):
    """DRF's handler, with the portal's own wording of a 429 (DRF has no Vietnamese)."""
    # Imported here: DRF imports this module while `rest_framework.views` loads.
    from rest_framework.views import exception_handler as drf_exception_handler

    if isinstance(exc, exceptions.Throttled) and not isinstance(exc, TooManyRequests):
        exc = TooManyRequests(exc.wait)
    return drf_exception_handler(exc, context)
