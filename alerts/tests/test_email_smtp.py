"""Email alerts end to end, through a real SMTP server (aiosmtpd): the confirmation, an
immediate alert, the daily digest, RFC 8058's one-click unsubscribe, and nothing ever for a
draft, withdrawn, archived or internal record."""

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.test import Client

from alerts.models import Frequency, Subscription
from alerts.sending import send_alerts
from changes.models import Action, RecordKind
from documents.models import Visibility
from documents.tests.factories import make_document, make_state_document, organization
from meetings.tests.factories import make_meeting
from portal.publication import PublicationStatus

from .conftest import html_of, text_of
from .factories import log_change, make_subscription

pytestmark = pytest.mark.django_db

ORIGIN = "https://cong.example.gov.vn"
HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
TITLE = (
    "Kế hoạch thực hiện Nghị quyết về chỉnh trang đô thị, cải tạo hệ thống thoát nước và "
    "xử lý ô nhiễm sông Tô Lịch, sông Nhuệ trên địa bàn các quận nội thành"
)


def link(text: str, path: str) -> str:
    found = re.search(rf"https?://\S+{path}[\w-]+/", text)
    assert found, f"no {path} link in:\n{text}"
    return found.group(0)


def test_follow_a_filtered_list_confirm_then_get_an_alert(client, inbox):
    # The list offers the issuers of its public documents, so Thành ủy has one already.
    make_document(issuer=organization("TU", name="Thành ủy Hà Nội"), title="Kế hoạch cũ")
    response = client.post(
        "/alerts/follow/documents/?issuer=TU&page=3",
        {"email": "Tran.Thi.Mai@Example.vn", "frequency": "immediate", "language": "vi"},
    )
    assert response.status_code == 302 and response["Location"] == "/alerts/sent/"

    [confirmation] = inbox.messages
    assert confirmation["To"] == "tran.thi.mai@example.vn"
    assert "Xác nhận theo dõi" in confirmation["Subject"]
    body = text_of(confirmation)
    assert "Cơ quan ban hành: Thành ủy Hà Nội" in body
    assert "Xác nhận theo dõi" in html_of(confirmation)
    confirm_url = link(body, "/alerts/confirm/")
    path = confirm_url.removeprefix("http://testserver")

    # Opening the link (as a mail scanner would) confirms nothing: the button does.
    assert "Xác nhận theo dõi" in client.get(path).content.decode()
    subscription = Subscription.objects.get()
    assert subscription.query == "issuer=TU" and not subscription.is_confirmed
    client.post(path)
    subscription.refresh_from_db()
    assert subscription.is_confirmed

    ours = make_document(title=TITLE, number="341-KH/TU")
    theirs = make_state_document(title="Quyết định của Ủy ban nhân dân")
    log_change(ours)
    log_change(theirs)
    call_command("send_alerts", origin=ORIGIN, verbosity=0)

    [_, alert] = inbox.messages
    text = text_of(alert)
    assert "341-KH/TU" in text and TITLE in text
    assert f"{ORIGIN}{ours.get_absolute_url()}" in text
    assert "Ủy ban nhân dân" not in text
    assert "341-KH/TU" in html_of(alert)
    assert alert["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert (
        alert["List-Unsubscribe"].strip() == f"<{ORIGIN}/alerts/unsubscribe/{subscription.token}/>"
    )
    assert f"{ORIGIN}/alerts/manage/{subscription.token}/" in text


