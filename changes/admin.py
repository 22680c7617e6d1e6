"""The change note on a public record's admin page, and the log of what a publisher's
save changed (docs/publication.md)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.publication import PublicationStatus, ReviewedChild

from . import log
from .records import followed, is_public

NOTE = "change_note"


def with_change_note(form_class, public_fields):
    """`form_class` with the change note, required when a public field changes while the
    record stays public."""

    class ChangeNoteForm(form_class):
        change_note = forms.CharField(
            label=_("Ghi chú thay đổi"),
            required=False,
            max_length=2000,
            widget=forms.Textarea(attrs={"rows": 3, "cols": 80}),
            help_text=_(
                "Hiện công khai trong mục “Lịch sử thay đổi” của trang và ở trang Thay đổi "
                "gần đây. Bắt buộc khi sửa thông tin đang công khai."
            ),
        )

        def clean(self):
            super().clean()
            note = (self.cleaned_data.get(NOTE) or "").strip()
            changed = [name for name in self.changed_data if name in public_fields]
            if changed and not note and self.stays_public():
                self.add_error(
                    NOTE,
                    _(
                        "Mục này đang công khai: hãy ghi chú thay đổi (điều gì đã đổi và vì "
                        "sao). Ghi chú được công bố cùng thay đổi."
                    ),
                )
            return self.cleaned_data

        def stays_public(self) -> bool:
            # `instance` still holds the stored row here (ModelForm fills it after clean).
            status = self.cleaned_data.get("status", self.instance.status)
            visibility = self.cleaned_data.get(
                "visibility", getattr(self.instance, "visibility", "public")
            )
            return status == PublicationStatus.PUBLISHED and visibility == "public"

    ChangeNoteForm.__name__ = form_class.__name__
    return ChangeNoteForm


class ChangeNoteAdmin:
    """A ModelAdmin mixin (PublishableAdmin): a publisher changing a public record writes a
    change note, and what the public sees change is logged (changes/log.py)."""

    def note_asked(self, request, obj) -> bool:
        return obj is not None and is_public(obj) and self.may_publish(request)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if self.note_asked(request, obj):
            fieldsets = [*fieldsets, (_("Thay đổi công khai"), {"fields": [NOTE]})]
        return fieldsets

    def get_form(self, request, obj=None, change=False, **kwargs):
        if self.note_asked(request, obj):
            form = kwargs.get("form", self.form)
            kwargs["form"] = with_change_note(form, followed(obj).public_fields)
        return super().get_form(request, obj, change, **kwargs)

    def save_model(self, request, obj, form, change):
        stored = type(obj)._base_manager.filter(pk=obj.pk).first() if change else None
        form.was_public = stored is not None and is_public(stored)
        form.public_changes = changed_fields(stored, obj, form) if form.was_public else []
        super().save_model(request, obj, form, change)
        view_name = getattr(request.resolver_match, "url_name", None) or ""
        if self.may_publish(request) and view_name.endswith("_simple_history"):
            # A history "Revert" saves no related rows: no save_related() follows.
            log_save(obj, form, children=[])

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if not self.may_publish(request):
            return  # an editor's save changes nothing the public sees
        children = [
            formset.model._meta.label_lower
            for formset in formsets
            if issubclass(formset.model, ReviewedChild) and formset.has_changed()
        ]
        log_save(form.instance, form, children)


def changed_fields(stored, obj, form) -> list[str]:
    """The public fields whose value this save changes (many-to-many ones as the form
    reports them: they are saved after the row)."""
    names = []
    for name in followed(obj).public_fields:
        field = obj._meta.get_field(name)
        if field.many_to_many:
            changed = name in form.changed_data
        else:
            changed = getattr(stored, field.attname) != getattr(obj, field.attname)
        if changed:
            names.append(name)
    return names


def log_save(record, form, children) -> None:
    """Log a publisher's save: a publication, or a change of a record that was public."""
    if not getattr(form, "was_public", False):
        log.published(record)
        return
    note = form.cleaned_data.get(NOTE, "")
    log.changed(record, [*getattr(form, "public_changes", []), *children], note)
