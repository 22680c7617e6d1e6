"""Socio-economic and Party-building indicators, the periods they are reported for, and the
figures reported for each (actual, target, scenario, same period last year, % of estimate).
"""

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from portal.publication import (
    ApprovedManager,
    PublicationStatus,
    Publishable,
    PublishableQuerySet,
    ReviewedChild,
)
from portal.text import every_word, fold, search_words

from .periods import PeriodKind, period_label, period_problem, period_slug
from .verdicts import Direction, Verdict, judge


class Unit(models.TextChoices):
    PERCENT = "percent", _("%")
    PERCENT_CHANGE = "pct_change", _("% so với cùng kỳ năm trước")
    BILLION_VND = "billion_vnd", _("tỷ đồng")
    MILLION_USD = "million_usd", _("triệu USD")
    RANK = "rank", _("hạng")
    PLACES = "places", _("bậc")
    COUNT = "count", _("đơn vị")
    RATIO = "ratio", _("lần")
    INDEX_POINTS = "points", _("điểm")


class Category(models.TextChoices):
    """Groups on the dashboard, in the order they are shown."""

    GROWTH = "growth", _("Tăng trưởng kinh tế")
    BUDGET = "budget", _("Thu, chi ngân sách")
    TRADE = "trade", _("Xuất, nhập khẩu")
    INVESTMENT = "investment", _("Thu hút đầu tư")
    INDUSTRY = "industry", _("Công nghiệp")
    CONSTRUCTION = "construction", _("Xây dựng")
    DIGITAL = "digital", _("Chuyển đổi số")
    PARTY_BUILDING = "party_building", _("Xây dựng Đảng")
    OTHER = "other", _("Khác")


class ValueKind(models.TextChoices):
    ACTUAL = "actual", _("Thực hiện")
    TARGET = "target", _("Kế hoạch")
    SCENARIO = "scenario", _("Kịch bản")
    SAME_PERIOD_LAST_YEAR = "last_year", _("Cùng kỳ năm trước")
    PERCENT_OF_ESTIMATE = "pct_estimate", _("Đạt % dự toán năm")


class FigureStatus(models.TextChoices):
    PRELIMINARY = "preliminary", _("Ước tính, sơ bộ")
    OFFICIAL = "official", _("Chính thức")


CATEGORY_ORDER = {value: order for order, value in enumerate(Category.values)}


CODE_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"


class IndicatorQuerySet(PublishableQuerySet):
    def matching(self, words: list[str]):
        """Indicators whose code, name or definition contain every folded word."""
        return self.filter(every_word(words))

    def search(self, query: str):
        """The rows answering a `q` on every surface (list, downloads, feeds, API, admin,
        site search): every folded word of `query` in `search_text`."""
        return self.matching(search_words(query))

    def for_detail(self):
        return self.prefetch_related(_values_prefetch())

    def headlines(self):
        return (
            self.published()
            .filter(is_headline=True)
            .order_by("order", "code")
            .prefetch_related(_values_prefetch())
        )


def _values_prefetch(queryset=None):
    """The values of an indicator with their period and their *public* source document."""
    from documents.models import Document

    queryset = queryset if queryset is not None else Value.objects.all()
    return models.Prefetch(
        "values",
        queryset=queryset.select_related("period", "source_meeting__term__body")
        .prefetch_related(
            models.Prefetch("source_document", queryset=Document.objects.published().public())
        )
        .order_by("period__end", "period__start", "kind"),
    )


