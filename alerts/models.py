"""Email alerts: who follows which list or record, and which changes each was mailed.

An address lives only as long as its subscription: unsubscribing deletes the row (and its
deliveries), an unconfirmed one is deleted after `PENDING_DAYS` (README, "Email alerts").
"""

import datetime
import secrets

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from changes.models import PublicChange, RecordKind

# An unconfirmed subscription (and its address) is kept this long, then deleted.
PENDING_DAYS = 7


class Frequency(models.TextChoices):
    IMMEDIATE = "immediate", _("Ngay khi có thay đổi")
    DAILY = "daily", _("Mỗi ngày một thư tóm tắt")


class Language(models.TextChoices):
    VIETNAMESE = "vi", "Tiếng Việt"
    ENGLISH = "en", "English"


def new_token() -> str:
    return secrets.token_urlsafe(24)


class SubscriptionQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(confirmed_at__isnull=False)

    def expired_pending(self, now: datetime.datetime):
        """Never confirmed, and past the time a confirmation link works."""
        return self.filter(
            confirmed_at__isnull=True, created_at__lt=now - datetime.timedelta(days=PENDING_DAYS)
        )

    def of_address(self, email: str):
        return self.filter(email=email)


class Subscription(models.Model):
    """An address following a filtered list (`query`) or one record (`object_id`) of a kind."""

    email = models.EmailField(_("địa chỉ email"), max_length=254)
    kind = models.CharField(_("loại hồ sơ"), max_length=20, choices=RecordKind.choices)
    # A list: its filters as a normalised query string ("" is the whole list).
    query = models.TextField(_("bộ lọc"), blank=True, default="")
    # One record: its id; None for a list.
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    frequency = models.CharField(
        _("tần suất"), max_length=10, choices=Frequency.choices, default=Frequency.IMMEDIATE
    )
    language = models.CharField(
        _("ngôn ngữ"), max_length=2, choices=Language.choices, default=Language.VIETNAMESE
    )
    # The secret in every link of every mail: confirm, manage, unsubscribe.
    token = models.CharField(max_length=64, unique=True, default=new_token)
    created_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    # When a mail about the subscription itself (confirm, "already following") last went.
    notice_sent_at = models.DateTimeField(null=True, blank=True)
    # The last change of the log this subscription has looked at (`PublicChange.id`).
    cursor = models.PositiveBigIntegerField(default=0)
    # When the daily digest was last made (sent or found empty).
    digest_at = models.DateTimeField(null=True, blank=True)

    objects = SubscriptionQuerySet.as_manager()

    class Meta:
        verbose_name = _("đăng ký theo dõi")
        verbose_name_plural = _("đăng ký theo dõi")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=RecordKind.values), name="alerts_subscription_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(frequency__in=Frequency.values),
                name="alerts_subscription_frequency_valid",
            ),
            models.CheckConstraint(
                condition=Q(language__in=Language.values),
                name="alerts_subscription_language_valid",
            ),
            models.CheckConstraint(
                condition=Q(object_id__isnull=True) | Q(query=""),
                name="alerts_subscription_list_or_record",
            ),
            models.UniqueConstraint(
                fields=["email", "kind", "query"],
                condition=Q(object_id__isnull=True),
                name="alerts_subscription_unique_list",
            ),
            models.UniqueConstraint(
                fields=["email", "kind", "object_id"],
                condition=Q(object_id__isnull=False),
                name="alerts_subscription_unique_record",
            ),
        ]
        indexes = [models.Index(fields=["email"])]

    def __str__(self):
        target = f"#{self.object_id}" if self.object_id else f"?{self.query}"
        return f"{self.kind} {target}"

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None

    @property
    def follows_record(self) -> bool:
        return self.object_id is not None


class Delivery(models.Model):
    """One change of the log for one subscription: written before the mail is sent, so a
    change is mailed to a subscription at most once (`alerts.sending`)."""

    subscription = models.ForeignKey(
        Subscription, on_delete=models.CASCADE, related_name="deliveries"
    )
    change = models.ForeignKey(PublicChange, on_delete=models.CASCADE, related_name="+")
    # Set in its own transaction just before the mail goes to the mail server.
    claimed_at = models.DateTimeField(null=True, blank=True)
    # Set once the mail server accepted the mail.
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("thư đã gửi")
        verbose_name_plural = _("thư đã gửi")
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "change"], name="alerts_delivery_unique_change"
            ),
        ]

    def __str__(self):
        return f"{self.subscription_id} ← {self.change_id}"
