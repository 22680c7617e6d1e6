"""Records shared by every area of the portal: bodies, people and their titles, pages."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .publication import Publishable
from .text import vietnamese_slug


class OrganizationKind(models.TextChoices):
    PARTY = "party", _("Tổ chức Đảng")
    STATE = "state", _("Cơ quan hành chính nhà nước")
    ASSEMBLY = "assembly", _("Cơ quan dân cử")
    FRONT = "front", _("Mặt trận và đoàn thể")


class Organization(models.Model):
    """A body that issues documents, holds meetings or invests in projects."""

    code = models.CharField(
        _("mã"),
        max_length=20,
        unique=True,
        help_text=_("Ký hiệu dùng trong số văn bản, ví dụ TU, UBND, HĐND, BTVTU."),
    )
    name = models.CharField(_("tên đầy đủ"), max_length=255)
    short_name = models.CharField(_("tên ngắn"), max_length=100, blank=True, default="")
    kind = models.CharField(_("loại"), max_length=10, choices=OrganizationKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("trực thuộc"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("cơ quan, tổ chức")
        verbose_name_plural = _("cơ quan, tổ chức")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=OrganizationKind.values),
                name="portal_organization_kind_valid",
            ),
            models.CheckConstraint(condition=~Q(code=""), name="portal_organization_code_set"),
        ]

    def __str__(self):
        return self.short_name or self.name


class PersonQuerySet(models.QuerySet):
    def for_detail(self):
        return self.prefetch_related(
            models.Prefetch(
                "positions",
                queryset=Position.objects.select_related("organization").order_by(
                    "order", "start_date"
                ),
            )
        )


class Person(models.Model):
    """A named official who holds titles in one or more bodies."""

    full_name = models.CharField(_("họ và tên"), max_length=150)
    slug = models.SlugField(_("đường dẫn"), max_length=160, unique=True, blank=True)

    history = HistoricalRecords()
    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("nhân sự")
        verbose_name_plural = _("nhân sự")
        ordering = ["full_name"]

    def __str__(self):
        return self.full_name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = vietnamese_slug(self.full_name)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("portal:person", kwargs={"slug": self.slug})


class PositionQuerySet(models.QuerySet):
    def held_on(self, day: datetime.date):
        """Titles held on `day`; an empty start or end means "open on that side"."""
        return self.filter(
            Q(start_date__isnull=True) | Q(start_date__lte=day),
            Q(end_date__isnull=True) | Q(end_date__gte=day),
        )


class Position(models.Model):
    """A title a person holds in an organization over a range of dates."""

    person = models.ForeignKey(
        Person, verbose_name=_("người"), on_delete=models.CASCADE, related_name="positions"
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("cơ quan, tổ chức"),
        on_delete=models.PROTECT,
        related_name="positions",
    )
    title = models.CharField(_("chức danh"), max_length=200)
    start_date = models.DateField(_("từ ngày"), null=True, blank=True)
    end_date = models.DateField(_("đến ngày"), null=True, blank=True)
    order = models.PositiveSmallIntegerField(
        _("thứ tự"), default=0, help_text=_("Thứ tự khi liệt kê các chức danh của một người.")
    )

    history = HistoricalRecords()
    objects = PositionQuerySet.as_manager()

    class Meta:
        verbose_name = _("chức danh")
        verbose_name_plural = _("chức danh")
        ordering = ["order", "start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(start_date__isnull=True)
                | Q(end_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="portal_position_ends_after_start",
                violation_error_message=_("Ngày kết thúc phải sau ngày bắt đầu."),
            ),
        ]

    def __str__(self):
        return self.title

    def is_held_on(self, day: datetime.date) -> bool:
        starts_ok = self.start_date is None or self.start_date <= day
        ends_ok = self.end_date is None or self.end_date >= day
        return starts_ok and ends_ok


class Page(Publishable):
    """A page of standing information, such as what the portal is or how to contact it."""

    title = models.CharField(_("tiêu đề"), max_length=200)
    slug = models.SlugField(_("đường dẫn"), max_length=100, unique=True)
    body = models.TextField(_("nội dung"), blank=True, default="")

    history = HistoricalRecords()

    class Meta(Publishable.Meta):
        verbose_name = _("trang thông tin")
        verbose_name_plural = _("trang thông tin")
        ordering = ["title"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("portal:page", kwargs={"slug": self.slug})


class ImportStatus(models.TextChoices):
    CHECKING = "checking", _("Đang kiểm tra")
    WRITING = "writing", _("Đang ghi")
    DONE = "done", _("Xong")
    REFUSED = "refused", _("Có lỗi, không ghi gì")
    INTERRUPTED = "interrupted", _("Bị gián đoạn, không ghi gì")


class ImportJob(models.Model):
    """A CSV import started in the admin and run in the background (portal/imports.py):
    its page shows how far it got, then what it wrote or why it wrote nothing."""

    kind = models.CharField(_("dữ liệu"), max_length=40)  # the model's label, "documents.document"
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người nhập"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    file_name = models.CharField(_("tên tệp"), max_length=255, blank=True, default="")
    # The uploaded CSV, emptied once the import has finished.
    content = models.TextField(_("nội dung tệp"), blank=True, default="")
    options = models.JSONField(_("tùy chọn"), default=dict, blank=True)
    language = models.CharField(_("ngôn ngữ"), max_length=10, blank=True, default="")
    status = models.CharField(
        _("trạng thái"), max_length=20, choices=ImportStatus.choices, default=ImportStatus.CHECKING
    )
    rows_total = models.PositiveIntegerField(_("số dòng"), default=0)
    rows_checked = models.PositiveIntegerField(_("số dòng đã kiểm tra"), default=0)
    # [[line, message], …]: every bad row; empty when the import was good.
    errors = models.JSONField(_("lỗi"), default=list, blank=True)
    # What the import did, in sentences for the staff member ("Đã nhập 20.000 văn bản.").
    summary = models.JSONField(_("kết quả"), default=list, blank=True)
    created_at = models.DateTimeField(_("bắt đầu lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    class Meta:
        verbose_name = _("lần nhập CSV")
        verbose_name_plural = _("lần nhập CSV")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ImportStatus.values), name="portal_importjob_status_valid"
            ),
        ]

    def __str__(self):
        return f"{self.kind} {self.file_name} ({self.get_status_display()})"

    @property
    def running(self) -> bool:
        return self.status in (ImportStatus.CHECKING, ImportStatus.WRITING)

    @property
    def percent(self) -> int:
        if not self.rows_total:
            return 0
        return min(100, self.rows_checked * 100 // self.rows_total)