class Indicator(Publishable):
    """A measure the city reports on, such as GRDP growth or the share of congresses held."""

    code = models.SlugField(
        _("mã"),
        max_length=60,
        unique=True,
        validators=[
            RegexValidator(
                CODE_PATTERN,
                _("Mã chỉ gồm chữ thường không dấu, chữ số và dấu gạch ngang giữa các từ."),
            )
        ],
        help_text=_("Chữ thường không dấu, số và dấu gạch ngang; dùng trong đường dẫn."),
    )
    name = models.CharField(_("tên chỉ tiêu"), max_length=255)
    unit = models.CharField(_("đơn vị"), max_length=20, choices=Unit.choices)
    category = models.CharField(_("nhóm"), max_length=20, choices=Category.choices)
    definition = models.TextField(_("định nghĩa"), blank=True, default="")
    source = models.TextField(
        _("nguồn số liệu"),
        blank=True,
        default="",
        help_text=_("Cơ quan hoặc báo cáo cung cấp số liệu của chỉ tiêu."),
    )
    direction = models.CharField(
        _("chiều đánh giá"),
        max_length=10,
        choices=Direction.choices,
        default=Direction.HIGHER_IS_BETTER,
    )
    decimals = models.PositiveSmallIntegerField(
        _("số chữ số thập phân"),
        null=True,
        blank=True,
        help_text=_(
            "Số chữ số sau dấu phẩy khi hiển thị (ví dụ 1 để hiện 11,0%). Để trống: như khi nhập."
        ),
    )
    is_headline = models.BooleanField(
        _("hiện trên trang chủ"), default=False, help_text=_("Chỉ tiêu chính, hiện ở trang chủ.")
    )
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    # Folded code, name and definition (portal.text.fold), filled in save(); site search.
    search_text = models.TextField(_("văn bản tìm kiếm"), blank=True, default="", editable=False)

    history = HistoricalRecords(excluded_fields=["search_text"])
    objects = IndicatorQuerySet.as_manager()

    class Meta(Publishable.Meta):
        verbose_name = _("chỉ tiêu")
        verbose_name_plural = _("chỉ tiêu")
        ordering = ["order", "code"]
        constraints = [
            *Publishable.Meta.constraints,
            models.CheckConstraint(
                condition=Q(unit__in=Unit.values), name="indicators_indicator_unit_valid"
            ),
            models.CheckConstraint(
                condition=Q(category__in=Category.values),
                name="indicators_indicator_category_valid",
            ),
            models.CheckConstraint(
                condition=Q(direction__in=Direction.values),
                name="indicators_indicator_direction_valid",
            ),
            models.CheckConstraint(
                condition=Q(code__regex=CODE_PATTERN), name="indicators_indicator_code_format"
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.code})"

    def save(self, *args, **kwargs):
        self.search_text = self.folded_text()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_text"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("indicators:detail", kwargs={"code": self.code})

    def folded_text(self) -> str:
        """What the site search finds an indicator by: code, name and definition, folded."""
        return fold(" ".join([self.code, self.name, self.definition]))

    def get_csv_url(self):
        return reverse("indicators:csv", kwargs={"code": self.code})

    @property
    def unit_label(self) -> str:
        return Unit(self.unit).label if self.unit in Unit.values else self.unit

    @property
    def unit_short(self) -> str:
        """The unit as written after a number on a chart: `%` for both kinds of percent."""
        if self.unit in (Unit.PERCENT, Unit.PERCENT_CHANGE):
            return "%"
        return self.unit_label


class PeriodQuerySet(models.QuerySet):
    def with_published_values(self):
        """Periods for which at least one published indicator has a figure, latest first.

        Of two periods ending the same day the longer one (the cumulative figure a report
        leads with, e.g. the first half before the second quarter) comes first.
        """
        return (
            self.filter(values__indicator__status=PublicationStatus.PUBLISHED)
            .distinct()
            .order_by("-end", "start", "kind")
        )


class Period(models.Model):
    """A reporting period shared by all indicators: a month, quarter, half-year, year…"""

    kind = models.CharField(_("loại kỳ"), max_length=20, choices=PeriodKind.choices)
    start = models.DateField(_("từ ngày"))
    end = models.DateField(_("đến ngày"))
    slug = models.SlugField(_("mã kỳ"), max_length=40, unique=True, editable=False)

    history = HistoricalRecords()
    objects = PeriodQuerySet.as_manager()

    class Meta:
        verbose_name = _("kỳ báo cáo")
        verbose_name_plural = _("kỳ báo cáo")
        ordering = ["-end", "start"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "start", "end"], name="indicators_period_unique_kind_dates"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=PeriodKind.values), name="indicators_period_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(end__gte=models.F("start")), name="indicators_period_end_after_start"
            ),
        ]

    def __str__(self):
        return self.label

    def save(self, *args, **kwargs):
        self.slug = period_slug(self.kind, self.start, self.end)
        super().save(*args, **kwargs)

    def clean(self):
        if self.kind and self.start and self.end:
            problem = period_problem(self.kind, self.start, self.end)
            if problem:
                raise ValidationError(problem)
            self.slug = period_slug(self.kind, self.start, self.end)

    @property
    def label(self) -> str:
        """The label in the active language (English when it is active, else Vietnamese)."""
        return period_label(self.kind, self.start, self.end, get_language() or "vi")

    @property
    def label_vi(self) -> str:
        return period_label(self.kind, self.start, self.end, "vi")

    @property
    def label_en(self) -> str:
        return period_label(self.kind, self.start, self.end, "en")


class ValueQuerySet(models.QuerySet):
    def for_dashboard(self, period: Period):
        """The period's figures of published indicators, in the indicators' order."""
        return (
            self.filter(period=period, indicator__status=PublicationStatus.PUBLISHED)
            .select_related("indicator", "period")
            .order_by("indicator__order", "indicator__code", "kind")
        )


