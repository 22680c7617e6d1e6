"""The API's access and paging rules, named in `REST_FRAMEWORK` (portal/settings.py).

Apart from the router (`portal/api.py`) so that Django REST framework can import them
while it loads, before any viewset exists.
"""

from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import SAFE_METHODS, BasePermission


class ReadOnly(BasePermission):
    """GET, HEAD and OPTIONS only, for everybody: the API publishes, it never writes."""

    def has_permission(self, request, view):
        return request.method in SAFE_METHODS


class Pagination(PageNumberPagination):
    """`?page=2&page_size=100`; a page beyond the last (or `?page=abc`) is a 404 JSON."""

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100
