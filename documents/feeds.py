"""RSS and Atom feeds of newly published public documents, filtered like the list."""

from django.utils.translation import gettext as _

from portal.feeds import FilteredFeed, atom
from portal.text import MAX_QUERY_LENGTH, typed_query

from .filters import DocumentFilter
from .models import Document


class DocumentFeed(FilteredFeed):
    filterset_class = DocumentFilter
    list_url_name = "documents:list"

    def public_items(self):
        return Document.objects.published().public()

    def select(self, filterset, params):
        """The list's `q`, as words: the folded search text holds the number as well."""
        query = typed_query(params.get("q", ""))[:MAX_QUERY_LENGTH]
        rows = filterset.qs.search_text(query) if query else filterset.qs
        return rows.select_related("document_type", "issuer")

    def describe_extra(self, params):
        query = typed_query(params.get("q", ""))[:MAX_QUERY_LENGTH]
        return [_("Từ khóa: %(q)s") % {"q": query}] if query else []

    def feed_title(self):
        return _("Văn bản mới công bố")

    def description(self, selection):
        return _("Các văn bản công khai mới được công bố trên cổng thông tin của Thành phố.")

    def item_title(self, document):
        return f"{document.display} – {document.title}" if document.display else document.title

    def item_lines(self, document):
        issued = (
            _("Ngày ban hành: %(date)s") % {"date": document.issued_on.strftime("%d/%m/%Y")}
            if document.issued_on
            else ""
        )
        kind = document.document_type.name if document.document_type else ""
        return [" · ".join(p for p in (kind, str(document.issuer)) if p), issued, document.summary]

    def item_categories(self, document):
        return [document.issuer.code]


DocumentAtomFeed = atom(DocumentFeed)
