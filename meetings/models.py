"""Terms of a body, its meetings, their agenda and the votes taken there."""

from __future__ import annotations

import datetime
import functools
import re

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Exists, F, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from portal.publication import (
    ApprovedManager,
    PublicationStatus,
    Publishable,
    PublishableQuerySet,
    ReviewedChild,
)
from portal.text import every_word, fold, search_words, vietnamese_slug

from .ordering import order_sort_key
from .voting import Choice, PassRule, Tally, VoteResult, compute_result, count_errors

ROMAN_NUMERAL = re.compile(r"^[IVXLCDM]+\Z")
# A meeting's time and place: a change to any of them moves its calendar event.
SCHEDULE_FIELDS = ("date", "end_date", "start_time", "end_time", "place")


class MeetingKind(models.TextChoices):
    NOT_STATED = "", _("Không nêu")
    REGULAR = "regular", _("Thường kỳ")
    EXTRAORDINARY = "extraordinary", _("Bất thường")
    THEMATIC = "thematic", _("Chuyên đề")


class PartOfDay(models.TextChoices):
    NOT_STATED = "", _("Không nêu")
    MORNING = "morning", _("Buổi sáng")
    AFTERNOON = "afternoon", _("Buổi chiều")
    EVENING = "evening", _("Buổi tối")
    FULL_DAY = "full_day", _("Cả ngày")
    SEVERAL_DAYS = "several_days", _("Nhiều ngày")


class ParticipantRole(models.TextChoices):
    CHAIR = "chair", _("Chủ trì")
    OPENING = "opening", _("Phát biểu khai mạc")
    CLOSING = "closing", _("Phát biểu bế mạc")
    PRESENTER = "presenter", _("Trình bày")
    ATTENDEE = "attendee", _("Tham dự")


class AgendaItemKind(models.TextChoices):
    PERSONNEL = "personnel", _("Nhân sự")
    REGULATION = "regulation", _("Quy chế, quy định")
    REPORT = "report", _("Báo cáo")
    PLAN = "plan", _("Kế hoạch, chương trình")
    INSPECTION = "inspection", _("Kiểm tra, giám sát")
    OTHER = "other", _("Khác")


class VoteMethod(models.TextChoices):
    NOT_STATED = "", _("Không nêu")
    SHOW_OF_HANDS = "show_of_hands", _("Giơ tay")
    SECRET_BALLOT = "secret_ballot", _("Bỏ phiếu kín")
    ELECTRONIC = "electronic", _("Biểu quyết điện tử")


