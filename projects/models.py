"""Infrastructure projects, their progress over time and their milestones."""

import datetime
import functools
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, F, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from documents.models import Document
from meetings.models import AgendaItem
from portal.publication import Publishable, PublishableQuerySet, ReviewedChild
from portal.text import every_word, fold, search_words, vietnamese_slug

from .geometry import validate_geometry
from .schedule import (
    Freshness,
    Schedule,
    ScheduleFacts,
    assess_freshness,
    assess_schedule,
    format_percent,
    stale_after_days,
)


class Sector(models.TextChoices):
    RING_ROAD = "ring_road", _("Đường vành đai")
    ROAD = "road", _("Đường giao thông")
    URBAN_RAILWAY = "urban_railway", _("Đường sắt đô thị")
    BRIDGE = "bridge", _("Cầu")
    WASTE_TREATMENT = "waste_treatment", _("Xử lý rác thải")
    WASTEWATER_TREATMENT = "wastewater_treatment", _("Xử lý nước thải")
    RIVER_REMEDIATION = "river_remediation", _("Cải tạo, xử lý ô nhiễm sông")
    OTHER = "other", _("Khác")


class Stage(models.TextChoices):
    """Where the works stand. Empty means no source has said (not "preparing")."""

    PREPARING = "preparing", _("Đang chuẩn bị đầu tư")
    UNDER_CONSTRUCTION = "under_construction", _("Đang thi công")
    COMPLETED = "completed", _("Đã hoàn thành")
    SUSPENDED = "suspended", _("Tạm dừng")
    CANCELLED = "cancelled", _("Đã hủy")


BASELINE_HELP = _(
    "Theo quyết định phê duyệt ban đầu. Khi một quyết định điều chỉnh, giữ nguyên ở đây và "
    "thêm một dòng ở phần “Điều chỉnh dự án” bên dưới."
)


# A change row that gave the project a new schedule or cost (not only a new scope).
SCHEDULE_OR_COST = (
    Q(new_planned_start__isnull=False)
    | Q(new_planned_finish__isnull=False)
    | Q(new_total_investment__isnull=False)
)


# Addresses under /projects/ that are pages of their own, not projects (projects/urls.py).
RESERVED_SLUGS = {"map"}


def slug_from_name(name: str) -> str:
    """The project's address from its Vietnamese name; "Map" becomes `map-du-an`, since
    /projects/map/ is the map of every project."""
    slug = vietnamese_slug(name)[:160]
    return f"{slug}-du-an" if slug in RESERVED_SLUGS else slug


def _latest_measured():
    return ProgressUpdate.objects.filter(
        project=OuterRef("pk"), physical_percent__isnull=False
    ).order_by("-date", "-pk")


def _latest_change_of(field: str):
    """The newest approved change that set `field`'s new value: the value in force."""
    return (
        ProjectChange.objects.filter(project=OuterRef("pk"), **{f"{field}__isnull": False})
        .order_by("-decided_on", "-pk")
        .values(field)[:1]
    )


def _discussed_at():
    """Agenda items of published meetings, newest meeting first (as the meetings list), with
    the meeting, term and body their links need. Drafts and archived meetings are left out."""
    return (
        AgendaItem.objects.of_published_meetings()
        .select_related("meeting__term__body")
        .order_by(
            F("meeting__date").desc(nulls_last=True),
            "-meeting__term__start_year",
            "-meeting__number",
            "sort_key",
            "pk",
        )
    )


# The annotations are built once per process: `annotate()` copies them, and building the
# subqueries anew cost about a millisecond per list or detail page. They hold no data.


@functools.cache
def _progress_annotations() -> dict:
    return {
        "latest_percent": Subquery(_latest_measured().values("physical_percent")[:1]),
        "latest_percent_on": Subquery(_latest_measured().values("date")[:1]),
        "last_update_on": Subquery(
            ProgressUpdate.objects.filter(project=OuterRef("pk"))
            .order_by("-date")
            .values("date")[:1]
        ),
    }


