from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .models import Organization, Page, Person, Position
from .publication import PublicationStatus, can_publish, set_status

admin.site.site_header = _("Quản trị cổng thông tin")
admin.site.site_title = _("Quản trị cổng thông tin")
admin.site.index_title = _("Nhập và công bố thông tin")


class PublishableAdmin(SimpleHistoryAdmin):
    """Admin for records with a publication status.

    Editors without the model's `publish` permission can write drafts but cannot change
    the status, neither in the form nor through the list actions.
    """

    actions = ["publish", "unpublish", "archive"]

    def has_publish_permission(self, request):
        return can_publish(request.user, self.model)

    def get_readonly_fields(self, request, obj=None):
        readonly = [*super().get_readonly_fields(request, obj), "published_at"]
        if not self.has_publish_permission(request):
            readonly.append("status")
        return readonly

    @admin.action(description=_("Công bố các mục đã chọn"), permissions=["publish"])
    def publish(self, request, queryset):
        changed = set_status(queryset, PublicationStatus.PUBLISHED)
        self.message_user(request, _("Đã công bố %(n)d mục.") % {"n": changed}, messages.SUCCESS)

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
