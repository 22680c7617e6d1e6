from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from portal.admin import PublishableAdmin
from portal.publication import can_publish
from portal.text import MAX_QUERY_LENGTH, typed_query

from . import number_search, services
from .files import FileRejected, sniff
from .models import (
    VIEW_INTERNAL,
    Attachment,
    Document,
    DocumentRelation,
    DocumentType,
    Topic,
    max_attachment_bytes,
)


@admin.register(DocumentType)
class DocumentTypeAdmin(SimpleHistoryAdmin):
    list_display = ["name", "state_code", "in_state", "party_code", "in_party"]
    list_filter = ["in_state", "in_party"]
    search_fields = ["name", "state_code", "party_code"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Topic)
class TopicAdmin(SimpleHistoryAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]


class AttachmentForm(forms.ModelForm):
    class Meta:
        model = Attachment
        fields = ["file", "order"]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload is None or not hasattr(upload, "content_type"):
            return upload  # unchanged existing file
        limit = max_attachment_bytes()
        if upload.size > limit:
            raise ValidationError(
                _("Tệp lớn hơn giới hạn %(mb)d MB.") % {"mb": limit // (1024 * 1024)}
            )
        try:
            self.kind = sniff(upload, upload.name)
        except FileRejected as error:
            raise ValidationError(str(error)) from error
        return upload

    def save(self, commit=True):
        attachment = super().save(commit=False)
        kind = getattr(self, "kind", None)
        if kind is not None:
            upload = self.cleaned_data["file"]
            attachment.original_name = upload.name[:255]
            attachment.size = upload.size
            attachment.content_type = kind.content_type
        if commit:
            attachment.save()
        return attachment


class AttachmentInline(admin.TabularInline):
    model = Attachment
    form = AttachmentForm
    extra = 0
    fields = ["file", "original_name", "size", "order"]
    readonly_fields = ["original_name", "size"]


class RelationInline(admin.TabularInline):
    model = DocumentRelation
    fk_name = "from_document"
    extra = 0
    autocomplete_fields = ["to_document"]
    verbose_name = _("văn bản này tác động đến")
    verbose_name_plural = _("văn bản này tác động đến")


class IncomingRelationInline(admin.TabularInline):
    """Read-only: what other documents do to this one (edit them on the acting document)."""

    model = DocumentRelation
    fk_name = "to_document"
    extra = 0
    can_delete = False
    fields = ["from_document", "kind"]
    readonly_fields = ["from_document", "kind"]
    verbose_name = _("văn bản tác động đến văn bản này")
    verbose_name_plural = _("văn bản tác động đến văn bản này")

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("from_document")


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Tệp CSV (UTF-8)"))
    publish = forms.BooleanField(label=_("Công bố ngay"), required=False)
    dry_run = forms.BooleanField(label=_("Chỉ kiểm tra, không ghi"), required=False, initial=True)


@admin.register(Document)
class DocumentAdmin(PublishableAdmin):
    list_display = [
        "__str__",
        "short_title",
        "document_type",
        "issuer",
        "issued_on",
        "visibility",
        "status",
    ]
    list_filter = ["system", "status", "visibility", "document_type", "issuer", "topics"]
    list_select_related = ["document_type", "issuer"]
    date_hierarchy = "issued_on"
    ordering = ["-issued_on", "-id"]
    show_full_result_count = False  # one COUNT(*) per page, not two
    search_fields = ["title", "number"]
    search_help_text = _("Số, ký hiệu theo cách gõ bất kỳ (341 kh tu) hoặc từ trong trích yếu.")
    autocomplete_fields = ["issuer", "signer"]
    filter_horizontal = ["topics"]
    inlines = [RelationInline, IncomingRelationInline, AttachmentInline]
    readonly_fields = ["display", "cycle", "status_in_force"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "number",
                    "display",
                    "cycle",
                    "system",
                    "document_type",
                    "issuer",
                    "status_in_force",
                ]
            },
        ),
        (_("Người ký"), {"fields": ["signer", "signer_title"]}),
        (_("Ngày"), {"fields": ["issued_on", "effective_on", "expires_on"]}),
        (_("Nội dung"), {"fields": ["title", "summary", "body", "topics"]}),
        (_("Công bố"), {"fields": ["visibility", "status", "published_at"]}),
    ]
    change_list_template = "admin/documents/document/change_list.html"

    def save_model(self, request, obj, form, change):
        if obj.document_type_id is None and obj.type_code:
            obj.document_type = DocumentType.for_code(obj.system, obj.type_code)
        super().save_model(request, obj, form, change)

    @admin.display(description=_("tình trạng hiệu lực"))
    def status_in_force(self, document):
        if document.pk is None:
            return "—"
        standing = document.standing()
        if standing.pending_change:
            return _("%(status)s (đang có dự thảo sửa đổi, thay thế)") % {
                "status": standing.status.label
            }
        return standing.status.label

    @admin.display(description=_("trích yếu"))
    def short_title(self, document):
        return document.title[:120]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if not request.user.has_perm(VIEW_INTERNAL):
            queryset = queryset.public()
        return queryset

    def get_search_results(self, request, queryset, search_term):
        """A number typed any way ("341 kh tu") uses the number search; else words."""
        term = typed_query(search_term)[:MAX_QUERY_LENGTH]
        if not term:
            return queryset, False
        hits = queryset.search_number(term, show=number_search.CANDIDATES)
        if hits:
            return queryset.filter(pk__in=hits.pks), False
        return queryset.search_text(term), False

    def get_urls(self):
        return [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="documents_document_import",
            ),
            *super().get_urls(),
        ]

    def import_view(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        report = None
        form = ImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            publish = form.cleaned_data["publish"]
            if publish and not can_publish(request.user, Document):
                raise PermissionDenied
            report = services.import_documents(
                data=form.cleaned_data["file"].read(),
                publish=publish,
                dry_run=form.cleaned_data["dry_run"],
            )
            if report.written:
                self.message_user(
                    request,
                    _("Đã nhập %(n)d văn bản.") % {"n": len(report.created)},
                    messages.SUCCESS,
                )
            elif report.ok:
                self.message_user(
                    request,
                    _("Tệp hợp lệ: %(n)d văn bản sẽ được nhập. Chưa ghi gì.")
                    % {"n": len(report.created)},
                    messages.INFO,
                )
            else:
                self.message_user(
                    request, _("Tệp có lỗi, không văn bản nào được nhập."), messages.ERROR
                )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Nhập văn bản từ tệp CSV"),
            "form": form,
            "report": report,
            "changelist_url": reverse("admin:documents_document_changelist"),
        }
        return TemplateResponse(request, "admin/documents/document/import.html", context)
