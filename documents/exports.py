"""The documents list as open data: one row per document, the same rows as the list page.

`COLUMNS` is the one definition of a downloaded row; the API's list serializer uses the
same names for the same facts.
"""

from django.http import QueryDict

from portal import downloads
from portal.downloads import Column

from .filters import DocumentFilter
from .models import Document

# `Document.get_absolute_url()`, built without a reverse() per row.
_detail_path = downloads.path_builder("documents:detail", year=9999, slug="slug-marker")

COLUMNS = [
    Column("number", lambda d: d.number),
    Column("display", lambda d: d.display),
    Column("serial", lambda d: d.serial),
    Column("number_year", lambda d: d.number_year),
    Column("type_code", lambda d: d.type_code),
    Column("issuer_code", lambda d: d.issuer_code),
    Column("sub_unit", lambda d: d.sub_unit),
    Column("system", lambda d: d.system),
    Column("document_type", lambda d: d.document_type.name if d.document_type else ""),
    Column("issuer", lambda d: d.issuer.code),
    Column("issuer_name", lambda d: d.issuer.name),
    Column("title", lambda d: d.title),
    Column("issued_on", lambda d: d.issued_on),
    Column("effective_on", lambda d: d.effective_on),
    Column("expires_on", lambda d: d.expires_on),
    Column("year", lambda d: d.url_year),
    Column("slug", lambda d: d.slug),
    Column("url", lambda d: _detail_path(year=d.url_year, slug=d.slug), url=True),
]


def selected(params: QueryDict, user):
    """(rows, problems): exactly the documents the list page shows for `params`, all pages.

    Rows are a streaming iterator, or a short list when the query is a document number
    (the list then shows at most `number_search.SHOWN` ranked matches). Invalid filters
    are problems, not silently dropped: a download must not hold more than was asked.
    """
    filterset = DocumentFilter(params, queryset=Document.objects.visible_to(user))
    if not filterset.is_valid():
        return None, downloads.problems(filterset)
    query = filterset.form.cleaned_data.get("q", "")
    if query:
        answer = filterset.without_q().answer(query)
        if answer.by_number:
            return answer.rows, []
    return filterset.qs.for_list().iterator(chunk_size=downloads.CHUNK_SIZE), []


def download(request, params: QueryDict, fmt: str):
    if not fmt:
        return downloads.unknown_format()
    rows, problems = selected(params, request.user)
    if problems:
        return downloads.refuse(problems)
    return downloads.stream(request, fmt, "documents", COLUMNS, rows)
