"""Socio-economic and Party-building indicators, the periods they are reported for, and the
figures reported for each (actual, target, scenario, same period last year, % of estimate).
"""

import datetime
import itertools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Case, F, Q, When, Window
from django.db.models.functions import FirstValue
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


# Each unit's (lazily translated) label; a dict, as the dashboard reads one per figure.
UNIT_LABELS = dict(Unit.choices)


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


class Vintage(models.TextChoices):
    """How final a figure is. A figure is reported several times (an estimate at a
    conference, a preliminary then an official figure from the statistics office, later
    revisions); every vintage is kept and the latest is shown and judged
    (docs/vintages.md)."""

    ESTIMATE = "estimate", _("Ước tính")
    PRELIMINARY = "preliminary", _("Sơ bộ")
    OFFICIAL = "official", _("Chính thức")
    REVISED = "revised", _("Điều chỉnh")


# A vintage not stated ("") comes before every stated one; see `vintage_order`.
VINTAGE_RANK = {"": 0} | {value: rank for rank, value in enumerate(Vintage.values, start=1)}


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
        return self.published().filter(is_headline=True).order_by("order", "code")


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
        return UNIT_LABELS.get(self.unit, self.unit)

    @property
    def unit_short(self) -> str:
        """The unit as written after a number on a chart: `%` for both kinds of percent."""
        if self.unit in (Unit.PERCENT, Unit.PERCENT_CHANGE):
            return "%"
        return self.unit_label


class PeriodQuerySet(models.QuerySet):
    def labelled(self, query: str):
        """Periods whose label, in Vietnamese or English, contains `query` (folded: case,
        diacritics, spacing), e.g. `Quý III/2025`, `quy iii/2025`, `6 tháng đầu năm 2025`.
        Labels are computed (periods.period_label), so they are matched here, over the
        few hundred periods a city reports."""
        folded = fold(query)
        if not folded:
            return self.none()
        matching = [
            pk
            for pk, kind, start, end in self.values_list("pk", "kind", "start", "end")
            if any(
                folded in fold(period_label(kind, start, end, language))
                for language in ("vi", "en")
            )
        ]
        return self.filter(pk__in=matching)

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


# Of an indicator's figures, the period of the latest one with an actual figure, failing
# that of the latest one: `group_by_period`'s order (end, longest first, kind) reversed.
_LEAD_PERIOD = Window(
    FirstValue("period"),
    partition_by=F("indicator"),
    order_by=[
        Case(When(kind=ValueKind.ACTUAL, then=0), default=1).asc(),
        F("period__end").desc(),
        F("period__start").asc(),
        F("period__kind").desc(),
    ],
)