def test_one_click_unsubscribe_deletes_the_address_and_stops_the_mail(inbox):
    subscription = make_subscription(email="le.van.hung@example.vn")
    log_change(make_document(title=TITLE))
    send_alerts(origin=ORIGIN)
    [alert] = inbox.messages

    # What a mail client does on "Unsubscribe" (RFC 8058): one POST, no cookie, no token.
    url = alert["List-Unsubscribe"].strip().strip("<>").removeprefix(ORIGIN)
    mail_client = Client(enforce_csrf_checks=True)
    response = mail_client.post(
        url, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    assert not Subscription.objects.filter(email="le.van.hung@example.vn").exists()
    assert mail_client.post(url, {"List-Unsubscribe": "One-Click"}).status_code == 200

    log_change(make_document(title="Chỉ thị mới sau khi đã hủy theo dõi"))
    send_alerts(origin=ORIGIN)
    assert len(inbox.messages) == 1
    assert not Subscription.objects.filter(pk=subscription.pk).exists()


def test_daily_digest_gathers_the_day_into_one_mail(inbox):
    morning = datetime.datetime(2026, 12, 7, 7, 5, tzinfo=HANOI)
    subscription = make_subscription(
        frequency=Frequency.DAILY, digest_at=morning - datetime.timedelta(days=1)
    )
    plan = make_document(title=TITLE, number="77-KH/TU")
    directive = make_document(title="Chỉ thị về phòng, chống thiên tai", number="12-CT/TU")
    day = morning - datetime.timedelta(hours=10)
    log_change(plan, at=day)
    log_change(directive, at=day + datetime.timedelta(hours=1))
    log_change(
        plan,
        action=Action.CHANGED,
        note="Sửa trích yếu theo bản ký",
        at=day + datetime.timedelta(hours=2),
    )

    send_alerts(origin=ORIGIN, now=morning - datetime.timedelta(hours=1))  # before 7:00
    assert inbox.messages == []
    send_alerts(origin=ORIGIN, now=morning)
    [digest] = inbox.messages
    text = text_of(digest)
    assert "Tóm tắt trong ngày" in digest["Subject"]
    assert text.count("77-KH/TU") == 1 and "12-CT/TU" in text
    assert "Sửa trích yếu theo bản ký" in text
    assert text.index("77-KH/TU") < text.index("12-CT/TU")

    # The rest of the day: nothing more, even with news; it waits for tomorrow's digest.
    log_change(directive, action=Action.CHANGED, at=morning + datetime.timedelta(minutes=1))
    send_alerts(origin=ORIGIN, now=morning + datetime.timedelta(hours=3))
    assert len(inbox.messages) == 1
    send_alerts(origin=ORIGIN, now=morning + datetime.timedelta(days=1))
    assert len(inbox.messages) == 2
    assert subscription.deliveries.filter(sent_at__isnull=False).count() == 4


def test_drafts_internal_archived_and_withdrawn_records_are_never_mailed(inbox):
    documents = make_subscription(email="a@example.vn")
    meetings = make_subscription(email="b@example.vn", kind=RecordKind.MEETING)
    internal = make_document(title="Văn bản nội bộ mật", visibility=Visibility.INTERNAL)
    follows_internal = make_subscription(email="c@example.vn", object_id=internal.pk)
    draft = make_document(title="Dự thảo chưa công bố", status=PublicationStatus.DRAFT)
    archived = make_document(title="Văn bản đã lưu trữ", status=PublicationStatus.ARCHIVED)
    withdrawn = make_document(title="Văn bản bị rút lại")
    draft_meeting = make_meeting(title="Hội nghị chưa công bố", status=PublicationStatus.DRAFT)
    for record in (internal, draft, archived, withdrawn, draft_meeting):
        log_change(record)
    withdrawn.status = PublicationStatus.DRAFT  # withdrawn after its change was logged
    withdrawn.save()

    report = send_alerts(origin=ORIGIN)
    assert inbox.messages == []
    assert report.mailed == 0
    for subscription in (documents, meetings, follows_internal):
        assert not subscription.deliveries.exists()

    # The same records once published and public do reach the same subscribers.
    internal.visibility = Visibility.PUBLIC
    internal.save()
    log_change(internal)
    send_alerts(origin=ORIGIN)
    assert sorted(m["X-Envelope-To"] for m in inbox.messages) == ["a@example.vn", "c@example.vn"]


def test_english_subscriber_gets_english_mail(client, inbox):
    client.post(
        "/alerts/follow/documents/",
        {"email": "reviewer@example.org", "frequency": "immediate", "language": "en"},
    )
    [confirmation] = inbox.messages
    assert confirmation["Content-Language"] == "en"
    assert '<html lang="en">' in html_of(confirmation)
    assert "/en/alerts/confirm/" in text_of(confirmation)
