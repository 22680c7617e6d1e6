"""The rules of `send_alerts` that a user only notices when they go wrong."""

import datetime

import pytest
from django.utils import timezone

from alerts.models import Delivery, Subscription
from alerts.sending import SETTLE, last_digest_time, send_alerts
from changes.models import Action, RecordKind
from documents.tests.factories import make_document

from .conftest import free_port, text_of
from .factories import log_change, make_subscription

pytestmark = pytest.mark.django_db

ORIGIN = "https://cong.example.gov.vn"


def test_a_record_subscription_gets_only_its_record(inbox):
    followed = make_document(title="Kế hoạch được theo dõi")
    other = make_document(title="Văn bản khác")
    make_subscription(object_id=followed.pk)
    log_change(other)
    log_change(followed, action=Action.CHANGED, note="Cập nhật ngày hiệu lực")
    send_alerts(origin=ORIGIN)
    [mail] = inbox.messages
    assert "Kế hoạch được theo dõi" in text_of(mail) and "Văn bản khác" not in text_of(mail)
    assert "Cập nhật ngày hiệu lực" in text_of(mail)


def test_the_log_before_a_subscription_started_is_never_mailed(inbox):
    log_change(make_document(title="Tin cũ"))
    make_subscription()
    send_alerts(origin=ORIGIN)
    assert inbox.messages == []


def test_a_change_still_being_written_waits_and_is_not_skipped(inbox):
    subscription = make_subscription()
    fresh = log_change(make_document(title="Vừa công bố"), minutes_ago=0)
    older = log_change(make_document(title="Công bố trước"), minutes_ago=30)
    assert fresh.pk < older.pk
    send_alerts(origin=ORIGIN)
    assert inbox.messages == []  # the older row is behind a row not yet settled
    send_alerts(origin=ORIGIN, now=timezone.now() + SETTLE)
    [mail] = inbox.messages
    assert "Vừa công bố" in text_of(mail) and "Công bố trước" in text_of(mail)
    assert subscription.deliveries.count() == 2


def test_a_mail_server_that_is_down_loses_nothing(inbox, settings):
    subscription = make_subscription()
    log_change(make_document(title="Kế hoạch chờ gửi"))
    settings.EMAIL_PORT = free_port()  # nobody listens there
    report = send_alerts(origin=ORIGIN)
    assert report.failed == 1 and report.mailed == 0
    assert not subscription.deliveries.filter(claimed_at__isnull=False).exists()
    settings.EMAIL_PORT = inbox.port
    assert send_alerts(origin=ORIGIN).mailed == 1
    assert "Kế hoạch chờ gửi" in text_of(inbox.messages[0])


def test_a_change_claimed_by_a_run_that_died_is_never_sent_again(inbox):
    subscription = make_subscription()
    first = log_change(make_document(title="Lần gửi bị ngắt"))
    send_alerts(origin=ORIGIN)
    # As a run killed between the claim and the mail server's answer leaves it:
    Delivery.objects.filter(change=first).update(sent_at=None)
    inbox.messages.clear()
    log_change(make_document(title="Tin tiếp theo"))
    send_alerts(origin=ORIGIN)
    [mail] = inbox.messages
    assert "Tin tiếp theo" in text_of(mail) and "Lần gửi bị ngắt" not in text_of(mail)
    assert subscription.deliveries.count() == 2


def test_a_record_withdrawn_before_a_retry_is_dropped(inbox, settings):
    subscription = make_subscription()
    document = make_document(title="Sắp bị rút")
    log_change(document)
    settings.EMAIL_PORT = free_port()
    send_alerts(origin=ORIGIN)  # collected, not sent
    document.status = "draft"
    document.save()
    settings.EMAIL_PORT = inbox.port
    send_alerts(origin=ORIGIN)
    assert inbox.messages == []
    assert not subscription.deliveries.exists()


def test_unconfirmed_subscriptions_are_deleted_after_a_week(inbox):
    old = make_subscription(
        confirmed_at=None, created_at=timezone.now() - datetime.timedelta(days=8)
    )
    recent = make_subscription(confirmed_at=None)
    assert send_alerts(origin=ORIGIN).purged == 1
    assert list(Subscription.objects.filter(pk__in=[old.pk, recent.pk])) == [recent]


def test_a_run_costs_a_fixed_number_of_queries_per_subscriber(
    inbox, django_assert_max_num_queries
):
    for n in range(30):
        make_subscription(kind=RecordKind.DOCUMENT, query="issuer=TU", email=f"s{n}@example.vn")
    log_change(make_document())
    # Per subscriber, savepoints included: collect, claim, read, describe, mark sent. The
    # list's filter over the run's changes runs once for all of them.
    with django_assert_max_num_queries(30 * 14 + 12):
        assert send_alerts(origin=ORIGIN).mailed == 30


@pytest.mark.parametrize(
    ("local", "expected"),
    [
        ("2026-12-07 06:59", "2026-12-06 07:00"),
        ("2026-12-07 07:00", "2026-12-07 07:00"),
        ("2026-12-07 23:30", "2026-12-07 07:00"),
    ],
)
def test_the_digest_hour_is_the_portal_time(local, expected):
    now = timezone.make_aware(datetime.datetime.fromisoformat(local))
    assert timezone.localtime(last_digest_time(now)).strftime("%Y-%m-%d %H:%M") == expected
