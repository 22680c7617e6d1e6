import copy

from django.contrib import admin, messages
from django.contrib.admin.utils import flatten_fieldsets, unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from changes import log as change_log
from changes.admin import ChangeNoteAdmin

from .models import Organization, Page, Person, Position
from .publication import (
    PublicationStatus,
    ReviewedChild,
    approve_pending,
    can_publish,
    is_locked,
    reviewed_children,
    set_status,
)

admin.site.site_header = _("Quản trị cổng thông tin")
admin.site.site_title = _("Quản trị cổng thông tin")
admin.site.index_title = _("Nhập và công bố thông tin")

LOCKED_NOTICE = _(
    "Mục này đang được công bố (hoặc đã lưu trữ): chỉ người công bố được sửa. Bạn có thể "
    "thêm mục mới ở các phần bên dưới; chúng chờ người công bố duyệt."
)


class PublicationRuleAdmin(SimpleHistoryAdmin):
    """The publication rule on a record's admin pages (docs/publication.md).

    A record that is public, or shows on a public page, changes only by a publisher. For
    anyone else its page is read-only, with a line saying why, and so are its history
    and "Revert"; they may still add child records, which wait for a publisher
    (`ReviewedChild.pending`). Subclasses say who publishes in `may_publish`.
    """

    def may_publish(self, request) -> bool:
        raise NotImplementedError

    def is_locked_for(self, request, obj) -> bool:
        return (
            obj is not None
            and obj.pk is not None
            and is_locked(obj)
            and not (self.may_publish(request))
        )

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if self.is_locked_for(request, obj):
            fields = flatten_fieldsets(self.fieldsets) if self.fieldsets else self.fields
            if fields is None:
                opts = self.model._meta
                fields = [f.name for f in [*opts.fields, *opts.many_to_many] if f.editable]
                fields = [name for name in fields if name not in (self.exclude or ())]
            readonly += [name for name in fields if name not in readonly]
        return readonly

    def has_delete_permission(self, request, obj=None):
        """Deleting takes a record (or a child row) off the public pages: only a publisher
        may, whatever delete permission a role was given."""
        return super().has_delete_permission(request, obj) and not self.is_locked_for(request, obj)

    def get_prepopulated_fields(self, request, obj=None):
        if self.is_locked_for(request, obj):
            return {}
        return super().get_prepopulated_fields(request, obj)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "GET":
            obj = self.get_object(request, unquote(object_id))
            if self.is_locked_for(request, obj):
                self.message_user(request, LOCKED_NOTICE, messages.WARNING)
        return super().change_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        """An editor's save never changes a locked record, and never its publication."""
        if not self.may_publish(request):
            stored = type(obj)._base_manager.filter(pk=obj.pk).first() if change else None
            if stored is not None and is_locked(stored):
                return
            self.keep_publication(obj, stored)
        super().save_model(request, obj, form, change)

    def keep_publication(self, obj, stored) -> None:
        """What only a publisher may set, put back as stored (an editor's change form
        does not offer it, but a history "Revert" would copy an old version's)."""

    def save_formset(self, request, form, formset, change):
        """Child records saved by an editor wait for a publisher; a publisher's are
        approved as they are saved."""
        if not issubclass(formset.model, ReviewedChild):
            return super().save_formset(request, form, formset, change)
        pending = not self.may_publish(request)
        for child in formset.save(commit=False):
            child.pending = pending
            child.save()
        for child in formset.deleted_objects:
            child.delete()
        formset.save_m2m()
        return None

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """An old version is shown only of a record the user may see, and restored only
        by a user who may change the record as it stands now."""
        live = self.get_object(request, unquote(object_id))
        if live is None:
            raise Http404
        if request.method == "POST" and self.is_locked_for(request, live):
            raise PermissionDenied
        # simple-history builds this form with the `prepopulated_fields` attribute, not
        # `get_prepopulated_fields()`: on a version shown read-only they name fields the
        # form lacks (a KeyError, a 500). A saved slug is never re-filled, so show none.
        view = copy.copy(self)
        view.prepopulated_fields = {}
        return super(PublicationRuleAdmin, view).history_form_view(
            request, object_id, version_id, extra_context
        )

    def revert_disabled(self, request, obj=None):
        live = None if obj is None else self.get_object(request, str(obj.pk))
        return self.is_locked_for(request, live) or super().revert_disabled(request, obj)


