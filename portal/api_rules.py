"""The API's access, paging, filter, rate and error rules, named in `REST_FRAMEWORK` and
`SPECTACULAR_SETTINGS` (portal/settings.py), and the schema that describes them.

Apart from the router (`portal/api.py`) so that Django REST framework can import them
while it loads, before any viewset exists.

The schema at `/api/schema/` says what the API does, and a test holds it to that
(portal/tests/test_api_schema.py runs schemathesis, every check, against it):

- every operation documents (`portal.api_schema`) its 400 (`InvalidParameters`: each bad
  parameter named, with what is wrong), 404 and 429 (`Error`: a `detail` sentence);
- a list parameter given empty (`?type=`, as the browsable API's filter form sends) is the
  same as leaving it out; one given twice is a 400;
- a choice fixed in the code (a document's system, a project's sector) is an enum, and
  another value a 400; a choice the records decide (a document type, an issuer, a
  meeting's body or term, a period) is a string, and one that no public record has selects
  nothing: an empty list, never a 400 (README, "Bad input on lists");
- `page` and `page_size` are whole numbers in their documented range, else a 400 naming
  them; a page past the last is a 404;
- a list counts and pages its first `MAX_LISTED` (1,000) rows only, as the HTML list does:
  `count` stops there and `capped` says that more match (docs/benchmarks.md, issue 19);
- a write method (POST, PUT, PATCH, DELETE) or TRACE is a 405 with an `Allow` header;
- every error under `/api/`, an unknown URL or a server error included, is JSON.
"""

import logging
import math

from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults
from django_filters import BooleanFilter, ChoiceFilter, ModelChoiceFilter
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import exceptions
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.throttling import AnonRateThrottle

from . import rate_limits

logger = logging.getLogger(__name__)

API_PREFIX = "/api/"
# The longest value of a choice the records decide (a slug, a code): longer is a 400.
MAX_CHOICE_LENGTH = 100
# What a yes/no filter (`?headline=`) reads; anything else is a 400.
BOOLEAN_VALUES = {"true", "false", "True", "False", "1", "0"}


class ReadOnly(BasePermission):
    """GET, HEAD and OPTIONS only, for everybody: the API publishes, it never writes.

    Any other method is a 405 (with DRF's `Allow` header), not a 403: no credentials would
    make it work."""

    def has_permission(self, request, view):
        if request.method not in SAFE_METHODS:
            raise exceptions.MethodNotAllowed(request.method)
        return True


def single_value(params, name: str) -> str | None:
    """The one value of query parameter `name` (None when absent); a 400 when repeated."""
    values = params.getlist(name)
    if len(values) > 1:
        raise exceptions.ValidationError({name: [_("Tham số này chỉ được cho một lần.")]})
    return values[0] if values else None


def whole_number(params, name: str, *, maximum: int | None = None) -> int | None:
    """Query parameter `name` as a whole number from 1 to `maximum`; None when absent or
    empty; a 400 naming it otherwise."""
    value = single_value(params, name)
    if value in (None, ""):
        return None
    number = int(value) if value.isascii() and value.isdigit() else 0
    if number < 1 or (maximum is not None and number > maximum):
        if maximum is None:
            message = _("Cần một số nguyên dương.")
        else:
            message = _("Cần một số nguyên từ 1 đến %(n)d.") % {"n": maximum}
        raise exceptions.ValidationError({name: [message]})
    return number


