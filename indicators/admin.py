from decimal import Decimal

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.formats import get_format
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from portal import csvimport, imports
from portal.admin import ChildAdmin, ChildTabularInline, PublishableAdmin
from portal.lists import ListSearchAdmin
from portal.publication import can_publish

from . import services
from .models import Category, Indicator, Period, Value, Vintage
from .numbers import NumberError, format_number, parse_number
from .services import GRID_KINDS, save_period_grid


def clean_figure(text: str) -> Decimal | None:
    """A figure typed in any admin field, `7,63`, `7.63` or `1.234,5` (numbers.parse_number),
    or a clear message; None when blank."""
    text = (text or "").strip()
    if not text:
        return None
    try:
        number = parse_number(text)
    except NumberError:
        raise forms.ValidationError(
            _("“%(text)s” không phải là số. Viết ví dụ 7,63 hoặc 1.234,5."),
            params={"text": text},
            code="invalid",
        ) from None
    if abs(number) >= Decimal(10) ** 16 or number != number.quantize(Decimal("0.0001")):
        raise forms.ValidationError(_("Số quá lớn hoặc quá 4 chữ số thập phân."))
    return number


class FigureDecimalField(forms.DecimalField):
    """A model's figure (DecimalField) typed with a decimal comma or a dot, shown in the
    active language's notation without grouping (`7,63`, `1234,5`), so it reads back."""

    widget = forms.TextInput(attrs={"inputmode": "decimal", "size": 12})

    def to_python(self, value):
        if isinstance(value, Decimal):
            return value
        return clean_figure(str(value) if value is not None else "")

    def prepare_value(self, value):
        if isinstance(value, Decimal):
            return f"{value.normalize():f}".replace(".", get_format("DECIMAL_SEPARATOR"))
        return value


FIGURE_FIELD = {"form_class": FigureDecimalField, "widget": FigureDecimalField.widget}


class ValueInline(ChildTabularInline):
    model = Value
    extra = 1
    fields = [
        "period",
        "kind",
        "value",
        "vintage",
        "released_on",
        "source_document",
        "source_meeting",
        "source_text",
        "note",
    ]
    autocomplete_fields = ["period", "source_meeting"]
    raw_id_fields = ["source_document"]
    ordering = ["-period__end", "period__start", "kind", "released_on"]
    formfield_overrides = {
        models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 30})},
        models.DecimalField: FIGURE_FIELD,
    }

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("period", "source_document", "source_meeting")
        )


@admin.register(Indicator)
class IndicatorAdmin(ListSearchAdmin, PublishableAdmin):
    list_display = ["code", "name", "category", "unit", "direction", "is_headline", "status"]
    list_filter = ["status", "category", "unit", "direction", "is_headline"]
    search_fields = ["code", "name", "definition"]
    ordering = ["order", "code"]
    inlines = [ValueInline]
    fieldsets = [
        (None, {"fields": ["code", "name", "category", "unit", "direction"]}),
        (_("Mô tả"), {"fields": ["definition", "source"]}),
        (_("Hiển thị"), {"fields": ["is_headline", "order", "status", "published_at"]}),
    ]


