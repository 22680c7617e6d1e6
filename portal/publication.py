"""The publication workflow every public record follows: draft → published → archived.

Public pages, search, feeds, exports and the API show published records only. Editors may
write drafts; only users with the model's `publish` permission may publish or withdraw.
"""

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PublicationStatus(models.TextChoices):
    DRAFT = "draft", _("Bản nháp")
    PUBLISHED = "published", _("Đã công bố")
    ARCHIVED = "archived", _("Lưu trữ")


class PublishableQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=PublicationStatus.PUBLISHED)


class Publishable(models.Model):
    """Columns and rules shared by every record that the public can see once published.

    Subclasses that declare their own `Meta` must inherit `Publishable.Meta` so that they
    keep the `publish_<model>` permission and the status constraints.
    """

    status = models.CharField(
        _("trạng thái công bố"),
        max_length=10,
        choices=PublicationStatus.choices,
        default=PublicationStatus.DRAFT,
        db_index=True,
    )
    published_at = models.DateTimeField(_("công bố lúc"), null=True, blank=True)

    objects = PublishableQuerySet.as_manager()

    class Meta:
        abstract = True
        default_permissions = ("add", "change", "delete", "view", "publish")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=PublicationStatus.values),
                name="%(app_label)s_%(class)s_status_valid",
            ),
            models.CheckConstraint(
                condition=~models.Q(status=PublicationStatus.PUBLISHED)
                | models.Q(published_at__isnull=False),
                name="%(app_label)s_%(class)s_published_has_date",
            ),
        ]

    def save(self, *args, **kwargs):
        if self.status == PublicationStatus.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
        super().save(*args, **kwargs)

    @property
    def is_published(self) -> bool:
        return self.status == PublicationStatus.PUBLISHED


def can_publish(user, model) -> bool:
    """Whether `user` may publish, withdraw or archive records of `model`."""
    opts = model._meta
    return user.has_perm(f"{opts.app_label}.publish_{opts.model_name}")


@transaction.atomic
def set_status(records, status: PublicationStatus) -> int:
    """Move records to `status` one by one, so that each change is kept in the history.

    Returns how many records changed.
    """
    changed = 0
    for record in records:
        if record.status == status:
            continue
        record.status = status
        if status == PublicationStatus.PUBLISHED:
            record.published_at = timezone.now()
        record.save(update_fields=["status", "published_at"])
        changed += 1
    return changed