@functools.cache
def _plan_annotations() -> dict:
    return {
        "start_in_force": Coalesce(
            Subquery(_latest_change_of("new_planned_start")), F("planned_start")
        ),
        "finish_in_force": Coalesce(
            Subquery(_latest_change_of("new_planned_finish")), F("planned_finish")
        ),
        "investment_in_force": Coalesce(
            Subquery(_latest_change_of("new_total_investment")), F("total_investment")
        ),
        "schedule_or_cost_changed": Exists(
            ProjectChange.objects.filter(SCHEDULE_OR_COST, project=OuterRef("pk"))
        ),
    }


class ProjectQuerySet(PublishableQuerySet):
    def matching(self, words: list[str]):
        """Projects whose name, code, place or description contain every folded word."""
        return self.filter(every_word(words))

    def search(self, query: str):
        """The rows answering a `q` on every surface (list, downloads, feeds, API, admin,
        site search): every folded word of `query` in `search_text`."""
        return self.matching(search_words(query))

    def with_progress(self):
        """Annotate the latest physical percent, its date and the latest update's date.

        Subqueries, not prefetches, so a page costs the same however many updates exist.
        """
        return self.annotate(**_progress_annotations())

    def with_plan(self):
        """Annotate the plan in force: each of the planned start, planned finish and total
        investment as the newest approved change set it, else as the project was approved
        (its own columns, the baseline); and whether the schedule or cost ever changed.

        Pending changes are left out (`ProjectChange.objects`): the public sees a new plan
        once a publisher approved it. Subqueries, so a page costs the same however many
        changes exist.
        """
        return self.annotate(**_plan_annotations())

    def schedule_or_cost_changed(self, changed: bool = True):
        """Projects that an approved change gave a new schedule or cost (or, with
        `changed=False`, that none did)."""
        changes = ProjectChange.objects.filter(SCHEDULE_OR_COST, project=OuterRef("pk"))
        return self.filter(Exists(changes) if changed else ~Exists(changes))

    def for_home(self, today: datetime.date):
        """Rows the home page judges: key projects and those that may be behind schedule."""
        return self.filter(
            Q(is_key=True)
            | Q(behind_stated=True)
            | Q(finish_in_force__lt=today)
            | Q(latest_percent__isnull=False)
        )

    def for_list(self):
        return (
            self.select_related("parent").with_progress().with_plan().order_by("-is_key", "name")
        )

    def for_detail(self):
        return (
            self.select_related("parent", "owner", "approval_document", "behind_stated_in")
            .with_progress()
            .with_plan()
            .prefetch_related(
                Prefetch(
                    "progress_updates",
                    queryset=ProgressUpdate.objects.select_related(
                        "source_document", "meeting__term__body"
                    ).order_by("date", "pk"),
                ),
                Prefetch(
                    "milestones",
                    queryset=Milestone.objects.order_by(
                        Coalesce("planned_on", "actual_on").asc(nulls_last=True), "pk"
                    ),
                ),
                Prefetch(
                    "changes",
                    queryset=ProjectChange.objects.select_related("document").order_by(
                        "decided_on", "pk"
                    ),
                ),
                Prefetch(
                    "agenda_items",
                    queryset=_discussed_at(),
                    to_attr="public_agenda_items",
                ),
                Prefetch(
                    "children",
                    queryset=Project.objects.published().for_list(),
                    to_attr="published_children",
                ),
            )
        )


