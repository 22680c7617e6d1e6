"""The publication workflow every public record follows: draft → published → archived.

Public pages, search, feeds, exports and the API show published records only. Editors may
write drafts; only users with the model's `publish` permission may publish or withdraw.
"""

from django.apps import apps
from django.core.exceptions import ValidationError
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

    Publishing a record also approves what editors added to it: the publisher publishes
    the record as its page will show it.
    """
    from changes import log  # the change log reads this module's models

    changed = 0
    for record in records:
        approved = approve_pending(record) if status == PublicationStatus.PUBLISHED else 0
        if record.status == status:
            changed += bool(approved)
            continue
        record.status = status
        if status == PublicationStatus.PUBLISHED:
            record.published_at = timezone.now()
        record.save(update_fields=["status", "published_at"])
        log.published(record)
        changed += 1
    return changed


class ApprovedManager(models.Manager):
    """Hides rows that wait for a publisher: every public read goes through it, related
    managers and prefetches included, so a new public page cannot forget the rule."""

    def get_queryset(self):
        return super().get_queryset().filter(pending=False)


class ReviewedChild(models.Model):
    """A record shown on a published record's public page: a figure, a progress update, an
    agenda item, a vote, an attachment…

    What an editor adds or changes waits (`pending`) until a publisher approves it, since
    only a publisher changes what the public sees (docs/publication.md). `objects` hides
    pending rows; the admin reads through `all_objects`. Subclasses name the path to the
    record whose page shows them in `publication_parent` (e.g. "vote__meeting").
    """

    pending = models.BooleanField(
        _("chờ công bố"),
        default=False,
        help_text=_("Do biên tập viên thêm hoặc sửa, chưa được người công bố duyệt."),
    )

    publication_parent: str

    objects = ApprovedManager()
    all_objects = models.Manager()  # noqa: DJ012 (ruff takes models.Manager() for a field)

    class Meta:
        abstract = True

    @classmethod
    def parent_model(cls) -> type[Publishable]:
        model = cls
        for name in cls.publication_parent.split("__"):
            model = model._meta.get_field(name).related_model
        return model

    def parent_record(self) -> Publishable:
        record = self
        for name in self.publication_parent.split("__"):
            record = getattr(record, name)
        return record

    def validate_constraints(self, exclude=None):
        """Django checks unique constraints through `objects`, which hides pending rows:
        check them over every row too, so a clash with a pending row is a form error."""
        super().validate_constraints(exclude)
        for constraint in self._meta.constraints:
            if not isinstance(constraint, models.UniqueConstraint) or constraint.condition:
                continue
            if exclude and set(constraint.fields) & set(exclude):
                continue
            values = {
                name: getattr(self, self._meta.get_field(name).attname)
                for name in constraint.fields
            }
            clash = type(self).all_objects.filter(**values)
            if self.pk is not None:
                clash = clash.exclude(pk=self.pk)
            if not clash.exists():
                continue
            if constraint.violation_error_message == constraint.default_violation_error_message:
                # Django's own wording for a clash, as when the other row is approved
                # ("Số liệu với thông tin … đã tồn tại"), not the constraint's name.
                message = self.unique_error_message(type(self), constraint.fields)
                raise ValidationError(message, code=message.code)
            raise ValidationError(
                constraint.get_violation_error_message(), code=constraint.violation_error_code
            )


def reviewed_children(model) -> list[type[ReviewedChild]]:
    """The child record models whose rows show on the public page of a `model` record."""
    return [
        child
        for child in apps.get_models()
        if issubclass(child, ReviewedChild) and child.parent_model() is model
    ]


def is_locked(record) -> bool:
    """Whether only a publisher may change `record`: it is (or shows on) a published or
    archived record, and a publisher approved it."""
    if isinstance(record, ReviewedChild):
        if record.pending:
            return False
        record = record.parent_record()
    return record.status != PublicationStatus.DRAFT


@transaction.atomic
def approve_pending(record) -> int:
    """Approve every pending child of `record` (one by one, so that each approval is kept
    in the history), logged as a public change of a public record. Returns how many were
    approved."""
    from changes import log  # the change log reads this module's models

    approved = 0
    kinds = []
    for child_model in reviewed_children(type(record)):
        pending = child_model.all_objects.filter(
            pending=True, **{child_model.publication_parent: record}
        )
        for child in pending:
            child.pending = False
            child.save(update_fields=["pending"])
            approved += 1
            kinds.append(child_model)
    if kinds:
        log.children_changed(record, kinds)
    return approved
