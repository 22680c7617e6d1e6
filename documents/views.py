from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import FileResponse, Http404, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.formats import number_format
from django.utils.functional import cached_property
from django.utils.translation import gettext as _

from portal import downloads
from portal.rate_limits import DOWNLOAD, SEARCH, is_download, is_search, rate_limited
from portal.text import MAX_QUERY_LENGTH, typed_query

from . import exports
from .citations import find_citations, render_citations
from .filters import DocumentFilter
from .models import Attachment, Document
from .numbering import Match
from .status import INVERSE_WORDING, RelationKind
from .text_search import TextMatches

PER_PAGE = 20
# Deep pages stay cheap: the list never counts or skips past this many rows (50 pages),
# so neither COUNT(*) nor OFFSET grows with the register; narrower filters reach the rest.
MAX_LISTED = 1_000


class CappedPaginator(Paginator):
    """A paginator whose COUNT and OFFSET never go past `MAX_LISTED` rows."""

    @cached_property
    def count(self):
        if isinstance(self.object_list, QuerySet):
            # Unordered: counting needs no sort, so a filter stops after MAX_LISTED + 1
            # rows instead of sorting all of them.
            found = self.object_list.order_by()[: MAX_LISTED + 1].count()
        else:  # a list, or TextMatches (which reads at most MAX_LISTED + 1)
            found = len(self.object_list)
        self.truncated = found > MAX_LISTED
        return min(found, MAX_LISTED)


def _clean_params(params: QueryDict) -> QueryDict:
    """The query string without NUL characters (PostgreSQL refuses them)."""
    cleaned = QueryDict(mutable=True)
    for key, values in params.lists():
        cleaned.setlist(key.replace("\x00", ""), [value.replace("\x00", "") for value in values])
    return cleaned


def _paginate(request, params, rows):
    paginator = CappedPaginator(rows, PER_PAGE)
    requested = params.get("page", "1")
    page = paginator.get_page(requested)
    if requested not in ("", str(page.number)):
        messages.warning(
            request,
            _("Không có trang “%(page)s”; đang hiển thị trang %(shown)d.")
            % {"page": requested[:20], "shown": page.number},
        )
    if getattr(paginator, "truncated", False):
        messages.info(
            request,
            _("Chỉ liệt kê %(n)s văn bản đầu tiên; hãy lọc thêm để xem các văn bản khác.")
            % {"n": number_format(MAX_LISTED, force_grouping=True)},
        )
    return page


@rate_limited(DOWNLOAD, when=is_download)
@rate_limited(SEARCH, when=is_search)
def document_list(request):
    params = _clean_params(request.GET)
    if (fmt := downloads.requested_format(request)) is not None:
        return exports.download(request, params, fmt)
    visible = Document.objects.visible_to(request.user)
    filterset = DocumentFilter(params, queryset=visible)
    if not filterset.is_valid():
        valid = params.copy()
        for name, errors in filterset.errors.items():
            label = filterset.filters[name].label if name in filterset.filters else name
            messages.warning(
                request,
                _("Bỏ qua bộ lọc “%(label)s”: %(error)s") % {"label": label, "error": errors[0]},
            )
            valid.pop(name, None)
        filterset = DocumentFilter(valid, queryset=visible)
    documents = filterset.qs

    query = typed_query(params.get("q", ""))
    if len(query) > MAX_QUERY_LENGTH:
        messages.warning(
            request,
            _("Từ khóa quá dài; chỉ tìm theo %(n)d ký tự đầu.") % {"n": MAX_QUERY_LENGTH},
        )
        query = query[:MAX_QUERY_LENGTH]

    context = {"filter": filterset, "query": query, "mode": "list"}
    rows = documents.for_list()
    if query:
        hits = documents.search_number(query, partial_too=False)
        if hits:
            exact = hits.at_least(Match.LOOSE)
            if len(exact) == 1 and "page" not in params and (address := exact.address(0)):
                return redirect(address)
            if len(exact) > 1:
                context["mode"] = "choose"
                rows = exact
            else:
                context["mode"] = "candidates"
                rows = hits
        else:
            if hits is not None:
                context["no_number_match"] = True
            rows = TextMatches(documents, query, limit=MAX_LISTED + 1)
    context["page_obj"] = _paginate(request, params, rows)
    context["querystring"] = _without_page(params)
    return render(request, "documents/list.html", context)