class Pagination(PageNumberPagination):
    """`?page=2&page_size=100`: whole numbers from 1 (and at most 100 a page), else a 400
    naming the parameter; a page past the last is a 404.

    Like the HTML list (`portal.lists.ListPaginator`), it counts and pages the first
    1,000 rows only, so no request counts or skips the whole register: an exact COUNT of
    every public document took 270–300 ms at 1,000,000. `capped` tells a caller that more
    match; narrower filters reach them, and the list's downloads hold them all. Cursor
    paging was the other way: it needs one total order the URL can carry, which the list's
    (issue date, nulls last, then key) and the ranked answers to `q` do not have."""

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100
    page_query_description = (
        "The page, from 1; one past the last is a 404. Only the first 1,000 rows are paged."
    )
    page_size_query_description = "Rows a page, from 1 to 100 (default 20)."
    capped_description = (
        "True when more than 1,000 records match: `count` stops at 1,000 and so do the "
        "pages. Narrow the filters, or download the whole list from the list page "
        "(`?format=csv` or `?format=json`)."
    )

    @property
    def django_paginator_class(self):
        from .lists import ListPaginator  # imported late: DRF loads this module early

        return ListPaginator

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        count = response.data.pop("count")
        response.data = {"count": count, "capped": self.page.paginator.truncated, **response.data}
        return response

    def get_paginated_response_schema(self, schema):
        answer = super().get_paginated_response_schema(schema)
        answer["required"] = ["count", "capped", "results"]
        answer["properties"]["count"]["description"] = "Matching records, at most 1,000."
        answer["properties"]["count"]["maximum"] = 1_000  # portal.lists.MAX_LISTED
        properties = answer["properties"]
        answer["properties"] = {
            "count": properties.pop("count"),
            "capped": {"type": "boolean", "description": self.capped_description},
            **properties,
        }
        return answer

    def get_page_size(self, request):
        size = whole_number(
            request.query_params, self.page_size_query_param, maximum=self.max_page_size
        )
        return size or self.page_size

    def get_page_number(self, request, paginator):
        return whole_number(request.query_params, self.page_query_param) or 1

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["allowEmptyValue"] = True
            parameter["schema"]["minimum"] = 1
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"]["maximum"] = self.max_page_size
        return parameters


def is_open_choice(filterset_class, name: str) -> bool:
    """Whether filter `name` is a choice the records decide: its choices come from a
    queryset, or are filled for each request (none declared on the class)."""
    declared = filterset_class.base_filters.get(name)
    return isinstance(declared, ModelChoiceFilter) or (
        isinstance(declared, ChoiceFilter) and not declared.extra.get("choices")
    )


def selects_anything(filterset) -> bool:
    """Check the API's filters: a 400 naming each invalid one; False when a choice that no
    public record has (an unknown document type, a body without meetings) leaves nothing
    to select; True when `filterset.qs` is the answer."""
    params, errors = filterset.data, {}
    for name, declared in type(filterset).base_filters.items():
        try:
            value = single_value(params, name)
        except exceptions.ValidationError as error:
            errors.update(error.detail)
            continue
        if value and is_open_choice(type(filterset), name) and len(value) > MAX_CHOICE_LENGTH:
            errors[name] = [_("Giá trị quá dài.")]
        elif value and isinstance(declared, BooleanFilter) and value not in BOOLEAN_VALUES:
            errors[name] = [_("Cần true hoặc false.")]
    if errors:
        raise exceptions.ValidationError(errors)
    if filterset.is_valid():
        return True
    for name, problems in filterset.errors.as_data().items():
        if not (
            is_open_choice(type(filterset), name)
            and all(problem.code == "invalid_choice" for problem in problems)
        ):
            errors[name] = [message for problem in problems for message in problem.messages]
    if errors:
        raise exceptions.ValidationError(errors)
    return False


class FilterBackend(DjangoFilterBackend):
    """django-filter's backend under the API's rules (`selects_anything`), on a query
    string without NUL characters (PostgreSQL refuses them; they never match a record)."""

    def get_filterset_kwargs(self, request, queryset, view):
        from .lists import without_nul  # imported late: DRF loads this module early

        kwargs = super().get_filterset_kwargs(request, queryset, view)
        kwargs["data"] = without_nul(kwargs["data"])
        return kwargs

    def filter_queryset(self, request, queryset, view):
        filterset = self.get_filterset(request, queryset, view)
        if filterset is None:
            return queryset
        return filterset.qs if selects_anything(filterset) else queryset.none()


def is_api(request) -> bool:
    return request.path.startswith(API_PREFIX)


def page_not_found(request, exception=None):
    """`handler404`: JSON under `/api/`, the site's page elsewhere."""
    if is_api(request):
        return JsonResponse({"detail": _("Không tìm thấy.")}, status=404)
    return defaults.page_not_found(request, exception)


def server_error(request):
    """`handler500`: JSON under `/api/`, the site's page elsewhere."""
    if is_api(request):
        return JsonResponse({"detail": _("Lỗi máy chủ, xin thử lại sau.")}, status=500)
    return defaults.server_error(request)


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