@admin.register(Period)
class PeriodAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "kind", "start", "end", "slug"]
    list_filter = ["kind"]
    search_fields = ["slug"]
    date_hierarchy = "end"
    ordering = ["-end", "start"]

    def get_search_results(self, request, queryset, search_term):
        """Also find a period by its label as reports write it (`Quý III/2025`, `6 tháng
        đầu năm 2025`, `Q3 2025`): labels are computed, not stored (periods.py)."""
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if search_term.strip():
            queryset |= self.model.objects.labelled(search_term)
        return queryset, may_have_duplicates


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Tệp CSV hoặc Excel (.xlsx)"),
        help_text=_(
            "Các cột: indicator_code, period_kind, period_start, period_end, value_kind, "
            "value, vintage (ước tính, sơ bộ, chính thức, điều chỉnh), vintage_date, source, "
            "note. Số viết 7,63 hoặc 7.63. Tối đa 20.000 dòng."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > csvimport.MAX_BYTES:
            raise forms.ValidationError(
                _("Tệp lớn hơn %(mb)d MB.") % {"mb": csvimport.MAX_BYTES // (1024 * 1024)}
            )
        return upload


class GridChoiceForm(forms.Form):
    period = forms.ModelChoiceField(
        label=_("Kỳ"), queryset=Period.objects.order_by("-end", "start")
    )
    category = forms.ChoiceField(
        label=_("Nhóm"), choices=[("", _("Tất cả"))] + Category.choices, required=False
    )


class FigureField(forms.CharField):
    """A number typed as 7,63 or 7.63 (see numbers.parse_number)."""

    def clean(self, value):
        return clean_figure(super().clean(value))


class GridRowForm(forms.Form):
    indicator = forms.IntegerField(widget=forms.HiddenInput)
    actual = FigureField(label=_("Thực hiện"), required=False, max_length=30)
    target = FigureField(label=_("Kế hoạch"), required=False, max_length=30)
    scenario = FigureField(label=_("Kịch bản"), required=False, max_length=30)


class GridCommonForm(forms.Form):
    vintage = forms.ChoiceField(
        label=_("Lần công bố"),
        choices=[("", _("Không nêu (sửa số mới nhất)"))] + Vintage.choices,
        required=False,
    )
    released_on = forms.DateField(label=_("Ngày công bố số liệu"), required=False)
    source_text = forms.CharField(label=_("Nguồn"), max_length=500, required=False)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("vintage") == Vintage.REVISED and not cleaned.get("released_on"):
            self.add_error("released_on", _("Số điều chỉnh phải có ngày công bố."))
        return cleaned


GridFormSet = forms.formset_factory(GridRowForm, extra=0, max_num=500)


@admin.register(Value)
class ValueAdmin(ChildAdmin):
    list_display = [
        "indicator",
        "period",
        "kind",
        "number",
        "vintage",
        "released_on",
        "source_document",
        "source_meeting",
    ]
    list_filter = ["kind", "vintage", "indicator__category", "period__kind"]
    list_select_related = ["indicator", "period", "source_document", "source_meeting"]
    search_fields = ["indicator__code", "indicator__name", "source_text", "note"]
    autocomplete_fields = ["indicator", "period", "source_meeting"]
    raw_id_fields = ["source_document"]
    formfield_overrides = {models.DecimalField: FIGURE_FIELD}
    change_list_template = "admin/indicators/value/change_list.html"

    @admin.display(description=_("số liệu"), ordering="value")
    def number(self, obj):
        return "—" if obj.value is None else format_number(obj.value)

    def get_urls(self):
        return [
            path(
                "grid/",
                self.admin_site.admin_view(self.grid_view),
                name="indicators_value_grid",
            ),
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="indicators_value_import",
            ),
            path(
                "import/<int:job_id>/",
                self.admin_site.admin_view(self.import_job_view),
                name="indicators_value_import_job",
            ),
            *super().get_urls(),
        ]

    def import_view(self, request):
        """Upload a values file: a malformed one is refused at once; a readable one is
        previewed (checked and counted, nothing stored) on its job's page, whose "Nhập
        thật" button stores it, all rows or none (portal/imports.py)."""
        if not (self.has_add_permission(request) and self.has_change_permission(request)):
            raise PermissionDenied
        result = None
        if request.method == "POST":
            form = ImportForm(request.POST, request.FILES)
            if form.is_valid():
                upload = form.cleaned_data["file"]
                content = upload.read()
                # A publisher's figures are approved as imported; an editor's wait.
                publish = can_publish(request.user, Indicator)
                try:
                    table = services.read_table(content)
                except csvimport.Refused as refused:
                    result = services.ImportResult(
                        dry_run=True,
                        errors=[services.RowError(p.line, p.message) for p in refused.problems],
                    )
                else:
                    job = imports.preview(
                        request,
                        kind=self.model._meta.label_lower,
                        file_name=upload.name,
                        data=content,
                        rows=len(table.rows),
                        options={"publish": publish},
                        work=services.run_job,
                    )
                    return redirect("admin:indicators_value_import_job", job_id=job.pk)
        else:
            form = ImportForm()
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Nhập số liệu chỉ tiêu từ tệp CSV hoặc Excel"),
            "form": form,
            "result": result,
        }
        response = TemplateResponse(request, "admin/indicators/value/import.html", context)
        if result is not None and not result.ok:
            response.status_code = 400
        return response

    def import_job_view(self, request, job_id):
        """An import's progress, then its result: a preview with its "Nhập thật" button
        (a POST here, which starts the write), or what was stored."""
        if not (self.has_add_permission(request) and self.has_change_permission(request)):
            raise PermissionDenied
        if request.method == "POST":
            # Whether the figures wait for a publisher is decided by who writes them.
            job = imports.confirm(
                request,
                job_id,
                kind=self.model._meta.label_lower,
                work=services.run_job,
                options={"publish": can_publish(request.user, Indicator)},
            )
            return redirect("admin:indicators_value_import_job", job_id=job.pk if job else job_id)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Nhập số liệu chỉ tiêu từ tệp CSV hoặc Excel"),
            "import_title": _("Nhập số liệu chỉ tiêu từ tệp CSV hoặc Excel"),
            "import_url": reverse("admin:indicators_value_import"),
            "changelist_url": reverse("admin:indicators_value_changelist"),
        }
        return imports.job_page(
            request, job_id, kind=self.model._meta.label_lower, context=context
        )

    def grid_view(self, request):
        """Type the actual, target and scenario of many indicators for one period at once."""
        if not (self.has_add_permission(request) and self.has_change_permission(request)):
            raise PermissionDenied
        choice = GridChoiceForm(request.GET or None)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Nhập nhanh số liệu một kỳ"),
            "choice": choice,
        }
        if not choice.is_valid():
            return TemplateResponse(request, "admin/indicators/value/grid.html", context)
        period = choice.cleaned_data["period"]
        indicators = Indicator.objects.order_by("order", "code")
        if choice.cleaned_data["category"]:
            indicators = indicators.filter(category=choice.cleaned_data["category"])
        indicators = list(indicators)
        # Each figure's latest vintage, the one a cell without a chosen vintage replaces.
        stored = {
            (v.indicator_id, v.kind): v.value
            for v in sorted(
                Value.all_objects.filter(period=period, indicator__in=indicators),
                key=Value.vintage_order,
            )
        }
        initial = [
            {
                "indicator": indicator.pk,
                **{
                    kind: ""
                    if stored.get((indicator.pk, kind)) is None
                    else f"{stored[(indicator.pk, kind)].normalize():f}"
                    for kind in GRID_KINDS
                },
            }
            for indicator in indicators
        ]
        if request.method == "POST":
            formset = GridFormSet(request.POST, initial=initial)
            common = GridCommonForm(request.POST)
            known = {indicator.pk for indicator in indicators}
            if formset.is_valid() and common.is_valid():
                figures = {
                    form.cleaned_data["indicator"]: {
                        kind: form.cleaned_data[kind] for kind in GRID_KINDS
                    }
                    for form in formset
                    if form.cleaned_data.get("indicator") in known
                }
                created, updated, refused = save_period_grid(
                    period=period,
                    figures=figures,
                    publish=can_publish(request.user, Indicator),
                    **common.cleaned_data,
                )
                self.message_user(
                    request,
                    _("Kỳ %(period)s: thêm %(created)d, cập nhật %(updated)d số liệu.")
                    % {"period": period, "created": created, "updated": updated},
                    messages.SUCCESS,
                )
                if refused:
                    self.message_user(
                        request,
                        _(
                            "Không sửa %(n)d số liệu đang công bố (%(which)s): chỉ người công "
                            "bố được sửa."
                        )
                        % {
                            "n": len(refused),
                            "which": ", ".join(f"{v.indicator.code} {v}" for v in refused),
                        },
                        messages.WARNING,
                    )
                return redirect(request.get_full_path())
        else:
            formset = GridFormSet(initial=initial)
            common = GridCommonForm()
        context.update(
            {
                "period": period,
                "rows": list(zip(indicators, formset.forms, strict=True)),
                "formset": formset,
                "common": common,
            }
        )
        return TemplateResponse(request, "admin/indicators/value/grid.html", context)