def _without_page(params: QueryDict) -> str:
    rest = params.copy()
    rest.pop("page", None)
    return rest.urlencode()


def document_detail(request, year, slug):
    visible = Document.objects.visible_to(request.user)
    try:
        document = visible.for_detail(request.user).get(url_year=year, slug=slug)
    except Document.DoesNotExist:
        # An address cited before staff corrected the number or the issue date.
        moved = visible.formerly_at(year, slug)
        if moved is None:
            raise Http404 from None
        return redirect(moved, permanent=True)
    outgoing = [
        (RelationKind(relation.kind).label, relation.to_document)
        for relation in document.relations_out.all()
    ]
    incoming = [
        (INVERSE_WORDING[RelationKind(relation.kind)], relation.from_document)
        for relation in document.relations_in.all()
    ]
    links = _citation_links(request.user, [document.title, document.summary, document.body])
    context = {
        "document": document,
        "standing": document.standing(),
        "outgoing": outgoing,
        "incoming": incoming,
        "title_html": render_citations(document.title, links, skip=document.display),
        "summary_html": render_citations(document.summary, links, skip=document.display),
        "body_html": render_citations(document.body, links, skip=document.display),
        "discussed_at": getattr(document, "discussed_at", None),
    }
    return render(request, "documents/detail.html", context)


def _citation_links(user, texts) -> dict:
    """URLs of the visible documents cited in `texts` (one query), by display form and by
    (display, issue date). A number shared by several cycles, cited without a date, links
    to the newest document."""
    displays = {citation.display for text in texts for citation in find_citations(text)}
    if not displays:
        return {}
    links = {}
    cited = (
        Document.objects.visible_to(user)
        .filter(display__in=displays)
        .only("display", "url_year", "slug", "issued_on")
        .order_by("issued_on")
    )
    for document in cited:
        url = document.get_absolute_url()
        links[document.display] = url
        links[(document.display, document.issued_on)] = url
    return links


def document_by_id(request, pk):
    document = get_object_or_404(Document.objects.visible_to(request.user), pk=pk)
    return redirect(document, permanent=True)


# What an attachment may do once the browser has it: load nothing, submit nothing, be framed
# by no page. A PDF opens inline in the browser's own viewer under ATTACHMENT_POLICY;
# `sandbox` is kept off it because Chrome's viewer refuses sandboxed documents in some
# versions and contexts, while it stops nothing the viewer does (docs/headers.md). Office
# files are downloads, never rendered: they keep `sandbox` as well.
ATTACHMENT_POLICY = (
    "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
DOWNLOAD_POLICY = f"{ATTACHMENT_POLICY}; sandbox"


def attachment_download(request, key):
    """Serve a file only when its document is visible to the user (404 otherwise).

    The Content-Type is the kind the upload check found in the file's bytes
    (documents/files.py), and nosniff holds the browser to it.
    """
    attachment = get_object_or_404(
        Attachment.objects.filter(document__in=Document.objects.visible_to(request.user)),
        key=key,
    )
    try:
        handle = attachment.file.open("rb")
    except (FileNotFoundError, ValueError) as error:
        raise Http404 from error
    extension = attachment.file.name.rsplit(".", 1)[-1]
    response = FileResponse(
        handle,
        as_attachment=not attachment.is_pdf,
        filename=attachment.original_name or f"{attachment.key}.{extension}",
        content_type=attachment.content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = (
        ATTACHMENT_POLICY if attachment.is_pdf else DOWNLOAD_POLICY
    )
    return response
