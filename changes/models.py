"""The public change log: what the public saw change, and when (docs/publication.md).

A row is written when a publisher publishes a record and when a published record's public
fields change. It names no member of staff: the public learns what changed, not who typed it.
"""

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class RecordKind(models.TextChoices):
    DOCUMENT = "document", _("Văn bản")
    MEETING = "meeting", _("Kỳ họp")
    INDICATOR = "indicator", _("Chỉ tiêu")
    PROJECT = "project", _("Dự án")


class Action(models.TextChoices):
    PUBLISHED = "published", _("Công bố")
    CHANGED = "changed", _("Thay đổi")


class PublicChange(models.Model):
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    record = GenericForeignKey("content_type", "object_id")
    kind = models.CharField(_("loại hồ sơ"), max_length=20, choices=RecordKind.choices)
    action = models.CharField(_("thay đổi"), max_length=20, choices=Action.choices)
    at = models.DateTimeField(_("lúc"), default=timezone.now)
    note = models.TextField(_("ghi chú thay đổi"), blank=True)
    fields = models.JSONField(_("trường thay đổi"), default=list, blank=True)

    class Meta:
        verbose_name = _("thay đổi công khai")
        verbose_name_plural = _("thay đổi công khai")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["content_type", "object_id", "at"]),
            models.Index(fields=["kind", "at"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.object_id}: {self.get_action_display()}"