class Project(Publishable):
    """A public works project (or a programme grouping several) that the city follows."""

    name = models.CharField(_("tên dự án"), max_length=255)
    code = models.CharField(
        _("mã dự án"),
        max_length=50,
        blank=True,
        default="",
        help_text=_("Mã do cơ quan quản lý cấp, nếu có; không được trùng."),
    )
    slug = models.SlugField(
        _("đường dẫn"),
        max_length=160,
        unique=True,
        blank=True,
        help_text=_("Để trống để tạo tự động từ tên."),
    )
    sector = models.CharField(_("lĩnh vực"), max_length=30, choices=Sector.choices)
    is_key = models.BooleanField(_("dự án trọng điểm"), default=False)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("thuộc chương trình, dự án"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        help_text=_("Ví dụ: một cây cầu thuộc nhóm 6 cây cầu; một đoạn thuộc cả tuyến."),
    )
    owner = models.ForeignKey(
        "portal.Organization",
        verbose_name=_("chủ đầu tư"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="projects",
    )
    location = models.CharField(
        _("địa điểm"),
        max_length=500,
        blank=True,
        default="",
        help_text=_("Xã, phường hoặc điểm đầu – điểm cuối, như nguồn ghi."),
    )
    geometry = models.JSONField(
        _("tọa độ (GeoJSON)"),
        null=True,
        blank=True,
        validators=[validate_geometry],
        help_text=_(
            "GeoJSON Point, LineString hoặc MultiLineString, tọa độ [kinh độ, vĩ độ], ví dụ "
            '{"type": "Point", "coordinates": [105.85, 21.03]}.'
        ),
    )
    description = models.TextField(_("mô tả"), blank=True, default="")
    approval_document = models.ForeignKey(
        "documents.Document",
        verbose_name=_("văn bản phê duyệt"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="approved_projects",
    )
    documents = models.ManyToManyField(
        "documents.Document",
        verbose_name=_("văn bản liên quan"),
        blank=True,
        related_name="projects",
    )
    agenda_items = models.ManyToManyField(
        "meetings.AgendaItem",
        verbose_name=_("được bàn tại (nội dung hội nghị)"),
        blank=True,
        related_name="projects",
        help_text=_("Các nội dung hội nghị đã bàn về dự án."),
    )
    # The plan as first approved (the baseline); later decisions are `ProjectChange` rows,
    # and `with_plan()` reads the plan in force from both.
    planned_start = models.DateField(
        _("khởi công theo kế hoạch"), null=True, blank=True, help_text=BASELINE_HELP
    )
    planned_finish = models.DateField(
        _("hoàn thành theo kế hoạch"), null=True, blank=True, help_text=BASELINE_HELP
    )
    actual_start = models.DateField(_("khởi công thực tế"), null=True, blank=True)
    actual_finish = models.DateField(_("hoàn thành thực tế"), null=True, blank=True)
    total_investment = models.DecimalField(
        _("tổng mức đầu tư (đồng)"),
        max_digits=20,
        decimal_places=0,
        null=True,
        blank=True,
        help_text=BASELINE_HELP,
    )
    stage = models.CharField(
        _("tình trạng thực hiện"),
        max_length=20,
        choices=Stage.choices,
        blank=True,
        default="",
        help_text=_("Để trống khi chưa có nguồn nào cho biết."),
    )
    behind_stated = models.BooleanField(
        _("nguồn chính thức nêu chậm tiến độ"),
        default=False,
        help_text=_(
            "Chỉ đánh dấu khi một văn bản, báo cáo chính thức nói dự án chậm tiến độ mà không "
            "nêu số liệu; phải trích câu nguồn. Bỏ đánh dấu khi có nguồn mới hơn."
        ),
    )
    behind_statement = models.TextField(
        _("trích dẫn nguồn nêu chậm tiến độ"), blank=True, default=""
    )
    behind_stated_in = models.ForeignKey(
        "documents.Document",
        verbose_name=_("văn bản nêu chậm tiến độ"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="projects_stated_behind",
    )
    search_text = models.TextField(editable=False, blank=True, default="")

    # Who linked a project to which documents and meetings, and when, is kept too.
    history = HistoricalRecords(
        excluded_fields=["search_text"], m2m_fields=[documents, agenda_items]
    )
    objects = ProjectQuerySet.as_manager()

    class Meta(Publishable.Meta):
        verbose_name = _("dự án")
        verbose_name_plural = _("dự án")
        ordering = ["name"]
        constraints = [
            *Publishable.Meta.constraints,
            models.CheckConstraint(
                condition=Q(sector__in=Sector.values),
                name="projects_project_sector_valid",
            ),
            models.CheckConstraint(
                condition=Q(stage="") | Q(stage__in=Stage.values),
                name="projects_project_stage_valid",
            ),
            models.UniqueConstraint(
                fields=["code"],
                condition=~Q(code=""),
                name="projects_project_unique_code",
                violation_error_message=_("Đã có dự án khác mang mã này."),
            ),
            models.CheckConstraint(condition=~Q(slug=""), name="projects_project_slug_set"),
            models.CheckConstraint(
                condition=Q(planned_start__isnull=True)
                | Q(planned_finish__isnull=True)
                | Q(planned_finish__gte=F("planned_start")),
                name="projects_project_planned_finish_after_start",
                violation_error_message=_(
                    "Ngày hoàn thành theo kế hoạch phải sau ngày khởi công theo kế hoạch."
                ),
            ),
            models.CheckConstraint(
                condition=Q(actual_start__isnull=True)
                | Q(actual_finish__isnull=True)
                | Q(actual_finish__gte=F("actual_start")),
                name="projects_project_actual_finish_after_start",
                violation_error_message=_(
                    "Ngày hoàn thành thực tế phải sau ngày khởi công thực tế."
                ),
            ),
            models.CheckConstraint(
                condition=Q(total_investment__isnull=True) | Q(total_investment__gte=0),
                name="projects_project_investment_not_negative",
                violation_error_message=_("Tổng mức đầu tư không được âm."),
            ),
            models.CheckConstraint(
                condition=Q(behind_stated=False) | ~Q(behind_statement=""),
                name="projects_project_behind_stated_has_source",
                violation_error_message=_(
                    "Khi đánh dấu chậm tiến độ theo nguồn chính thức, hãy trích câu nguồn."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(parent=F("pk")),
                name="projects_project_not_own_parent",
                violation_error_message=_("Một dự án không thể thuộc chính nó."),
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slug_from_name(self.name)
        self.search_text = self.folded_text()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_text"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("projects:detail", kwargs={"slug": self.slug})

    def folded_text(self) -> str:
        """What the search finds a project by: name, code, place and description, folded."""
        return fold(" ".join([self.name, self.code, self.location, self.description]))

    def clean(self):
        super().clean()
        if not self.slug and self.name:
            self.slug = slug_from_name(self.name)
        if self.slug in RESERVED_SLUGS:
            message = _(
                "“%(value)s” là địa chỉ của một trang khác của cổng; hãy chọn đường dẫn khác."
            )
            raise ValidationError({"slug": ValidationError(message, params={"value": self.slug})})
        if self.behind_stated and not self.behind_statement.strip():
            raise ValidationError(
                {
                    "behind_statement": _(
                        "Khi đánh dấu chậm tiến độ theo nguồn chính thức, hãy trích câu nguồn."
                    )
                }
            )
        self._check_parent_chain()

    def _check_parent_chain(self):
        """A project may not be its own ancestor (that would loop the programme tree)."""
        seen = {self.pk} if self.pk else set()
        parent, depth = self.parent, 0
        while parent is not None and depth < 20:
            if parent.pk in seen or parent is self:
                raise ValidationError(
                    {"parent": _("Không thể chọn dự án này: chương trình sẽ thuộc chính nó.")}
                )
            seen.add(parent.pk)
            parent, depth = parent.parent, depth + 1

    # Progress, as annotated by `with_progress()` (queried here only when not annotated).

    def _progress_values(self) -> tuple:
        if not hasattr(self, "latest_percent"):
            latest = (
                self.progress_updates.filter(physical_percent__isnull=False)
                .order_by("-date", "-pk")
                .values_list("physical_percent", "date")
                .first()
            )
            self.latest_percent, self.latest_percent_on = latest or (None, None)
            self.last_update_on = (
                self.progress_updates.order_by("-date").values_list("date", flat=True).first()
            )
        return self.latest_percent, self.latest_percent_on, self.last_update_on

    @property
    def stage_label(self) -> str:
        return self.get_stage_display() if self.stage else str(_("Chưa có thông tin"))

    def linked_documents(self):
        """The public, published documents this project cites (one query).

        The approval document, the source of a stated delay, related documents, the
        sources of approved progress updates and the decisions of approved changes; drafts
        and internal documents are left out.

        The keys come from a UNION of reads by this project's key, then the documents by
        theirs: an OR of joins through the documents made PostgreSQL read the whole
        register (docs/benchmarks.md, issue 19).
        """
        own = [pk for pk in (self.approval_document_id, self.behind_stated_in_id) if pk]
        keys = (
            Project.documents.through.objects.filter(project_id=self.pk)
            .values("document_id")
            .union(
                ProgressUpdate.objects.filter(project_id=self.pk, source_document__isnull=False)
                .order_by()
                .values("source_document_id"),
                ProjectChange.objects.filter(project_id=self.pk, document__isnull=False)
                .order_by()
                .values("document_id"),
                Document.objects.filter(pk__in=own).order_by().values("pk"),
            )
        )
        return (
            Document.objects.published()
            .public()
            .filter(pk__in=keys)
            .order_by(F("issued_on").desc(nulls_last=True), "pk")
        )

    # The plan in force, as annotated by `with_plan()` (queried here only when not annotated).

    def _plan_values(self) -> tuple:
        if self.pk is None:  # not saved: no change can point at it yet
            return self.planned_start, self.planned_finish, self.total_investment
        if not hasattr(self, "finish_in_force"):
            annotated = (
                Project.objects.filter(pk=self.pk)
                .with_plan()
                .values_list("start_in_force", "finish_in_force", "investment_in_force")
                .get()
            )
            self.start_in_force, self.finish_in_force, self.investment_in_force = annotated
        return self.start_in_force, self.finish_in_force, self.investment_in_force

    def schedule(self, today: datetime.date | None = None) -> Schedule:
        """The one schedule rule, judged against the plan in force (the latest approved
        change, else the plan as approved)."""
        percent, percent_on, _last = self._progress_values()
        start, finish, _investment = self._plan_values()
        facts = ScheduleFacts(
            planned_start=start,
            planned_finish=finish,
            actual_finish=self.actual_finish,
            completed=self.stage == Stage.COMPLETED,
            cancelled=self.stage == Stage.CANCELLED,
            stated_behind=self.behind_stated,
            statement=self.behind_statement,
            latest_percent=percent,
            latest_percent_on=percent_on,
        )
        return assess_schedule(facts, today=today or timezone.localdate())

    def freshness(self, today: datetime.date | None = None) -> Freshness:
        _percent, _on, last_update_on = self._progress_values()
        return assess_freshness(
            last_update_on, today=today or timezone.localdate(), stale_days=stale_after_days()
        )

    def is_stale(self, today: datetime.date | None = None) -> bool:
        """Stale when not updated for the configured days, unless already finished."""
        if self.stage in (Stage.COMPLETED, Stage.CANCELLED) or self.actual_finish:
            return False
        return self.freshness(today) == Freshness.STALE


class ProgressUpdate(ReviewedChild):
    """Progress reported on a date: physical works done and money disbursed."""

    project = models.ForeignKey(
        Project,
        verbose_name=_("dự án"),
        on_delete=models.CASCADE,
        related_name="progress_updates",
    )
    date = models.DateField(_("ngày số liệu"))
    physical_percent = models.DecimalField(
        _("khối lượng hoàn thành (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    disbursed_amount = models.DecimalField(
        _("giải ngân (đồng)"), max_digits=20, decimal_places=0, null=True, blank=True
    )
    disbursed_percent = models.DecimalField(
        _("giải ngân (% kế hoạch vốn)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    note = models.TextField(_("ghi chú"), blank=True, default="")
    source_document = models.ForeignKey(
        "documents.Document",
        verbose_name=_("văn bản nguồn"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="project_progress_updates",
    )
    meeting = models.ForeignKey(
        "meetings.Meeting",
        verbose_name=_("hội nghị nguồn"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="project_progress_updates",
        help_text=_("Hội nghị nơi số liệu được báo cáo, nếu có."),
    )
    source_text = models.CharField(
        _("nguồn"),
        max_length=500,
        blank=True,
        default="",
        help_text=_("Nguồn khác, ví dụ: phát biểu tại hội nghị, báo cáo của chủ đầu tư."),
    )

    history = HistoricalRecords()
    publication_parent = "project"

    class Meta:
        verbose_name = _("cập nhật tiến độ")
        verbose_name_plural = _("cập nhật tiến độ")
        ordering = ["project", "date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(physical_percent__isnull=True) | Q(physical_percent__gte=0),
                name="projects_progressupdate_physical_percent_min_0",
                violation_error_message=_("Khối lượng hoàn thành phải từ 0%% đến 100%%."),
            ),
            models.CheckConstraint(
                condition=Q(physical_percent__isnull=True) | Q(physical_percent__lte=100),
                name="projects_progressupdate_physical_percent_max_100",
                violation_error_message=_("Khối lượng hoàn thành phải từ 0%% đến 100%%."),
            ),
            models.CheckConstraint(
                condition=Q(disbursed_percent__isnull=True)
                | Q(disbursed_percent__gte=0, disbursed_percent__lte=100),
                name="projects_progressupdate_disbursed_percent_range",
                violation_error_message=_("Tỷ lệ giải ngân phải từ 0%% đến 100%%."),
            ),
            models.CheckConstraint(
                condition=Q(disbursed_amount__isnull=True) | Q(disbursed_amount__gte=0),
                name="projects_progressupdate_disbursed_amount_not_negative",
                violation_error_message=_("Số tiền giải ngân không được âm."),
            ),
            models.CheckConstraint(
                condition=Q(physical_percent__isnull=False)
                | Q(disbursed_amount__isnull=False)
                | Q(disbursed_percent__isnull=False)
                | ~Q(note=""),
                name="projects_progressupdate_has_content",
                violation_error_message=_(
                    "Một cập nhật cần ít nhất một số liệu (khối lượng, giải ngân) hoặc ghi chú."
                ),
            ),
            models.UniqueConstraint(
                fields=["project", "date"],
                name="projects_progressupdate_unique_project_date",
                violation_error_message=_("Dự án đã có một cập nhật tiến độ trong ngày này."),
            ),
        ]

    def __str__(self):
        return f"{self.date:%d/%m/%Y}"

    @property
    def public_meeting(self):
        """The source meeting if published, else None (selected with the update)."""
        meeting = self.meeting if self.meeting_id else None
        return meeting if meeting is not None and meeting.is_published else None

    def clean(self):
        super().clean()
        errors = {}
        for field in ("physical_percent", "disbursed_percent"):
            value = getattr(self, field)
            if value is not None and not Decimal(0) <= value <= Decimal(100):
                errors[field] = ValidationError(
                    _("Tỷ lệ phải từ 0%% đến 100%%; đã nhập %(value)s."),
                    code="percent_range",
                    params={"value": format_percent(value)},
                )
        if self.disbursed_amount is not None and self.disbursed_amount < 0:
            errors["disbursed_amount"] = _("Số tiền giải ngân không được âm.")
        if errors:
            raise ValidationError(errors)


class Milestone(ReviewedChild):
    """A step in a project's life: groundbreaking, opening to traffic, commercial operation."""

    project = models.ForeignKey(
        Project, verbose_name=_("dự án"), on_delete=models.CASCADE, related_name="milestones"
    )
    name = models.CharField(_("mốc"), max_length=255)
    planned_on = models.DateField(_("theo kế hoạch"), null=True, blank=True)
    actual_on = models.DateField(_("thực tế"), null=True, blank=True)

    history = HistoricalRecords()
    publication_parent = "project"

    class Meta:
        verbose_name = _("mốc tiến độ")
        verbose_name_plural = _("mốc tiến độ")
        ordering = ["project", "planned_on", "actual_on"]

    def __str__(self):
        return self.name

    @property
    def is_reached(self) -> bool:
        return self.actual_on is not None

    def is_late(self, today: datetime.date) -> bool:
        """Reached after the plan, or still not reached after the planned date."""
        if self.planned_on is None:
            return False
        if self.actual_on is not None:
            return self.actual_on > self.planned_on
        return today > self.planned_on


class ProjectChange(ReviewedChild):
    """A decision that changed a project's approved schedule, total investment or scope.

    A row holds only the new values: the old one is the value in force before it (the
    previous change's, else the project's own, as first approved), so the chain of old →
    new cannot contradict itself, even when an older decision is entered late. Scope is
    prose with no column of its own on the project, so it is written as the decision
    words it, before and after.
    """

    project = models.ForeignKey(
        Project, verbose_name=_("dự án"), on_delete=models.CASCADE, related_name="changes"
    )
    decided_on = models.DateField(
        _("ngày quyết định"), help_text=_("Ngày ký văn bản phê duyệt điều chỉnh.")
    )
    document = models.ForeignKey(
        "documents.Document",
        verbose_name=_("văn bản phê duyệt điều chỉnh"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="project_changes",
    )
    reason = models.TextField(_("lý do điều chỉnh"))
    new_planned_start = models.DateField(_("khởi công theo kế hoạch mới"), null=True, blank=True)
    new_planned_finish = models.DateField(_("hoàn thành theo kế hoạch mới"), null=True, blank=True)
    new_total_investment = models.DecimalField(
        _("tổng mức đầu tư mới (đồng)"), max_digits=20, decimal_places=0, null=True, blank=True
    )
    old_scope = models.TextField(_("quy mô trước điều chỉnh"), blank=True, default="")
    new_scope = models.TextField(_("quy mô sau điều chỉnh"), blank=True, default="")

    history = HistoricalRecords()
    publication_parent = "project"

    class Meta:
        verbose_name = _("điều chỉnh dự án")
        verbose_name_plural = _("điều chỉnh dự án")
        ordering = ["project", "decided_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=SCHEDULE_OR_COST | ~Q(new_scope=""),
                name="projects_projectchange_changes_something",
                violation_error_message=_(
                    "Hãy nhập ít nhất một giá trị mới: ngày khởi công, ngày hoàn thành, tổng "
                    "mức đầu tư hoặc quy mô."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(reason=""),
                name="projects_projectchange_has_reason",
                violation_error_message=_("Hãy ghi lý do điều chỉnh."),
            ),
            models.CheckConstraint(
                condition=Q(new_total_investment__isnull=True) | Q(new_total_investment__gte=0),
                name="projects_projectchange_investment_not_negative",
                violation_error_message=_("Tổng mức đầu tư không được âm."),
            ),
            models.CheckConstraint(
                condition=Q(new_planned_start__isnull=True)
                | Q(new_planned_finish__isnull=True)
                | Q(new_planned_finish__gte=F("new_planned_start")),
                name="projects_projectchange_finish_after_start",
                violation_error_message=_(
                    "Ngày hoàn thành theo kế hoạch phải sau ngày khởi công theo kế hoạch."
                ),
            ),
            models.CheckConstraint(
                condition=Q(old_scope="") | ~Q(new_scope=""),
                name="projects_projectchange_old_scope_has_new",
                violation_error_message=_(
                    "Đã ghi quy mô trước điều chỉnh thì hãy ghi quy mô sau."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.decided_on:%d/%m/%Y}"

    @property
    def changes_schedule_or_cost(self) -> bool:
        return (
            self.new_planned_start is not None
            or self.new_planned_finish is not None
            or self.new_total_investment is not None
        )
