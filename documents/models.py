"""Party and State documents, identified by their official number (số, ký hiệu).

Other apps rely on: Document (title, number, issued_on, issuer, visibility, publication
status, get_absolute_url) and `Document.objects.published().public()`.
"""

import datetime
import re
import uuid
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connections, models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from portal.publication import PublicationStatus, Publishable, PublishableQuerySet, ReviewedChild
from portal.text import fold, vietnamese_slug

from . import answers, number_search, numbering, word_search
from .cycles import describe_cycle, numbering_cycle
from .indexes import PostgresGinIndex
from .status import ACTING_KINDS, Incoming, InForce, RelationKind, Standing, status_in_force
from .url_years import url_year
from .viewer import VIEW_INTERNAL, internal_shown

# Newest first, undated last (a matching index exists on PostgreSQL, migration 0003).
LIST_ORDER = (models.F("issued_on").desc(nulls_last=True), "-id")
SLUG_MAX = 80
UNIQUE_NUMBER = "documents_document_unique_number_issuer_cycle"


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Công khai")
    INTERNAL = "internal", _("Nội bộ")


class System(models.TextChoices):
    """The numbering system; the values are those of `numbering.PARTY`/`numbering.STATE`."""

    PARTY = "party", _("Văn bản của Đảng")
    STATE = "state", _("Văn bản của Nhà nước")


class DocumentType(models.Model):
    """A kind of document (Kế hoạch, Quyết định…) and its official code in each system."""

    name = models.CharField(_("tên loại"), max_length=100, unique=True)
    slug = models.SlugField(_("đường dẫn"), max_length=100, unique=True)
    in_state = models.BooleanField(_("có trong văn bản Nhà nước"), default=True)
    state_code = models.CharField(
        _("ký hiệu (Nhà nước)"),
        max_length=10,
        blank=True,
        default="",
        help_text=_("Để trống khi loại này không có ký hiệu, như công văn."),
    )
    in_party = models.BooleanField(_("có trong văn bản của Đảng"), default=True)
    party_code = models.CharField(_("ký hiệu (Đảng)"), max_length=10, blank=True, default="")

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("loại văn bản")
        verbose_name_plural = _("loại văn bản")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(in_state=True) | Q(state_code=""),
                name="documents_documenttype_state_code_only_in_state",
            ),
            models.CheckConstraint(
                condition=Q(in_party=True) | Q(party_code=""),
                name="documents_documenttype_party_code_only_in_party",
            ),
        ]

    def __str__(self):
        return self.name

    @classmethod
    def for_code(cls, system: str, code: str) -> "DocumentType | None":
        """The one type printed as `code` in `system`; None when none or ambiguous (a Party
        QĐ is a Quyết định or a Quy định)."""
        found = [
            t for t in cls.objects.all() if (t.code_for(system) or "").upper() == code.upper()
        ]
        return found[0] if len(found) == 1 and code else None

    def code_for(self, system: str) -> str | None:
        """The code in `system`; "" when it has none, None when the type does not exist."""
        if system == System.PARTY:
            return self.party_code if self.in_party else None
        return self.state_code if self.in_state else None