class PublishableAdmin(ChangeNoteAdmin, PublicationRuleAdmin):
    """Admin for records with a publication status; a publisher's change of a public
    record asks for a change note and is logged (changes/admin.py).

    Editors without the model's `publish` permission write drafts: they cannot change the
    status, neither in the form nor through the list actions, nor a published record.
    """

    actions = ["publish", "publish_pending", "unpublish", "archive"]

    def may_publish(self, request) -> bool:
        return can_publish(request.user, self.model)

    def has_publish_permission(self, request):
        return self.may_publish(request)

    def get_readonly_fields(self, request, obj=None):
        readonly = [*super().get_readonly_fields(request, obj), "published_at"]
        if not self.has_publish_permission(request):
            readonly.append("status")
        return list(dict.fromkeys(readonly))

    def keep_publication(self, obj, stored) -> None:
        obj.status = stored.status if stored else PublicationStatus.DRAFT
        obj.published_at = stored.published_at if stored else None

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "GET" and self.may_publish(request):
            obj = self.get_object(request, unquote(object_id))
            waiting = obj is not None and sum(
                child.all_objects.filter(pending=True, **{child.publication_parent: obj}).count()
                for child in reviewed_children(self.model)
            )
            if waiting:
                self.message_user(
                    request,
                    _(
                        "%(n)d mục con đang chờ công bố (đánh dấu “chờ công bố” bên dưới). "
                        "Dùng thao tác “Công bố các thay đổi đang chờ” ở danh sách để duyệt."
                    )
                    % {"n": waiting},
                    messages.WARNING,
                )
        return super().change_view(request, object_id, form_url, extra_context)

    @admin.action(description=_("Công bố các mục đã chọn"), permissions=["publish"])
    def publish(self, request, queryset):
        changed = set_status(queryset, PublicationStatus.PUBLISHED)
        self.message_user(request, _("Đã công bố %(n)d mục.") % {"n": changed}, messages.SUCCESS)

    @admin.action(
        description=_("Công bố các thay đổi đang chờ của các mục đã chọn"), permissions=["publish"]
    )
    def publish_pending(self, request, queryset):
        approved = sum(approve_pending(record) for record in queryset)
        self.message_user(
            request, _("Đã công bố %(n)d thay đổi đang chờ.") % {"n": approved}, messages.SUCCESS
        )

    @admin.action(description=_("Chuyển các mục đã chọn về bản nháp"), permissions=["publish"])
    def unpublish(self, request, queryset):
        changed = set_status(queryset, PublicationStatus.DRAFT)
        self.message_user(
            request, _("Đã chuyển %(n)d mục về bản nháp.") % {"n": changed}, messages.SUCCESS
        )

    @admin.action(description=_("Lưu trữ các mục đã chọn"), permissions=["publish"])
    def archive(self, request, queryset):
        changed = set_status(queryset, PublicationStatus.ARCHIVED)
        self.message_user(request, _("Đã lưu trữ %(n)d mục.") % {"n": changed}, messages.SUCCESS)


class EveryRowMixin:
    """Staff see pending child rows too: read through `all_objects`, not `objects`."""

    def get_queryset(self, request):
        queryset = self.model.all_objects.get_queryset()
        if ordering := self.get_ordering(request):
            queryset = queryset.order_by(*ordering)
        return queryset

    def get_formset(self, request, obj=None, **kwargs):
        """(Inlines.) Django checks each row's id against the default manager, which
        hides pending rows: one listed pending row would refuse every save of the page
        ("select a valid choice"). Check the ids against every row instead."""
        formset = super().get_formset(request, obj, **kwargs)
        every_row = self.model.all_objects.all()

        class EveryRowFormSet(formset):
            def add_fields(self, form, index):
                super().add_fields(form, index)
                field = form.fields.get(self.model._meta.pk.name)
                if field is not None and hasattr(field, "queryset"):
                    field.queryset = every_row

        EveryRowFormSet.__name__ = formset.__name__
        return EveryRowFormSet