class ValueQuerySet(models.QuerySet):
    def for_dashboard(self, indicators, period: Period | None = None):
        """Every vintage of the figures of `indicators` (published ones only) for one period
        each, in the indicators' order: `period` when given, else each indicator's lead
        period (`latest_figures`' rule, chosen here in SQL so no other period is fetched).
        `PeriodFigures` keeps the latest vintage of each kind."""
        values = self.filter(
            indicator__in=indicators, indicator__status=PublicationStatus.PUBLISHED
        )
        if period is not None:
            values = values.filter(period=period)
        else:
            # The window over narrow rows in a subquery: sorting the joined rows is slower.
            leads = values.annotate(lead_period=_LEAD_PERIOD).filter(period=F("lead_period"))
            values = values.filter(pk__in=leads.values("pk"))
        return values.select_related("indicator", "period").order_by(
            "indicator__order", "indicator__code", "period__end", "-period__start", "kind"
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
    vintage = models.CharField(
        _("lần công bố"),
        max_length=20,
        choices=Vintage.choices,
        blank=True,
        default="",
        help_text=_(
            "Ước tính, sơ bộ, chính thức hay điều chỉnh. Số mới của cùng kỳ và loại số liệu "
            "thì thêm một dòng mới: các lần trước vẫn được giữ và hiện là số đã điều chỉnh."
        ),
    )
    released_on = models.DateField(
        _("ngày công bố số liệu"),
        null=True,
        blank=True,
        help_text=_("Ngày văn bản hoặc hội nghị nêu con số này. Bắt buộc với số điều chỉnh."),
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
            # One figure per vintage; only revisions repeat, one a day.
            models.UniqueConstraint(
                fields=["indicator", "period", "kind", "vintage"],
                condition=~Q(vintage=Vintage.REVISED),
                name="indicators_value_unique_vintage",
                violation_error_message=_(
                    "Chỉ tiêu này đã có số liệu cùng kỳ, cùng loại và cùng lần công bố. Sửa "
                    "số đó, hoặc thêm số mới với lần công bố khác (điều chỉnh)."
                ),
            ),
            models.UniqueConstraint(
                fields=["indicator", "period", "kind", "released_on"],
                condition=Q(vintage=Vintage.REVISED),
                name="indicators_value_unique_revision_date",
                violation_error_message=_(
                    "Chỉ tiêu này đã có một số điều chỉnh cùng kỳ, cùng loại và cùng ngày."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(vintage=Vintage.REVISED) | Q(released_on__isnull=False),
                name="indicators_value_revision_dated",
                violation_error_message=_("Số điều chỉnh phải có ngày công bố."),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=ValueKind.values), name="indicators_value_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(vintage="") | Q(vintage__in=Vintage.values),
                name="indicators_value_vintage_valid",
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
        if self.vintage:
            return f"{self.get_kind_display()} ({self.get_vintage_display().lower()}): {number}"
        return f"{self.get_kind_display()}: {number}"

    def validate_constraints(self, exclude=None):
        """The one-figure-per-vintage rule checked over every row, pending ones included
        (Django checks conditional constraints through `objects`, which hides them), so a
        clash with a pending row is a form error, not a database error."""
        super().validate_constraints(exclude)
        if exclude and {"indicator", "period", "kind", "vintage"} & set(exclude):
            return
        same = Value.all_objects.filter(
            indicator_id=self.indicator_id, period_id=self.period_id, kind=self.kind
        )
        if self.pk is not None:
            same = same.exclude(pk=self.pk)
        if self.vintage != Vintage.REVISED:
            clash, name = same.filter(vintage=self.vintage), "indicators_value_unique_vintage"
        elif self.released_on is not None:
            clash = same.filter(vintage=Vintage.REVISED, released_on=self.released_on)
            name = "indicators_value_unique_revision_date"
        else:
            return
        if clash.exists():
            constraint = next(c for c in self._meta.constraints if c.name == name)
            raise ValidationError(constraint.get_violation_error_message())

    def vintage_order(self) -> tuple:
        """Where this vintage stands among the figure's others: by stage (not stated,
        estimate, preliminary, official, revised), then date, then entry."""
        return (
            VINTAGE_RANK.get(self.vintage, 0),
            self.released_on or datetime.date.min,
            self.pk or 0,
        )

    @property
    def public_source_meeting(self):
        """The source meeting if the public may see it (published), else None.

        Reads the meeting already fetched with `select_related("source_meeting__term__body")`
        (see `_values_prefetch`), so it costs no query there.
        """
        meeting = self.source_meeting if self.source_meeting_id else None
        return meeting if meeting is not None and meeting.is_published else None


@dataclass(frozen=True)
class Revision:
    """A figure replaced by a later vintage: "revised from +7,56% to +7,63% on …"."""

    earlier: Value
    later: Value


@dataclass(frozen=True)
class VerdictChange:
    """The period's verdict before its latest revisions, and after."""

    before: Verdict
    after: Verdict
    revised_on: datetime.date | None


class PeriodFigures:
    """An indicator's figures for one period, by kind, with the verdict they give.

    Takes every (approved) vintage of the period's figures and keeps the latest of each
    kind for display and judgement; the earlier ones are its revisions. Built from
    already-fetched values (no queries), for the dashboard, the detail page's table, the
    CSV download, the API and the home page.
    """

    def __init__(self, indicator: Indicator, period: Period, values: list[Value]):
        self.indicator = indicator
        self.period = period
        self.vintages: dict[str, list[Value]] = {}
        for value in sorted(values, key=Value.vintage_order):
            self.vintages.setdefault(value.kind, []).append(value)
        self.by_kind = {kind: vintages[-1] for kind, vintages in self.vintages.items()}

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
        return self._judge(self.by_kind)

    def _judge(self, by_kind: dict[str, Value]) -> Verdict | None:
        def number(kind):
            return by_kind[kind].value if kind in by_kind else None

        return judge(
            direction=self.indicator.direction,
            actual=number(ValueKind.ACTUAL),
            target=number(ValueKind.TARGET),
            scenario=number(ValueKind.SCENARIO),
        )

    @property
    def verdict_change(self) -> VerdictChange | None:
        """The verdict the figures gave before their latest revisions (each kind's
        previous vintage), when it differs from today's: a revision turned "missed" into
        "met" or back."""
        revised = [kind for kind, vintages in self.vintages.items() if len(vintages) > 1]
        if not revised:
            return None
        before = self._judge(self.by_kind | {kind: self.vintages[kind][-2] for kind in revised})
        after = self.verdict
        if before is None or after is None or before.outcome == after.outcome:
            return None
        dates = [self.by_kind[kind].released_on for kind in revised]
        return VerdictChange(before, after, max((d for d in dates if d), default=None))

    @property
    def revisions(self) -> list[Revision]:
        """Each earlier vintage with the one that replaced it, kind by kind, oldest first."""
        return [
            Revision(earlier, later)
            for kind in ValueKind.values
            for earlier, later in itertools.pairwise(self.vintages.get(kind, []))
        ]

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
        """The latest vintage of each kind of figure."""
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


def group_by_period(indicator: Indicator, values: Iterable[Value]) -> list[PeriodFigures]:
    """`values` (every vintage) of one indicator grouped by period, oldest period first; of
    two periods ending the same day the longer (cumulative) one comes last."""
    grouped: dict[int, list[Value]] = {}
    periods: dict[int, Period] = {}
    for value in values:
        grouped.setdefault(value.period_id, []).append(value)
        periods[value.period_id] = value.period
    ordered = sorted(periods.values(), key=lambda p: (p.end, -p.start.toordinal(), p.kind))
    return [PeriodFigures(indicator, period, grouped[period.pk]) for period in ordered]


def figures_by_indicator(values: Iterable[Value]) -> Iterator[PeriodFigures]:
    """The rows of `Value.objects.for_dashboard` (one period per indicator, indicator by
    indicator) as each indicator's figures, in their order; streamed."""
    for _indicator, rows in itertools.groupby(values, key=lambda value: value.indicator_id):
        one = list(rows)
        yield PeriodFigures(one[0].indicator, one[0].period, one)


def figures_by_period(indicator: Indicator) -> list[PeriodFigures]:
    """The indicator's prefetched values grouped by period, oldest period first."""
    return group_by_period(indicator, indicator.values.all())


def latest_figures(figures: list[PeriodFigures]) -> PeriodFigures | None:
    """The figures the dashboard and the home page lead with: the latest period with an
    actual figure, whatever its kind; failing that, the latest period with any figure.
    Those pages pick it in SQL (`_LEAD_PERIOD`); keep the two the same."""
    with_actual = [f for f in figures if f.actual is not None]
    if with_actual:
        return with_actual[-1]
    return figures[-1] if figures else None
