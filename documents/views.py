import csv

from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from portal import downloads
from portal.lists import html_filterset, paginate, without_nul, without_page
from portal.rate_limits import DOWNLOAD, SEARCH, is_download, is_search, rate_limited

from . import exports, number_check
from .citations import find_citations, render_citations
from .filters import DocumentFilter
from .forms import NumberCheckForm
from .models import Attachment, Document
from .near_misses import near_misses
from .status import INVERSE_WORDING, RelationKind

# What a row of the list shows (documents/list.html); a title search's rows are read by
# `TextMatches`.
ROW_FIELDS = ["display", "url_year", "slug", "visibility", "title", "issued_on"]
ROW_FIELDS += ["document_type__name", "issuer__name", "issuer__short_name"]


@rate_limited(DOWNLOAD, when=is_download)
@rate_limited(SEARCH, when=is_search)
def document_list(request):
    params = without_nul(request.GET)
    if (fmt := downloads.requested_format(request)) is not None:
        return exports.download(request, params, fmt)
    filterset = html_filterset(
        request, DocumentFilter, params, queryset=Document.objects.visible_to(request.user)
    )
    query = filterset.form.cleaned_data.get("q", "")
    context = {"filter": filterset, "query": query, "mode": "list"}
    if not query:
        rows = filterset.qs.for_list().only(*ROW_FIELDS)
    else:
        # The selection of `filterset.qs` (`Document.objects.search`), ranked: number
        # matches best first, text matches newest first.
        answer = filterset.without_q().answer(query)
        rows = answer.rows
        if answer.by_number:
            exact = answer.exact
            if len(exact) == 1 and "page" not in params and (address := exact.address(0)):
                return redirect(address)
            if len(exact) > 1:
                context["mode"] = "choose"
            else:
                context["mode"] = "candidates"
                rows = answer.hits
        context["no_number_match"] = answer.no_number_match
        context["missed_year"] = answer.missed_year
        if answer.no_number_match or (context["mode"] == "candidates" and not answer.missed_year):
            visible = Document.objects.visible_to(request.user)
            context["near_misses"] = near_misses(visible, query)
    context["page_obj"] = paginate(request, params, rows)
    context["querystring"] = without_page(params)
    return render(request, "documents/list.html", context)


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
        for relation in document.incoming_relations
        if relation.from_document.is_visible_to(request.user)
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


@rate_limited(SEARCH, when=lambda request: request.method == "POST" or "numbers" in request.GET)
def lookup(request):
    """Many numbers checked at once (`number_check`): a short list by GET (`?numbers=`, a
    link to share), a long one or an uploaded report by POST; the result also as CSV
    (`format=csv`)."""
    data = request.POST if request.method == "POST" else request.GET
    files = request.FILES if request.method == "POST" else None
    bound = "numbers" in data or bool(files)
    form = NumberCheckForm(data if bound else None, files if bound else None)
    results = None
    if form.is_valid():
        visible = Document.objects.visible_to(request.user)
        results = number_check.check(visible, form.cleaned_data["found"])
        if data.get("format") == downloads.CSV:
            return _check_csv(request, results)
    context = {"form": form, "results": results, "max_numbers": number_check.MAX_NUMBERS}
    return render(request, "documents/lookup.html", context)


def _check_csv(request, results) -> HttpResponse:
    """One row per document found (one per number when none is), spreadsheet-safe."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="kiem-tra-so.csv"'
    response.write("\ufeff")  # so that spreadsheets read UTF-8
    writer = csv.writer(response)
    writer.writerow(
        [
            _("Số đã nhập"),
            _("Ngày ghi kèm"),
            _("Kết quả"),
            _("Số, ký hiệu"),
            _("Trích yếu"),
            _("Cơ quan ban hành"),
            _("Ngày ban hành"),
            _("Tình trạng hiệu lực"),
            _("Địa chỉ trên cổng"),
            _("Có phải"),
        ]
    )
    for result in results:
        typed = [result.typed.text, result.typed.written_with, result.verdict_label]
        maybe = "; ".join(result.suggestions)
        for document in result.documents or [None]:
            found = [""] * 6
            if document is not None:
                found = [
                    document.display,
                    document.title,
                    document.issuer.name,
                    document.issued_on,
                    document.standing().status.label,
                    request.build_absolute_uri(document.get_absolute_url()),
                ]
            writer.writerow([downloads.csv_cell(value) for value in [*typed, *found, maybe]])
    return response