class ChildAdmin(EveryRowMixin, PublicationRuleAdmin):
    """Admin of a child record (`ReviewedChild`) on its own pages: the publisher of the
    record whose page shows it approves it."""

    def may_publish(self, request) -> bool:
        return can_publish(request.user, self.model.parent_model())

    def get_list_display(self, request):
        return [*super().get_list_display(request), "pending"]

    def get_readonly_fields(self, request, obj=None):
        return list(dict.fromkeys([*super().get_readonly_fields(request, obj), "pending"]))

    def save_model(self, request, obj, form, change):
        obj.pending = not self.may_publish(request)
        super().save_model(request, obj, form, change)
        if not obj.pending and form.has_changed():
            change_log.children_changed(obj.parent_record(), [type(obj)])

    def delete_model(self, request, obj):
        parent = obj.parent_record()
        super().delete_model(request, obj)
        if not obj.pending:  # it was on the parent's public page
            change_log.children_changed(parent, [type(obj)])

    def delete_queryset(self, request, queryset):
        rows = queryset.select_related(self.model.publication_parent)
        shown = [child.parent_record() for child in rows if not child.pending]
        super().delete_queryset(request, queryset)
        for parent in dict.fromkeys(shown):
            change_log.children_changed(parent, [self.model])

    def keep_publication(self, obj, stored) -> None:
        obj.pending = True


class ChildInline(EveryRowMixin, admin.options.InlineModelAdmin):
    """Inline of child records: read-only rows on a record only a publisher may change,
    where editors may still add rows (they wait for a publisher)."""

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return queryset if self.has_view_or_change_permission(request) else queryset.none()

    def get_fields(self, request, obj=None):
        fields = list(super().get_fields(request, obj))
        return fields if "pending" in fields else [*fields, "pending"]

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "pending"]

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not self.locks(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not self.locks(request, obj)

    def locks(self, request, obj) -> bool:
        """Whether `obj`, the record on the page, is one only its publisher may change."""
        if obj is None or obj.pk is None or not is_locked(obj):
            return False
        return not can_publish(request.user, self.model.parent_model())


class ChildTabularInline(ChildInline, admin.TabularInline):
    pass


class ChildStackedInline(ChildInline, admin.StackedInline):
    pass


class PositionInline(admin.TabularInline):
    model = Position
    extra = 1
    autocomplete_fields = ["organization"]
    fields = ["title", "organization", "start_date", "end_date", "order"]


@admin.register(Organization)
class OrganizationAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "short_name", "kind", "parent"]
    list_filter = ["kind"]
    list_select_related = ["parent"]
    search_fields = ["code", "name", "short_name"]
    autocomplete_fields = ["parent"]

    def save_model(self, request, obj, form, change):
        # Its documents are found by its names (documents.models.Document.searchable_text);
        # compared with the stored row, so that a revert from the history counts too.
        names = Organization.objects.filter(pk=obj.pk).values_list("name", "short_name")
        before = names.first() if obj.pk else None
        super().save_model(request, obj, form, change)
        if before is not None and before != (obj.name, obj.short_name):
            from documents.services import refresh_issuer_words

            refresh_issuer_words(obj)


@admin.register(Person)
class PersonAdmin(SimpleHistoryAdmin):
    list_display = ["full_name", "slug"]
    search_fields = ["full_name", "positions__title"]
    list_filter = ["positions__organization"]
    prepopulated_fields = {"slug": ["full_name"]}
    inlines = [PositionInline]


@admin.register(Position)
class PositionAdmin(SimpleHistoryAdmin):
    list_display = ["title", "person", "organization", "start_date", "end_date"]
    list_filter = ["organization"]
    list_select_related = ["person", "organization"]
    search_fields = ["title", "person__full_name", "organization__name", "organization__code"]
    autocomplete_fields = ["person", "organization"]
    date_hierarchy = "start_date"


@admin.register(Page)
class PageAdmin(PublishableAdmin):
    list_display = ["title", "slug", "status", "published_at"]
    list_filter = ["status"]
    search_fields = ["title", "body"]
    prepopulated_fields = {"slug": ["title"]}
