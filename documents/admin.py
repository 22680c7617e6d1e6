from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from portal import csvimport, imports
from portal.admin import ChildTabularInline, EveryRowMixin, PublishableAdmin
from portal.lists import ListSearchAdmin
from portal.models import ImportJob
from portal.publication import can_publish

from . import services
from .files import FileRejected, sniff
from .models import (
    VIEW_INTERNAL,
    Attachment,
    Document,
    DocumentRelation,
    DocumentType,
    Topic,
    Visibility,
    max_attachment_bytes,
)
from .url_years import refresh_url_years


def sees_internal(request) -> bool:
    return request.user.has_perm(VIEW_INTERNAL)


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


class AttachmentInline(ChildTabularInline):
    model = Attachment
    form = AttachmentForm
    extra = 0
    fields = ["file", "original_name", "size", "order"]
    readonly_fields = ["original_name", "size"]


class RelationInline(ChildTabularInline):
    model = DocumentRelation
    fk_name = "from_document"
    extra = 0
    autocomplete_fields = ["to_document"]
    verbose_name = _("văn bản này tác động đến")
    verbose_name_plural = _("văn bản này tác động đến")

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if not sees_internal(request):
            queryset = queryset.exclude(to_document__visibility=Visibility.INTERNAL)
        return queryset


class IncomingRelationInline(EveryRowMixin, admin.TabularInline):
    """Read-only: what other documents do to this one (edit them on the acting document)."""

    model = DocumentRelation
    fk_name = "to_document"
    extra = 0
    can_delete = False
    fields = ["from_document", "kind", "pending"]
    readonly_fields = ["from_document", "kind", "pending"]
    verbose_name = _("văn bản tác động đến văn bản này")
    verbose_name_plural = _("văn bản tác động đến văn bản này")

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        queryset = super().get_queryset(request).select_related("from_document")
        if not sees_internal(request):
            queryset = queryset.exclude(from_document__visibility=Visibility.INTERNAL)
        return queryset


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Tệp CSV (UTF-8) hoặc Excel (.xlsx)"))
    publish = forms.BooleanField(label=_("Công bố ngay"), required=False)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > csvimport.MAX_BYTES:
            raise ValidationError(
                _("Tệp lớn hơn %(mb)d MB.") % {"mb": csvimport.MAX_BYTES // (1024 * 1024)}
            )
        return upload


@admin.register(Document)
class DocumentAdmin(ListSearchAdmin, PublishableAdmin):
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
        # Undated: filed under its first meeting's year, else its entry's (`url_years`).
        refresh_url_years([obj.pk])

    def keep_publication(self, obj, stored) -> None:
        """Only a publisher moves a document between internal and public, once created."""
        super().keep_publication(obj, stored)
        if stored is not None:
            obj.visibility = stored.visibility

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        if obj is not None and not self.may_publish(request) and "visibility" not in readonly:
            readonly.append("visibility")
        return readonly

    def get_history_queryset(self, request, history_manager, pk_name, object_id):
        """Versions written while a document was internal are an internal document: its
        history lists them (and what changed in them) only to staff who may read it."""
        queryset = super().get_history_queryset(request, history_manager, pk_name, object_id)
        if sees_internal(request):
            return queryset
        if Document.objects.filter(pk=object_id, visibility=Visibility.INTERNAL).exists():
            return queryset.none()  # the history page is then a 404, like the document's
        return queryset.exclude(visibility=Visibility.INTERNAL)

    def may_see(self, request, obj) -> bool:
        return obj is None or obj.visibility != Visibility.INTERNAL or sees_internal(request)

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and self.may_see(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self.may_see(request, obj)

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
        if not sees_internal(request):
            queryset = queryset.public()
        return queryset

    def get_urls(self):
        return [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="documents_document_import",
            ),
            path(
                "import/<int:job_id>/",
                self.admin_site.admin_view(self.import_job_view),
                name="documents_document_import_job",
            ),
            *super().get_urls(),
        ]

    def import_view(self, request):
        """Upload a register: a malformed file is refused at once; a readable one is
        previewed (checked, nothing written) on its job's page, whose "Nhập thật" button
        writes it (portal/imports.py)."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        report = None
        status = 200
        form = ImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            publish = form.cleaned_data["publish"]
            if publish and not can_publish(request.user, Document):
                raise PermissionDenied
            upload = form.cleaned_data["file"]
            data = upload.read()
            try:
                table = services.read_table(data)
            except csvimport.Refused as refused:
                report = services.ImportReport(
                    dry_run=True, errors=[(p.line, p.message) for p in refused.problems]
                )
                status = 400
                self.message_user(
                    request, _("Tệp có lỗi, không văn bản nào được nhập."), messages.ERROR
                )
            else:
                job = imports.preview(
                    request,
                    kind=self.model._meta.label_lower,
                    file_name=upload.name,
                    data=data,
                    rows=len(table.rows),
                    options={"publish": publish},
                    work=services.run_job,
                )
                return redirect("admin:documents_document_import_job", job_id=job.pk)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Nhập văn bản từ tệp CSV hoặc Excel"),
            "form": form,
            "report": report,
            "max_rows": services.MAX_ROWS,
            "changelist_url": reverse("admin:documents_document_changelist"),
        }
        return TemplateResponse(
            request, "admin/documents/document/import.html", context, status=status
        )

    def import_job_view(self, request, job_id):
        """An import's progress, then its result: a preview with its "Nhập thật" button
        (a POST here, which starts the write), or what was written."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        if request.method == "POST":
            preview = ImportJob.objects.filter(pk=job_id).first()
            if (
                preview
                and preview.options.get("publish")
                and not can_publish(request.user, Document)
            ):
                raise PermissionDenied
            job = imports.confirm(
                request, job_id, kind=self.model._meta.label_lower, work=services.run_job
            )
            return redirect(
                "admin:documents_document_import_job", job_id=job.pk if job else job_id
            )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Nhập văn bản từ tệp CSV hoặc Excel"),
            "import_title": _("Nhập văn bản từ tệp CSV hoặc Excel"),
            "import_url": reverse("admin:documents_document_import"),
            "changelist_url": reverse("admin:documents_document_changelist"),
        }
        return imports.job_page(
            request, job_id, kind=self.model._meta.label_lower, context=context
        )
