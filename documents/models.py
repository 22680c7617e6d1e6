"""Plan and directive documents, identified by their official number.

Skeleton: the documents issue fills in numbering, relations, attachments and the rest.
Other apps may rely on: Document (title, number, issued_on, issuer, visibility,
publication status, get_absolute_url) and `Document.objects.published().public()`.
"""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from portal.publication import Publishable, PublishableQuerySet


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Công khai")
    INTERNAL = "internal", _("Nội bộ")


class DocumentQuerySet(PublishableQuerySet):
    def public(self):
        return self.filter(visibility=Visibility.PUBLIC)


class Document(Publishable):
    """A plan or directive issued by a body, identified by its official number."""

    number = models.CharField(_("số, ký hiệu"), max_length=100, blank=True, default="")
    title = models.TextField(_("trích yếu"))
    issuer = models.ForeignKey(
        "portal.Organization",
        verbose_name=_("cơ quan ban hành"),
        on_delete=models.PROTECT,
        related_name="documents",
    )
    issued_on = models.DateField(_("ngày ban hành"), null=True, blank=True)
    visibility = models.CharField(
        _("phạm vi"), max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC
    )

    history = HistoricalRecords()
    objects = DocumentQuerySet.as_manager()

    class Meta(Publishable.Meta):
        verbose_name = _("văn bản")
        verbose_name_plural = _("văn bản")

    def __str__(self):
        return self.number or self.title[:80]

    def get_absolute_url(self):
        return reverse("documents:detail", kwargs={"pk": self.pk})
