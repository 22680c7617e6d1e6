"""Who is looking at document labels during a request.

`Document.__str__` prints a document wherever the admin names one: choosers, read-only
fields, list columns, history pages, the records that link to it. For a viewer without
`documents.view_internal_document` it prints an internal document as "(văn bản nội bộ)",
so no admin screen shows such a document's number or title to staff who may not read it,
whichever screen prints it. Querysets still decide what is listed; this is the backstop.
"""

from contextvars import ContextVar

VIEW_INTERNAL = "documents.view_internal_document"

_request = ContextVar("documents_viewer_request", default=None)


def internal_shown() -> bool:
    """Whether internal documents' labels show: outside a request (commands, the shell)
    they do; in a request, only to a signed-in user holding the permission."""
    request = _request.get()
    if request is None:
        return True
    user = getattr(request, "user", None)
    return bool(user and user.is_authenticated and user.has_perm(VIEW_INTERNAL))


class ViewerMiddleware:
    """Remembers the request for `internal_shown` (after AuthenticationMiddleware)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _request.set(request)
        try:
            return self.get_response(request)
        finally:
            _request.reset(token)