class Term(models.Model):
    """A body's term of office (khóa, nhiệm kỳ), e.g. the City Party Committee's XVII."""

    body = models.ForeignKey(
        "portal.Organization",
        verbose_name=_("cơ quan"),
        on_delete=models.PROTECT,
        related_name="terms",
    )
    ordinal = models.CharField(
        _("khóa"),
        max_length=20,
        validators=[
            RegexValidator(ROMAN_NUMERAL, _("Ghi khóa bằng số La Mã viết hoa, ví dụ XVII."))
        ],
        help_text=_("Số La Mã như in trên văn bản, ví dụ XVII."),
    )
    start_year = models.PositiveSmallIntegerField(_("từ năm"))
    end_year = models.PositiveSmallIntegerField(_("đến năm"), null=True, blank=True)
    members_count = models.PositiveSmallIntegerField(
        _("số thành viên"),
        null=True,
        blank=True,
        help_text=_("Để trống nếu chưa rõ."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("khóa, nhiệm kỳ")
        verbose_name_plural = _("khóa, nhiệm kỳ")
        ordering = ["body__code", "-start_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["body", "ordinal"],
                name="meetings_term_unique_body_ordinal",
                violation_error_message=_("Cơ quan này đã có khóa này."),
            ),
            models.CheckConstraint(
                condition=~Q(ordinal=""),
                name="meetings_term_ordinal_set",
                violation_error_message=_("Cần ghi khóa."),
            ),
            models.CheckConstraint(
                condition=Q(end_year__isnull=True) | Q(end_year__gte=F("start_year")),
                name="meetings_term_ends_after_start",
                violation_error_message=_("Năm kết thúc phải từ năm bắt đầu trở đi."),
            ),
        ]

    def __str__(self):
        years = f"{self.start_year}–{self.end_year or '…'}"
        # The body's code only when it is already loaded: never a query per row.
        body = f"{self.body.code} " if Term.body.is_cached(self) else ""
        return f"{body}{self.ordinal} ({years})"

    def save(self, *args, **kwargs):
        self.ordinal = self.ordinal.strip().upper()
        super().save(*args, **kwargs)

    def clean_fields(self, exclude=None):
        # Normalise before validation so that "xvii" is checked (and unique) as "XVII".
        self.ordinal = self.ordinal.strip().upper()
        super().clean_fields(exclude=exclude)

    @property
    def slug(self) -> str:
        return self.ordinal.lower()


@functools.cache
def _count_annotations() -> dict:
    """A meeting's agenda items and votes, counted. Built once per process: `annotate()`
    copies them, and they hold no data, only the shape of the subqueries."""

    def count(model):
        rows = (
            model.objects.filter(meeting=OuterRef("pk"))
            .order_by()
            .values("meeting")
            .annotate(n=models.Count("pk"))
            .values("n")
        )
        return Coalesce(Subquery(rows), Value(0))

    return {"agenda_count": count(AgendaItem), "vote_count": count(Vote)}


class MeetingQuerySet(PublishableQuerySet):
    def newest_first(self):
        """Dated meetings newest first, then undated ones (latest term, highest number)."""
        return self.order_by(
            F("date").desc(nulls_last=True), "-term__start_year", "-number", "-pk"
        )

    def with_counts(self):
        return self.annotate(**_count_annotations())

    def for_list(self):
        return self.select_related("term__body").with_counts().newest_first()

    def for_detail(self, documents=None):
        """Everything the detail page shows, in a fixed number of queries.

        `documents` is the queryset of documents that may be shown (the public ones on
        public pages); it defaults to published public documents.
        """
        if documents is None:
            from documents.models import Document

            documents = Document.objects.published().public()
        return self.select_related("term__body").prefetch_related(
            models.Prefetch(
                "participants",
                queryset=MeetingParticipant.objects.select_related("person").prefetch_related(
                    "person__positions"
                ),
            ),
            models.Prefetch(
                "agenda_items",
                queryset=AgendaItem.objects.select_related("presenter").prefetch_related(
                    models.Prefetch("documents", queryset=documents.order_by("issued_on", "pk"))
                ),
            ),
            models.Prefetch(
                "votes",
                queryset=Vote.objects.prefetch_related(
                    models.Prefetch(
                        "person_votes", queryset=PersonVote.objects.select_related("person")
                    )
                ),
            ),
        )

    def of_body(self, code: str):
        return self.filter(term__body__code=code)

    def dated(self):
        return self.filter(date__isnull=False)

    def for_calendar(self):
        """Dated meetings for the iCalendar feed, newest first, each with `last_changed_at`:
        the time of its latest recorded change (its history), the event's DTSTAMP."""
        changes = Meeting.history.filter(id=OuterRef("pk")).order_by("-history_date")
        return (
            self.dated()
            .select_related("term__body")
            .annotate(last_changed_at=Subquery(changes.values("history_date")[:1]))
            .newest_first()
        )

    def matching(self, words: list[str]):
        """Meetings whose title, place or summary contain every folded word."""
        return self.filter(contains_words(words))

    def mentioning(self, words: list[str]):
        """Meetings that match themselves or through one of their agenda items."""
        items = AgendaItem.objects.filter(meeting=OuterRef("pk")).filter(contains_words(words))
        return self.filter(contains_words(words) | Q(Exists(items)))

    def search(self, query: str):
        """The meetings answering a `q` on every surface (list, downloads, feeds, API,
        admin, site search): every word in the meeting's or an agenda item's text."""
        words = search_words(query)
        return self.mentioning(words) if words else self


class Meeting(Publishable):
    """A meeting (hội nghị, kỳ họp, phiên họp) of a body during one of its terms."""

    term = models.ForeignKey(
        Term, verbose_name=_("khóa"), on_delete=models.PROTECT, related_name="meetings"
    )
    number = models.PositiveSmallIntegerField(
        _("lần thứ"), help_text=_("Số thứ tự của hội nghị trong khóa, ví dụ 23.")
    )
    kind = models.CharField(
        _("loại hội nghị"), max_length=20, choices=MeetingKind.choices, blank=True, default=""
    )
    title = models.CharField(
        _("tên hội nghị"),
        max_length=300,
        help_text=_("Như in trên tin, văn bản, ví dụ: Hội nghị lần thứ 23 Ban Chấp hành …"),
    )
    date = models.DateField(
        _("ngày họp"), null=True, blank=True, help_text=_("Để trống nếu nguồn không nêu ngày.")
    )
    end_date = models.DateField(
        _("đến ngày"), null=True, blank=True, help_text=_("Chỉ khi họp nhiều ngày.")
    )
    part_of_day = models.CharField(
        _("buổi"), max_length=20, choices=PartOfDay.choices, blank=True, default=""
    )
    start_time = models.TimeField(_("giờ bắt đầu"), null=True, blank=True)
    end_time = models.TimeField(_("giờ kết thúc"), null=True, blank=True)
    place = models.CharField(_("địa điểm"), max_length=300, blank=True, default="")
    members_present = models.PositiveSmallIntegerField(
        _("số thành viên có mặt"), null=True, blank=True, help_text=_("Để trống nếu chưa rõ.")
    )
    summary = models.TextField(_("tóm tắt"), blank=True, default="")
    # Folded title, place and summary (portal.text.fold), filled in save(); site search.
    search_text = models.TextField(_("văn bản tìm kiếm"), blank=True, default="", editable=False)
    # The calendar event's SEQUENCE (RFC 5545 §3.8.7.4): raised in save() each time the
    # meeting moves (SCHEDULE_FIELDS), so subscribed calendars replace the old time.
    calendar_sequence = models.PositiveIntegerField(
        _("số lần dời lịch"), default=0, editable=False
    )

    history = HistoricalRecords(excluded_fields=["search_text", "calendar_sequence"])
    objects = MeetingQuerySet.as_manager()

    class Meta(Publishable.Meta):
        verbose_name = _("hội nghị")
        verbose_name_plural = _("hội nghị")
        ordering = [F("date").desc(nulls_last=True), "-number"]
        constraints = [
            *Publishable.Meta.constraints,
            models.UniqueConstraint(
                fields=["term", "number"],
                name="meetings_meeting_unique_term_number",
                violation_error_message=_("Khóa này đã có hội nghị mang số thứ tự này."),
            ),
            models.CheckConstraint(
                condition=Q(number__gte=1),
                name="meetings_meeting_number_positive",
                violation_error_message=_("Số thứ tự hội nghị bắt đầu từ 1."),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=MeetingKind.values),
                name="meetings_meeting_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(part_of_day__in=PartOfDay.values),
                name="meetings_meeting_part_of_day_valid",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | (Q(date__isnull=False) & Q(end_date__gte=F("date"))),
                name="meetings_meeting_end_date_after_date",
                violation_error_message=_("Ngày kết thúc cần có ngày họp và không trước nó."),
            ),
            models.CheckConstraint(
                condition=Q(start_time__isnull=True)
                | Q(end_time__isnull=True)
                | Q(end_time__gt=F("start_time"))
                # Spelled out: a NULL end date must not let a CHECK pass as "unknown".
                | (Q(end_date__isnull=False) & Q(end_date__gt=F("date"))),
                name="meetings_meeting_end_time_after_start",
                violation_error_message=_("Giờ kết thúc phải sau giờ bắt đầu."),
            ),
            models.CheckConstraint(
                condition=(Q(start_time__isnull=True) & Q(end_time__isnull=True))
                | Q(date__isnull=False),
                name="meetings_meeting_time_needs_date",
                violation_error_message=_("Giờ họp chỉ ghi khi đã có ngày họp."),
            ),
            models.CheckConstraint(
                condition=~Q(title=""),
                name="meetings_meeting_title_set",
                violation_error_message=_("Cần ghi tên hội nghị."),
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.search_text = self.folded_text()
        _with_search_text(kwargs)
        if (sequence := self._next_calendar_sequence(kwargs.get("update_fields"))) is not None:
            self.calendar_sequence = sequence
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "calendar_sequence"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("meetings:detail", kwargs=self.url_kwargs())

    def _next_calendar_sequence(self, update_fields) -> int | None:
        """The stored row's sequence plus one when this save moves the meeting (changes a
        SCHEDULE_FIELDS value the row holds), else None. A new meeting has nothing to move.

        Reads the row being saved, whoever built this instance (a form, a history revert,
        a script): comparing with the values it was loaded with would miss the last two.
        """
        fields = [
            name for name in SCHEDULE_FIELDS if update_fields is None or name in update_fields
        ]
        if self.pk is None or not fields:
            return None
        stored = (
            Meeting.objects.filter(pk=self.pk).values_list("calendar_sequence", *fields).first()
        )
        if stored is None or stored[1:] == tuple(getattr(self, name) for name in fields):
            return None
        return stored[0] + 1

    def folded_text(self) -> str:
        return fold(" ".join([self.title, self.place, self.summary]))

    def time_of_day(self) -> str:
        """When in the day it sat, as pages word it: "Buổi sáng, 09:00 – 12:00", "09:00 –
        12:00", "Buổi sáng", "09:00", or "" when neither a part of day nor a time is known.

        A part of day left empty is not stated, so it is left out rather than shown as its
        choice label ("Không nêu").
        """
        parts = []
        if self.part_of_day:
            parts.append(str(self.get_part_of_day_display()))
        if self.start_time is not None:
            times = self.start_time.strftime("%H:%M")
            if self.end_time is not None:
                times += " – " + self.end_time.strftime("%H:%M")
            parts.append(times)
        return ", ".join(parts)

    def clean(self):
        super().clean()
        if self.members_present is not None and self.term_id is not None:
            members = self.term.members_count
            if members is not None and self.members_present > members:
                raise ValidationError(
                    {
                        "members_present": _(
                            "Số có mặt (%(present)d) không thể lớn hơn số thành viên của "
                            "khóa (%(members)d)."
                        )
                        % {"present": self.members_present, "members": members}
                    }
                )

    def url_kwargs(self) -> dict:
        """The parts of the readable URL: body code, term ordinal, number.

        Reads `term.body`, so callers listing many meetings must `select_related` it.
        """
        return {
            "body": vietnamese_slug(self.term.body.code),
            "term": self.term.slug,
            "number": self.number,
        }

    def chairs(self) -> list[MeetingParticipant]:
        """Chairs in their order; uses the prefetched participants when present."""
        return [p for p in self.participants.all() if p.role == ParticipantRole.CHAIR]

    def speakers(self) -> list[MeetingParticipant]:
        return [
            p
            for p in self.participants.all()
            if p.role in (ParticipantRole.OPENING, ParticipantRole.CLOSING)
        ]

    def others(self) -> list[MeetingParticipant]:
        return [
            p
            for p in self.participants.all()
            if p.role in (ParticipantRole.PRESENTER, ParticipantRole.ATTENDEE)
        ]

    def meeting_votes(self) -> list[Vote]:
        """Votes on the meeting itself (the programme, for example), not on an item."""
        return [v for v in self.votes.all() if v.agenda_item_id is None]


class MeetingParticipant(ReviewedChild):
    """A person's part in a meeting: chairing, opening, presenting or attending."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("hội nghị"), on_delete=models.CASCADE, related_name="participants"
    )
    person = models.ForeignKey(
        "portal.Person",
        verbose_name=_("người"),
        on_delete=models.PROTECT,
        related_name="meeting_roles",
    )
    role = models.CharField(
        _("vai trò"), max_length=20, choices=ParticipantRole.choices, default="chair"
    )
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    history = HistoricalRecords()
    publication_parent = "meeting"

    class Meta:
        verbose_name = _("người tham dự")
        verbose_name_plural = _("chủ trì và người tham dự")
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "person", "role"],
                name="meetings_participant_unique_role",
                violation_error_message=_("Người này đã được ghi với vai trò này."),
            ),
            models.CheckConstraint(
                condition=Q(role__in=ParticipantRole.values),
                name="meetings_participant_role_valid",
            ),
        ]

    def __str__(self):
        return f"{self.get_role_display()}: {self.person_id}"

    def titles_on(self, day: datetime.date | None):
        """The person's titles held on `day` (today when None), from prefetched positions."""
        return titles_held_on(self.person.positions.all(), day)


def titles_held_on(positions, day: datetime.date | None):
    """Positions held on `day`, in their display order; today's when `day` is None."""
    if day is None:
        day = timezone.localdate()
    held = [p for p in positions if p.is_held_on(day)]
    return sorted(held, key=lambda p: (p.order, p.start_date or datetime.date.min))


def _with_search_text(save_kwargs: dict) -> None:
    """A save limited to some fields also writes the search column derived from them."""
    if save_kwargs.get("update_fields") is not None:
        save_kwargs["update_fields"] = {*save_kwargs["update_fields"], "search_text"}


def contains_words(words: list[str], prefix: str = "") -> Q:
    """Rows whose folded `search_text` contains every word (already folded, see
    `portal.text.search_words`)."""
    return every_word(words, f"{prefix}search_text")


class AgendaItemQuerySet(models.QuerySet):
    def of_published_meetings(self):
        """Items the public may see: those of published meetings."""
        return self.filter(meeting__status=PublicationStatus.PUBLISHED)

    def matching(self, words: list[str]):
        return self.filter(contains_words(words))


class AgendaItem(ReviewedChild):
    """A content (nội dung) on a meeting's agenda, with what the meeting decided on it."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("hội nghị"), on_delete=models.CASCADE, related_name="agenda_items"
    )
    order = models.CharField(
        _("thứ tự"), max_length=20, help_text=_("Như in trên chương trình: 1, 2, 3.a …")
    )
    sort_key = models.CharField(max_length=60, editable=False, default="")
    title = models.TextField(_("nội dung"))
    kind = models.CharField(
        _("loại nội dung"),
        max_length=20,
        choices=AgendaItemKind.choices,
        default=AgendaItemKind.OTHER,
    )
    presenter = models.ForeignKey(
        "portal.Person",
        verbose_name=_("người trình bày"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="presented_items",
    )
    documents = models.ManyToManyField(
        "documents.Document",
        verbose_name=_("văn bản liên quan"),
        related_name="agenda_items",
        blank=True,
    )
    outcome = models.TextField(
        _("kết quả"), blank=True, default="", help_text=_("Hội nghị đã kết luận, quyết định gì.")
    )
    # Folded title and outcome (portal.text.fold), filled in save(); site search.
    search_text = models.TextField(_("văn bản tìm kiếm"), blank=True, default="", editable=False)

    history = HistoricalRecords(excluded_fields=["search_text"], m2m_fields=[documents])
    publication_parent = "meeting"
    objects = ApprovedManager.from_queryset(AgendaItemQuerySet)()
    all_objects = AgendaItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("nội dung")
        verbose_name_plural = _("chương trình (các nội dung)")
        ordering = ["meeting", "sort_key", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "order"],
                name="meetings_agendaitem_unique_order",
                violation_error_message=_("Hội nghị đã có nội dung mang thứ tự này."),
            ),
            models.CheckConstraint(
                condition=~Q(order=""),
                name="meetings_agendaitem_order_set",
                violation_error_message=_("Cần ghi thứ tự nội dung."),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=AgendaItemKind.values),
                name="meetings_agendaitem_kind_valid",
            ),
        ]

    def __str__(self):
        title = self.title if len(self.title) <= 80 else self.title[:79] + "…"
        return f"{self.order}. {title}"

    def save(self, *args, **kwargs):
        self.order = self.order.strip()
        self.sort_key = order_sort_key(self.order)
        self.search_text = self.folded_text()
        _with_search_text(kwargs)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return f"{self.meeting.get_absolute_url()}#item-{self.pk}"

    def folded_text(self) -> str:
        return fold(" ".join([self.title, self.outcome]))


def _cast_expression():
    return (
        Coalesce("votes_for", Value(0))
        + Coalesce("votes_against", Value(0))
        + Coalesce("abstentions", Value(0))
    )


class Vote(ReviewedChild):
    """A vote (biểu quyết) on an agenda item or on the meeting itself."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("hội nghị"), on_delete=models.CASCADE, related_name="votes"
    )
    agenda_item = models.ForeignKey(
        AgendaItem,
        verbose_name=_("nội dung"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="votes",
        help_text=_("Để trống nếu biểu quyết về cả hội nghị, ví dụ thông qua chương trình."),
    )
    question = models.TextField(_("vấn đề biểu quyết"))
    method = models.CharField(
        _("hình thức"), max_length=20, choices=VoteMethod.choices, blank=True, default=""
    )
    votes_for = models.PositiveSmallIntegerField(_("tán thành"), null=True, blank=True)
    votes_against = models.PositiveSmallIntegerField(_("không tán thành"), null=True, blank=True)
    abstentions = models.PositiveSmallIntegerField(_("không biểu quyết"), null=True, blank=True)
    present = models.PositiveSmallIntegerField(_("số có mặt"), null=True, blank=True)
    total = models.PositiveSmallIntegerField(_("tổng số thành viên"), null=True, blank=True)
    pass_rule = models.CharField(
        _("điều kiện thông qua"),
        max_length=20,
        choices=PassRule.choices,
        blank=True,
        default="",
    )
    result = models.CharField(
        _("kết quả"),
        max_length=10,
        choices=VoteResult.choices,
        blank=True,
        default="",
        help_text=_(
            "Tự tính khi có số phiếu và điều kiện thông qua; nếu chỉ công bố kết quả "
            "(ví dụ “biểu quyết thông qua”), chọn kết quả đó."
        ),
    )
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    history = HistoricalRecords()
    publication_parent = "meeting"

    class Meta:
        verbose_name = _("biểu quyết")
        verbose_name_plural = _("biểu quyết")
        ordering = ["order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(result__in=VoteResult.values),
                name="meetings_vote_result_valid",
                violation_error_message=_(
                    "Cần chọn kết quả khi không đủ số phiếu để tự tính kết quả."
                ),
            ),
            models.CheckConstraint(
                condition=Q(method__in=VoteMethod.values),
                name="meetings_vote_method_valid",
            ),
            models.CheckConstraint(
                condition=Q(pass_rule__in=PassRule.values),
                name="meetings_vote_pass_rule_valid",
            ),
            models.CheckConstraint(
                condition=Q(present__isnull=True)
                | Q(total__isnull=True)
                | Q(present__lte=F("total")),
                name="meetings_vote_present_within_total",
                violation_error_message=_("Số có mặt không thể lớn hơn tổng số thành viên."),
            ),
            models.CheckConstraint(
                condition=Q(present__isnull=True) | Q(present__gte=_cast_expression()),
                name="meetings_vote_cast_within_present",
                violation_error_message=_(
                    "Tổng số tán thành, không tán thành và không biểu quyết không thể lớn hơn "
                    "số có mặt."
                ),
            ),
            models.CheckConstraint(
                condition=Q(total__isnull=True) | Q(total__gte=_cast_expression()),
                name="meetings_vote_cast_within_total",
                violation_error_message=_(
                    "Tổng số tán thành, không tán thành và không biểu quyết không thể lớn hơn "
                    "tổng số thành viên."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(question=""),
                name="meetings_vote_question_set",
                violation_error_message=_("Cần ghi vấn đề biểu quyết."),
            ),
        ]

    def __str__(self):
        question = self.question if len(self.question) <= 80 else self.question[:79] + "…"
        return question

    def save(self, *args, **kwargs):
        computed = self.computed_result
        if computed is not None:
            self.result = computed
        super().save(*args, **kwargs)

    def clean(self):
        errors = count_errors(self.tally)
        if (
            self.agenda_item_id is not None
            and self.meeting_id is not None
            and self.agenda_item.meeting_id != self.meeting_id
        ):
            errors["agenda_item"] = str(_("Nội dung này thuộc một hội nghị khác."))
        computed = self.computed_result
        if computed is not None and self.result and self.result != computed:
            errors["result"] = str(
                _(
                    "Kết quả “%(entered)s” trái với số phiếu: theo điều kiện “%(rule)s” thì "
                    "kết quả là “%(computed)s”."
                )
                % {
                    "entered": VoteResult(self.result).label,
                    "rule": PassRule(self.pass_rule).label,
                    "computed": computed.label,
                }
            )
        if computed is not None and not errors.get("result"):
            self.result = computed
        if computed is None and not self.result:
            errors["result"] = str(
                _(
                    "Chưa đủ số phiếu và điều kiện thông qua để tự tính: hãy chọn kết quả "
                    "đã được công bố."
                )
            )
        if errors:
            raise ValidationError(errors)

    @property
    def tally(self) -> Tally:
        return Tally(
            votes_for=self.votes_for,
            votes_against=self.votes_against,
            abstentions=self.abstentions,
            present=self.present,
            total=self.total,
        )

    @property
    def computed_result(self) -> VoteResult | None:
        return compute_result(self.tally, self.pass_rule)

    @property
    def tallies_published(self) -> bool:
        return any(
            n is not None
            for n in (self.votes_for, self.votes_against, self.abstentions, self.present)
        )

    @property
    def adopted(self) -> bool:
        return self.result == VoteResult.ADOPTED


class PersonVote(ReviewedChild):
    """How one member voted, where the body published it (optional)."""

    vote = models.ForeignKey(
        Vote, verbose_name=_("biểu quyết"), on_delete=models.CASCADE, related_name="person_votes"
    )
    person = models.ForeignKey(
        "portal.Person", verbose_name=_("người"), on_delete=models.PROTECT, related_name="votes"
    )
    choice = models.CharField(_("lựa chọn"), max_length=10, choices=Choice.choices)

    history = HistoricalRecords()
    publication_parent = "vote__meeting"

    class Meta:
        verbose_name = _("phiếu của thành viên")
        verbose_name_plural = _("phiếu của từng thành viên")
        ordering = ["person__full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["vote", "person"],
                name="meetings_personvote_unique_person",
                violation_error_message=_("Đã ghi phiếu của người này trong lần biểu quyết này."),
            ),
            models.CheckConstraint(
                condition=Q(choice__in=Choice.values),
                name="meetings_personvote_choice_valid",
            ),
        ]

    def __str__(self):
        return self.get_choice_display()
