"""RSS and Atom feeds of newly published public documents, filtered like the list."""

from django.utils.translation import gettext as _

from portal.feeds import FilteredFeed, atom
from portal.models import Organization

from .filters import DocumentFilter
from .models import Document, DocumentType, Topic


class DocumentFeed(FilteredFeed):
    filterset_class = DocumentFilter
    list_url_name = "documents:list"
    # Topics only name a filter in the title; types and issuers are in every entry too.
    shown_models = (Document, Organization, DocumentType, Topic)

    def public_items(self):
        return Document.objects.published().public()

    def select(self, filterset, params):
        """The list's selection, `q` included (`Document.objects.search`)."""
        # The full text and the search key may be long: the feed shows neither.
        return filterset.qs.select_related("document_type", "issuer").defer("body", "search_text")

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
        return [" · ".join(p for p in (kind, str(document.issuer)) if p), issued]

    def item_text(self, document):
        return document.summary

    def item_author_name(self, document):
        """The issuing body (RFC 4287 §4.2.1), never the staff member who entered it."""
        return document.issuer.name

    def item_categories(self, document):
        return [document.issuer.code]


DocumentAtomFeed = atom(DocumentFeed)
