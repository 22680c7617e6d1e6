"""The public change log: what the public saw change, and when (docs/publication.md).

A row is written when a publisher publishes a record and when a published record's public
fields change. It names no member of staff: the public learns what changed, not who typed it.
"""

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.prefetch import GenericPrefetch
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class RecordKind(models.TextChoices):
    DOCUMENT = "document", _("Văn bản")
    MEETING = "meeting", _("Hội nghị")
    INDICATOR = "indicator", _("Chỉ tiêu")
    PROJECT = "project", _("Dự án")


class Action(models.TextChoices):
    PUBLISHED = "published", _("Công bố")
    CHANGED = "changed", _("Thay đổi")


class PublicChangeQuerySet(models.QuerySet):
    def public(self):
        """Rows whose record the public sees now: a withdrawn, archived or internal record
        takes its whole history with it (one query, a subquery per kind)."""
        from .records import FOLLOWED

        shown = models.Q(pk__in=[])
        for kind, followed in FOLLOWED.items():
            shown |= models.Q(kind=kind, object_id__in=followed.public_records().values("pk"))
        return self.filter(shown)

    def of_record(self, record):
        return self.filter(
            content_type=ContentType.objects.get_for_model(record), object_id=record.pk
        )

    def for_list(self):
        """Each row with its record, its address's and its body's rows (one query a kind)."""
        from .records import FOLLOWED

        return self.public().prefetch_related(
            GenericPrefetch("record", [f.for_change_list() for f in FOLLOWED.values()])
        )


class PublicChange(models.Model):
    """One change the public saw: a record's publication, or a later change of its public
    fields or of the child records its page shows, with the publisher's note."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    record = GenericForeignKey("content_type", "object_id")
    kind = models.CharField(_("loại hồ sơ"), max_length=20, choices=RecordKind.choices)
    action = models.CharField(_("thay đổi"), max_length=20, choices=Action.choices)
    at = models.DateTimeField(_("lúc"), default=timezone.now)
    note = models.TextField(_("ghi chú thay đổi"), blank=True)
    # Names of public fields (`records.FOLLOWED`) and labels of child models that changed.
    fields = models.JSONField(_("trường thay đổi"), default=list, blank=True)

    objects = PublicChangeQuerySet.as_manager()

    class Meta:
        verbose_name = _("thay đổi công khai")
        verbose_name_plural = _("thay đổi công khai")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["content_type", "object_id", "at"]),
            models.Index(fields=["kind", "at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=RecordKind.values),
                name="changes_publicchange_kind_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(action__in=Action.values),
                name="changes_publicchange_action_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.object_id}: {self.get_action_display()}"

    def get_absolute_url(self):
        """The change on its record's page (reads `record`: list through `for_list()`)."""
        return f"{self.record.get_absolute_url()}#thay-doi-{self.pk}"

    def field_labels(self) -> list[str]:
        """What changed, in the public's words (no query)."""
        from .records import field_labels

        return field_labels(self.kind, self.fields)

    def record_title(self) -> str:
        from .records import title_of

        return title_of(self.record)

    def body_name(self) -> str:
        """Who the public hears the change from: the issuing body, or the portal."""
        from .records import body_name

        return body_name(self.record)