class Value(ReviewedChild):
    """One figure of an indicator for a period: the actual result, the plan, the scenario…"""

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("chỉ tiêu"), on_delete=models.CASCADE, related_name="values"
    )
    period = models.ForeignKey(
        Period, verbose_name=_("kỳ"), on_delete=models.PROTECT, related_name="values"
    )
    kind = models.CharField(
        _("loại số liệu"), max_length=20, choices=ValueKind.choices, default=ValueKind.ACTUAL
    )
    value = models.DecimalField(
        _("số liệu"),
        max_digits=20,
        decimal_places=4,
        null=True,
        blank=True,
        help_text=_("Để trống khi báo cáo không nêu con số cụ thể; khi đó ghi rõ ở phần ghi chú."),
    )
    figure_status = models.CharField(
        _("tình trạng số liệu"),
        max_length=20,
        choices=FigureStatus.choices,
        blank=True,
        default="",
    )
    source_document = models.ForeignKey(
        "documents.Document",
        verbose_name=_("văn bản nguồn"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="indicator_values",
    )
    source_meeting = models.ForeignKey(
        "meetings.Meeting",
        verbose_name=_("hội nghị nguồn"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="indicator_values",
        help_text=_("Hội nghị nơi số liệu được báo cáo, nếu có."),
    )
    source_text = models.CharField(_("nguồn (ghi rõ)"), max_length=500, blank=True, default="")
    note = models.TextField(_("ghi chú"), blank=True, default="")

    history = HistoricalRecords()
    publication_parent = "indicator"
    objects = ApprovedManager.from_queryset(ValueQuerySet)()
    all_objects = ValueQuerySet.as_manager()

    class Meta:
        verbose_name = _("số liệu")
        verbose_name_plural = _("số liệu")
        ordering = ["indicator", "-period__end", "period__start", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "period", "kind"],
                name="indicators_value_unique_indicator_period_kind",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=ValueKind.values), name="indicators_value_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(figure_status="") | Q(figure_status__in=FigureStatus.values),
                name="indicators_value_figure_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(value__isnull=False) | ~Q(note=""),
                name="indicators_value_number_or_note",
                violation_error_message=_(
                    "Nhập con số, hoặc nếu báo cáo không nêu con số thì ghi rõ trong ghi chú."
                ),
            ),
        ]

    def __str__(self):
        number = "—" if self.value is None else format(self.value.normalize(), "f")
        return f"{self.get_kind_display()}: {number}"

    @property
    def public_source_meeting(self):
        """The source meeting if the public may see it (published), else None.

        Reads the meeting already fetched with `select_related("source_meeting__term__body")`
        (see `_values_prefetch`), so it costs no query there.
        """
        meeting = self.source_meeting if self.source_meeting_id else None
        return meeting if meeting is not None and meeting.is_published else None


class PeriodFigures:
    """An indicator's figures for one period, by kind, with the verdict they give.

    Built from already-fetched values (no queries), for the dashboard, the detail page's
    table, the CSV download and the home page.
    """

    def __init__(self, indicator: Indicator, period: Period, values: list[Value]):
        self.indicator = indicator
        self.period = period
        self.by_kind = {value.kind: value for value in values}

    def number(self, kind: str):
        value = self.by_kind.get(kind)
        return value.value if value is not None else None

    @property
    def actual(self) -> Value | None:
        return self.by_kind.get(ValueKind.ACTUAL)

    @property
    def reference(self) -> Value | None:
        """The target, or failing that the scenario, the actual is compared with."""
        return self.by_kind.get(ValueKind.TARGET) or self.by_kind.get(ValueKind.SCENARIO)

    @property
    def verdict(self) -> Verdict | None:
        return judge(
            direction=self.indicator.direction,
            actual=self.number(ValueKind.ACTUAL),
            target=self.number(ValueKind.TARGET),
            scenario=self.number(ValueKind.SCENARIO),
        )

    @property
    def others(self) -> list[Value]:
        """Figures shown beside the actual and its reference: last year, % of estimate."""
        return [
            self.by_kind[kind]
            for kind in (ValueKind.SAME_PERIOD_LAST_YEAR, ValueKind.PERCENT_OF_ESTIMATE)
            if kind in self.by_kind
        ]

    @property
    def values(self) -> list[Value]:
        return [self.by_kind[kind] for kind in ValueKind.values if kind in self.by_kind]

    @property
    def sources(self) -> list[tuple]:
        """The distinct (public document or None, published meeting or None, source text)
        triples of the figures; a draft meeting counts as no meeting."""
        seen = []
        for value in self.values:
            triple = (value.source_document, value.public_source_meeting, value.source_text)
            if (triple[0] is not None or triple[1] is not None or triple[2]) and (
                triple not in seen
            ):
                seen.append(triple)
        return seen

    @property
    def notes(self) -> list[Value]:
        return [value for value in self.values if value.note]


def figures_by_period(indicator: Indicator) -> list[PeriodFigures]:
    """The indicator's prefetched values grouped by period, oldest period first."""
    grouped: dict[int, list[Value]] = {}
    periods: dict[int, Period] = {}
    for value in indicator.values.all():
        grouped.setdefault(value.period_id, []).append(value)
        periods[value.period_id] = value.period
    ordered = sorted(periods.values(), key=lambda p: (p.end, -p.start.toordinal(), p.kind))
    return [PeriodFigures(indicator, period, grouped[period.pk]) for period in ordered]