class Topic(models.Model):
    """A subject area used to browse documents (e.g. bộ máy, giao thông)."""

    name = models.CharField(_("tên"), max_length=100, unique=True)
    slug = models.SlugField(_("đường dẫn"), max_length=100, unique=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("chủ đề")
        verbose_name_plural = _("chủ đề")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = vietnamese_slug(self.name)[:100]
        super().save(*args, **kwargs)


class DocumentQuerySet(PublishableQuerySet):
    def public(self):
        return self.filter(visibility=Visibility.PUBLIC)

    def in_order(self, pks: list[int]) -> list:
        """The documents of `pks`, in that order; one no longer in this queryset (say,
        unpublished since its key was found) is left out rather than failing."""
        found = self.order_by().in_bulk(pks)
        return [found[pk] for pk in pks if pk in found]

    def visible_to(self, user):
        """Published documents the user may read: public ones, and internal ones for
        signed-in users holding `documents.view_internal_document`."""
        published = self.published()
        return published if reads_internal(user) else published.public()

    def formerly_at(self, year: int, slug: str) -> "Document | None":
        """The document whose address was /documents/<year>/<slug>/ before its number or
        issue date changed (the address follows both), from its history; None if none."""
        earlier = (
            Document.history.filter(url_year=year, slug=slug)
            .order_by("-history_date")
            .values_list("id", flat=True)
            .first()
        )
        return None if earlier is None else self.filter(pk=earlier).first()

    def for_list(self):
        """Newest first, with what a row shows; the full text stays in the database (a page
        of 50 number candidates loaded it all: a third of a number search's time)."""
        return (
            self.select_related("document_type", "issuer")
            .defer("body", "search_text")
            .order_by(*LIST_ORDER)
        )

    def for_detail(self, user):
        """Everything the detail page shows, outgoing relations limited to visible documents.

        Every incoming relation, visible or not, in one query (`incoming_relations`): the
        status in force counts each acting document, the page lists the visible ones
        (`Document.is_visible_to`).
        """
        visible = Document.objects.visible_to(user)
        lookups = [
            models.Prefetch(
                "relations_out",
                queryset=DocumentRelation.objects.filter(
                    to_document__in=visible.values("pk")
                ).select_related("to_document"),
            ),
            incoming_relations_prefetch(),
            "attachments",
            "topics",
            discussed_at_prefetch(),
        ]
        return self.select_related("document_type", "issuer", "signer").prefetch_related(*lookups)

    def with_status_in_force(self, status: str, today: datetime.date):
        """SQL twin of `status.status_in_force()` (a test checks that they agree)."""

        def acted_on(kind):
            return Exists(
                DocumentRelation.objects.filter(
                    to_document=OuterRef("pk"),
                    kind=kind,
                    from_document__status=PublicationStatus.PUBLISHED,
                    from_document__issued_on__lte=today,
                ).filter(
                    Q(from_document__effective_on__isnull=True)
                    | Q(from_document__effective_on__lte=today)
                )
            )

        issued = self.filter(issued_on__isnull=False)
        replaced = acted_on(RelationKind.REPLACES)
        cancelled = acted_on(RelationKind.CANCELS)
        amended = acted_on(RelationKind.AMENDS)
        expired = Q(expires_on__lte=today)
        not_yet = Q(effective_on__gt=today)
        if status == InForce.NOT_ISSUED:
            return self.filter(issued_on__isnull=True)
        if status == InForce.REPLACED:
            return issued.filter(replaced)
        if status == InForce.CANCELLED:
            return issued.filter(~replaced & cancelled)
        if status == InForce.EXPIRED:
            return issued.filter(~replaced & ~cancelled & expired)
        if status == InForce.NOT_YET:
            return issued.filter(~replaced & ~cancelled & ~expired & not_yet)
        if status == InForce.PARTLY_AMENDED:
            return issued.filter(~replaced & ~cancelled & ~expired & ~not_yet & amended)
        if status == InForce.IN_FORCE:
            return issued.filter(~replaced & ~cancelled & ~expired & ~not_yet & ~amended)
        return self.none()

    def number_candidates(self, query: "numbering.NumberQuery"):
        """Index-backed prefilter for a number query; see `number_search.candidates`."""
        return number_search.candidates(self, query)

    def search_number(
        self,
        text: str,
        limit: int = number_search.CANDIDATES,
        show: int = number_search.SHOWN,
        partial_too: bool = True,
    ):
        """Documents whose number matches `text`, best first (`number_search.NumberHits`),
        or None when `text` is not a number; see `number_search.search`."""
        return number_search.search(self, text, limit, show, partial_too)

    def search(self, query: str):
        """The documents answering a `q` on every surface (list, downloads, feeds, API,
        admin, site search): by number when it reads as one, else by words; see `answers`."""
        return answers.search(self, query)

    def answer(self, query: str, limit: int | None = None):
        """`search(query)` ranked, as the list page and the API show it (`answers.Answer`)."""
        return answers.answer(self, query, limit)

    def search_text(self, text: str):
        """Documents whose number, title, summary or text hold every word of `text`, whole,
        ignoring case and diacritics (`to lich` and `TÔ LỊCH` find `Tô Lịch`; `ich` and
        `to li` do not). See `word_search` for how, and `TextMatches` for reading a page."""
        words = word_search.query_words(text)
        if words is None:
            return self
        if not words:
            return self.none()
        if connections[self.db].vendor == "postgresql":
            return self.filter(word_search.text_match(words, self.db))
        return self.filter(word_search.regex_condition(words))


def reads_internal(user) -> bool:
    """Whether `user` may read internal documents: signed in, holding the permission."""
    return user is not None and user.is_authenticated and user.has_perm(VIEW_INTERNAL)


def incoming_relations_prefetch() -> models.Prefetch:
    """What `Document.standing()` reads: every incoming relation, visible or not, into
    `incoming_relations` (an internal decision that replaces a public plan still replaces
    it; `status_in_force` keeps the acting kinds)."""
    return models.Prefetch(
        "relations_in",
        queryset=DocumentRelation.objects.select_related("from_document"),
        to_attr="incoming_relations",
    )


def discussed_at_prefetch() -> models.Prefetch:
    """Prefetch of the agenda items (meetings app) that discussed a document, with their
    published meetings and what a meeting's URL reads (its term and the term's body), newest
    meeting first: `discussed_at`.

    The meetings app declares the relation (AgendaItem.documents, reverse name
    `agenda_items`) and reaches documents from its own modules, so AgendaItem is imported
    here, when a page is built: a dependency the import graph shows, not a circle."""
    from meetings.models import AgendaItem

    return models.Prefetch(
        "agenda_items",
        queryset=AgendaItem.objects.of_published_meetings()
        .select_related("meeting__term__body")
        .order_by("-meeting__date", "pk"),
        to_attr="discussed_at",
    )


class Document(Publishable):
    """A plan or directive issued by a body, identified by its official number."""

    number = models.CharField(
        _("số, ký hiệu"),
        max_length=100,
        blank=True,
        default="",
        help_text=_(
            "Như in trên văn bản, ví dụ 341-KH/TU hoặc 04/CTr-UBND. Để trống nếu chưa có số."
        ),
    )
    # Parts parsed from `number` in save(); never typed by hand.
    serial = models.PositiveIntegerField(_("số thứ tự"), null=True, blank=True, db_index=True)
    number_year = models.PositiveSmallIntegerField(_("năm ghi trong số"), null=True, blank=True)
    type_code = models.CharField(_("ký hiệu loại"), max_length=20, blank=True, default="")
    issuer_code = models.CharField(_("ký hiệu cơ quan"), max_length=40, blank=True, default="")
    sub_unit = models.CharField(_("đơn vị soạn thảo"), max_length=40, blank=True, default="")
    display = models.CharField(_("số, ký hiệu chuẩn"), max_length=100, blank=True, default="")
    search_key = models.CharField(_("khóa tìm số"), max_length=500, blank=True, default="")
    symbol_compact = models.CharField(
        _("ký hiệu viết liền"), max_length=100, blank=True, default=""
    )
    cycle = models.CharField(_("chu kỳ đánh số"), max_length=20, blank=True, default="")

    system = models.CharField(_("hệ thống"), max_length=10, choices=System.choices, blank=True)
    document_type = models.ForeignKey(
        DocumentType,
        verbose_name=_("loại văn bản"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="documents",
    )
    issuer = models.ForeignKey(
        "portal.Organization",
        verbose_name=_("cơ quan ban hành"),
        on_delete=models.PROTECT,
        related_name="documents",
    )
    signer = models.ForeignKey(
        "portal.Person",
        verbose_name=_("người ký"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="signed_documents",
    )
    signer_title = models.CharField(_("chức vụ người ký"), max_length=200, blank=True, default="")
    issued_on = models.DateField(_("ngày ban hành"), null=True, blank=True)
    effective_on = models.DateField(_("ngày có hiệu lực"), null=True, blank=True)
    expires_on = models.DateField(
        _("ngày hết hiệu lực"),
        null=True,
        blank=True,
        help_text=_("Ngày đầu tiên văn bản không còn hiệu lực."),
    )
    title = models.TextField(_("trích yếu"))
    summary = models.TextField(_("tóm tắt"), blank=True, default="")
    body = models.TextField(_("toàn văn"), blank=True, default="")
    topics = models.ManyToManyField(
        Topic, verbose_name=_("chủ đề"), blank=True, related_name="documents"
    )
    visibility = models.CharField(
        _("phạm vi"), max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    slug = models.SlugField(_("đường dẫn"), max_length=SLUG_MAX, blank=True, editable=False)
    url_year = models.PositiveSmallIntegerField(_("năm trong đường dẫn"), editable=False)
    search_text = models.TextField(_("văn bản tìm kiếm"), blank=True, default="", editable=False)

    history = HistoricalRecords(excluded_fields=["search_text"], m2m_fields=[topics])
    objects = DocumentQuerySet.as_manager()

    class Meta(Publishable.Meta):
        verbose_name = _("văn bản")
        verbose_name_plural = _("văn bản")
        permissions = [("view_internal_document", _("Xem văn bản nội bộ"))]
        indexes = [
            models.Index(fields=["issued_on", "id"], name="documents_document_issued_idx"),
            # Feeds: the newest published public documents, read down the index, not sorted.
            models.Index(
                fields=["published_at", "id"],
                name="documents_document_feed_idx",
                condition=Q(status="published", visibility="public"),
            ),
            # Citations in a document's text are looked up by their display form.
            models.Index(
                fields=["display"], name="documents_document_display_idx", condition=~Q(display="")
            ),
            # A symbol's numbers in serial order: the number search's complete matches, and
            # the nearest serials a near miss is offered (`near_misses`).
            models.Index(
                fields=["symbol_compact", "serial"],
                name="documents_symbol_serial_idx",
                condition=~Q(display=""),
            ),
            # The searches by words (`word_search`), on PostgreSQL.
            PostgresGinIndex(word_search.DATED_TEXT_WORDS, name="documents_text_words_by_date"),
            PostgresGinIndex(
                word_search.NUMBER_WORDS,
                name="documents_number_words",
                condition=word_search.NUMBERED,
            ),
            PostgresGinIndex(
                word_search.DATED_NUMBER_WORDS,
                name="documents_number_words_by_date",
                condition=word_search.NUMBERED,
            ),
        ]
        constraints = [
            *Publishable.Meta.constraints,
            models.CheckConstraint(
                condition=Q(visibility__in=Visibility.values),
                name="documents_document_visibility_valid",
            ),
            models.CheckConstraint(
                condition=Q(system__in=System.values),
                name="documents_document_system_valid",
            ),
            models.CheckConstraint(
                condition=Q(issued_on__isnull=True)
                | Q(effective_on__isnull=True)
                | Q(effective_on__gte=models.F("issued_on")),
                name="documents_document_effective_after_issued",
                violation_error_message=_("Ngày có hiệu lực không được trước ngày ban hành."),
            ),
            models.CheckConstraint(
                condition=Q(effective_on__isnull=True)
                | Q(expires_on__isnull=True)
                | Q(expires_on__gt=models.F("effective_on")),
                name="documents_document_expires_after_effective",
                violation_error_message=_("Ngày hết hiệu lực phải sau ngày có hiệu lực."),
            ),
            models.UniqueConstraint(
                fields=["issuer", "display", "cycle"],
                condition=~Q(display="") & ~Q(cycle=""),
                name=UNIQUE_NUMBER,
                violation_error_message=_(
                    "Đã có văn bản cùng số, ký hiệu và cơ quan ban hành trong cùng chu kỳ đánh số."
                ),
            ),
            models.UniqueConstraint(
                fields=["url_year", "slug"], name="documents_document_unique_slug_year"
            ),
        ]

    def __str__(self):
        if self.visibility == Visibility.INTERNAL and not internal_shown():
            return gettext("(văn bản nội bộ)")
        return self.display or self.number or self.title[:80]

    def save(self, *args, **kwargs):
        self.fill_derived()
        self.slug = self._unique_slug()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("documents:detail", kwargs={"year": self.url_year, "slug": self.slug})

    # Derived columns -----------------------------------------------------------------

    def parsed_number(self) -> "numbering.DocumentNumber | None":
        """The parsed number, None when there is none; raises NumberError if malformed."""
        if not self.number.strip():
            return None
        return numbering.parse_number(self.number)

    def fill_derived(self) -> None:
        """Fill the columns derived from this row (and its issuer's names): number parts,
        cycle, year, search text.

        A malformed number leaves the parts empty (the admin and the import refuse it
        first through `clean()`).
        """
        try:
            parsed = self.parsed_number()
        except numbering.NumberError:
            parsed = None
        if parsed is None:
            self.serial = self.number_year = None
            self.type_code = self.issuer_code = self.sub_unit = ""
            self.display = self.search_key = self.symbol_compact = ""
        else:
            self.serial = parsed.serial
            self.number_year = parsed.year
            self.type_code = parsed.type_code
            self.issuer_code = parsed.issuer_code
            self.sub_unit = parsed.sub_unit
            self.display = parsed.display
            self.search_key = f" {parsed.search_key} "
            self.symbol_compact = "".join(parsed.loose_tokens)
            if not self.system:
                self.system = parsed.system
        if not self.system and self.issuer_id is not None:
            self.system = System.PARTY if self.issuer.kind == "party" else System.STATE
        self.cycle = numbering_cycle(self.system, self.issued_on, self.number_year)
        if self.issued_on is not None or self.number_year is not None or self.url_year is None:
            # Undated and new: the year it is entered, until a meeting considers it; an
            # undated one keeps its year here, and `url_years.refresh_url_years` moves it.
            self.url_year = url_year(
                issued_on=self.issued_on,
                number_year=self.number_year,
                first_meeting=None,
                entered=timezone.localdate(),
            )
        self.search_text = self.searchable_text()

    def searchable_text(self) -> str:
        """The words the text search finds this document by: its number, title, summary,
        body and its issuer's names (`ha noi`, `thanh uy` find what Thành ủy Hà Nội issued),
        last, as migration 0016 appends them; `services.refresh_issuer_words` rewrites it
        when an issuer is renamed."""
        known = self.issuer_id is not None or Document.issuer.is_cached(self)  # new in an import
        issuer = self.issuer if known else None
        names = [issuer.name, issuer.short_name] if issuer is not None else []
        return fold(" ".join([self.display, self.title, self.summary, self.body, *names]))

    def _slug_base(self) -> str:
        """`341-kh-tu` from the number (separators kept as hyphens), else the title cut at
        a word boundary."""
        source = re.sub(r"[\W_]+", " ", self.display or self.title)
        slug = vietnamese_slug(source)
        if len(slug) > SLUG_MAX - 6:
            slug = slug[: SLUG_MAX - 6].rsplit("-", 1)[0]
        return slug.strip("-") or "van-ban"

    def _unique_slug(self) -> str:
        # The one query in save(): a slug is unique per year ("…--2" when needed).
        base = self._slug_base()
        taken = set(
            Document.objects.filter(url_year=self.url_year, slug__startswith=base)
            .exclude(pk=self.pk)
            .values_list("slug", flat=True)
        )
        slug, n = base, 1
        while slug in taken:
            n += 1
            slug = f"{base}--{n}"
        return slug

    # Rules -----------------------------------------------------------------------------

    def clean(self):
        super().clean()
        errors = {}
        try:
            parsed = self.parsed_number()
        except numbering.NumberError as error:
            raise ValidationError({"number": str(error)}) from error
        if parsed is not None:
            errors.update(self._contradictions(parsed))
        if self.issued_on and self.effective_on and self.issued_on > self.effective_on:
            errors["effective_on"] = gettext("Ngày có hiệu lực không được trước ngày ban hành.")
        if errors:
            raise ValidationError(errors)
        if self.issuer_id is not None:
            self.fill_derived()
            duplicate = self.duplicate()
            if duplicate is not None:
                raise ValidationError({"number": self.duplicate_message(duplicate.issued_on)})

    def duplicate_message(self, issued_on: datetime.date | None) -> str:
        """Why this number is refused: the issuer already used it in this numbering cycle,
        on a document issued on `issued_on` (the import says it too)."""
        return gettext(
            "Số %(number)s của %(issuer)s đã có trong %(cycle)s (văn bản ngày %(date)s). "
            "Cùng một số chỉ được dùng lại ở chu kỳ đánh số khác."
        ) % {
            "number": self.display,
            "issuer": self.issuer,
            "cycle": describe_cycle(self.cycle),
            "date": issued_on.strftime("%d/%m/%Y") if issued_on else "?",
        }

    def get_constraints(self):
        # clean() reports a duplicate number with a clearer message (which document, which
        # cycle); the database constraint stays as the safety net.
        return [
            (model, [c for c in constraints if c.name != UNIQUE_NUMBER])
            for model, constraints in super().get_constraints()
        ]

    def _contradictions(self, parsed) -> dict[str, str]:
        errors = {}
        if self.system and parsed.system != self.system:
            errors["system"] = gettext(
                "Số %(number)s có dạng “%(found)s”, không khớp hệ thống đã chọn."
            ) % {"number": parsed.display, "found": System(parsed.system).label}
        if self.document_type_id is not None:
            code = self.document_type.code_for(parsed.system)
            if code is None:
                errors["document_type"] = gettext(
                    "Loại “%(type)s” không có trong hệ thống văn bản của số %(number)s."
                ) % {"type": self.document_type, "number": parsed.display}
            elif code.upper() != parsed.type_code.upper():
                errors["document_type"] = gettext(
                    "Số %(number)s có ký hiệu loại “%(found)s”, còn loại “%(type)s” có ký "
                    "hiệu “%(code)s”."
                ) % {
                    "number": parsed.display,
                    "found": parsed.type_code or "—",
                    "type": self.document_type,
                    "code": code or "—",
                }
        if self.issuer_id is not None and parsed.issuer_code:
            codes = issuer_codes(self.issuer)
            if parsed.issuer_code.upper() not in codes:
                errors["issuer"] = gettext(
                    "Số %(number)s ghi cơ quan ban hành “%(found)s”, không khớp với %(issuer)s "
                    "(mã %(code)s)."
                ) % {
                    "number": parsed.display,
                    "found": parsed.issuer_code,
                    "issuer": self.issuer,
                    "code": self.issuer.code,
                }
        return errors

    def duplicate(self) -> "Document | None":
        """Another document with the same number and issuer in the same numbering cycle."""
        if not self.display or not self.cycle:
            return None
        return (
            Document.objects.filter(
                issuer_id=self.issuer_id, display=self.display, cycle=self.cycle
            )
            .exclude(pk=self.pk)
            .first()
        )

    def is_visible_to(self, user) -> bool:
        """The Python twin of `Document.objects.visible_to(user)`, for a row already read."""
        return self.status == PublicationStatus.PUBLISHED and (
            self.visibility == Visibility.PUBLIC or reads_internal(user)
        )

    def standing(self, today: datetime.date | None = None) -> Standing:
        """Status in force; uses `incoming_relations` when prefetched
        (`incoming_relations_prefetch`)."""
        relations = getattr(self, "incoming_relations", None)
        if relations is None:
            relations = self.relations_in.filter(kind__in=ACTING_KINDS).select_related(
                "from_document"
            )
        incoming = [
            Incoming(
                kind=relation.kind,
                published=relation.from_document.status == PublicationStatus.PUBLISHED,
                issued_on=relation.from_document.issued_on,
                effective_on=relation.from_document.effective_on,
            )
            for relation in relations
        ]
        return status_in_force(
            today=today or timezone.localdate(),
            issued_on=self.issued_on,
            effective_on=self.effective_on,
            expires_on=self.expires_on,
            incoming=incoming,
        )


def issuer_codes(organization) -> set[str]:
    """Codes a number may print for `organization`: its own and its parents' (Hà Nội's
    Ban Thường vụ and Thường trực print TU, the Thành ủy's code)."""
    codes = set()
    seen = 0
    while organization is not None and seen < 5:
        codes.add(organization.code.upper())
        organization = organization.parent
        seen += 1
    return codes


class DocumentRelation(ReviewedChild):
    """How one document acts on another: amends, replaces, implements, guides, cites as its
    basis, or cancels it."""

    from_document = models.ForeignKey(
        Document,
        verbose_name=_("văn bản"),
        on_delete=models.CASCADE,
        related_name="relations_out",
    )
    kind = models.CharField(_("quan hệ"), max_length=20, choices=RelationKind.choices)
    to_document = models.ForeignKey(
        Document,
        verbose_name=_("văn bản liên quan"),
        on_delete=models.CASCADE,
        related_name="relations_in",
    )

    history = HistoricalRecords()
    publication_parent = "from_document"

    class Meta:
        verbose_name = _("quan hệ giữa văn bản")
        verbose_name_plural = _("quan hệ giữa văn bản")
        ordering = ["kind", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=RelationKind.values), name="documents_relation_kind_valid"
            ),
            models.CheckConstraint(
                condition=~Q(from_document=models.F("to_document")),
                name="documents_relation_not_self",
                violation_error_message=_("Một văn bản không thể liên quan đến chính nó."),
            ),
            models.UniqueConstraint(
                fields=["from_document", "kind", "to_document"],
                name="documents_relation_unique",
                violation_error_message=_("Quan hệ này đã được ghi nhận."),
            ),
        ]

    def __str__(self):
        return f"{self.from_document_id} {self.kind} {self.to_document_id}"


def attachment_path(instance, filename: str) -> str:
    """Stored under a generated name: the original name is kept in a column only."""
    extension = PurePath(filename).suffix.lower()[:6]
    return f"documents/{instance.key.hex}{extension}"


def max_attachment_bytes() -> int:
    return getattr(settings, "PORTAL_ATTACHMENT_MAX_MB", 25) * 1024 * 1024


class Attachment(ReviewedChild):
    """A file of a document (PDF or office file), served only through the documents app."""

    document = models.ForeignKey(
        Document, verbose_name=_("văn bản"), on_delete=models.CASCADE, related_name="attachments"
    )
    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    file = models.FileField(_("tệp"), upload_to=attachment_path, max_length=200)
    original_name = models.CharField(_("tên tệp gốc"), max_length=255, blank=True, default="")
    content_type = models.CharField(_("kiểu tệp"), max_length=120, blank=True, default="")
    size = models.PositiveBigIntegerField(_("dung lượng (byte)"), default=0)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    history = HistoricalRecords()
    publication_parent = "document"

    class Meta:
        verbose_name = _("tệp đính kèm")
        verbose_name_plural = _("tệp đính kèm")
        ordering = ["order", "id"]

    def __str__(self):
        return self.original_name or str(self.key)

    def get_absolute_url(self):
        return reverse("documents:attachment", kwargs={"key": self.key})

    @property
    def is_pdf(self) -> bool:
        return self.content_type == "application/pdf"
