"""The pages: following, confirming, managing, leaving; and the link on every list and
record page."""

import datetime
from urllib.parse import urlencode

import pytest
from django.core import mail
from django.http import QueryDict
from django.utils import timezone

from alerts.models import Frequency, Subscription
from changes.models import RecordKind
from documents.tests.factories import make_document
from indicators.tests.factories import make_indicator
from meetings.tests.factories import make_meeting
from portal.publication import PublicationStatus
from portal.text import search_query
from projects.tests.factories import make_project

from .conftest import free_port
from .factories import make_subscription

pytestmark = pytest.mark.django_db

FORM = {"email": "pham.thu.ha@example.vn", "frequency": "immediate", "language": "vi"}


def test_every_list_and_record_page_links_to_following_it(client):
    document = make_document(title="Kế hoạch có liên kết theo dõi")
    meeting, indicator, project = make_meeting(), make_indicator(), make_project()
    pages = {
        "/documents/?year=2025&page=1": "/alerts/follow/documents/?year=2025",
        "/meetings/": "/alerts/follow/meetings/",
        "/indicators/?category=growth": "/alerts/follow/indicators/?category=growth",
        "/projects/": "/alerts/follow/projects/",
        document.get_absolute_url(): f"/alerts/follow/documents/{document.pk}/",
        meeting.get_absolute_url(): f"/alerts/follow/meetings/{meeting.pk}/",
        indicator.get_absolute_url(): f"/alerts/follow/indicators/{indicator.pk}/",
        project.get_absolute_url(): f"/alerts/follow/projects/{project.pk}/",
    }
    for page, follow in pages.items():
        html = client.get(page).content.decode()
        assert f'href="{follow}"' in html and "Theo dõi qua email" in html, page


def test_the_follow_page_names_the_list_and_its_filters(client):
    make_document()
    html = client.get("/alerts/follow/documents/?issuer=TU&year=2025&format=csv").content.decode()
    assert "Cơ quan ban hành: <strong>Cơ quan TU</strong>" in html
    assert "Năm ban hành: <strong>2025</strong>" in html
    assert 'href="/documents/?issuer=TU&amp;year=2025"' in html
    assert "địa chỉ bị xóa ngay" in html  # the privacy note


@pytest.mark.parametrize(
    "url",
    [
        "/alerts/follow/nguoi-dung/",
        "/alerts/follow/documents/999999/",
        "/alerts/follow/projects/99999999999999999999999999/",
        "/alerts/confirm/khong-co/",
        "/alerts/manage/khong-co/",
        "/alerts/unsubscribe/khong-co/",
    ],
)
def test_unknown_addresses_are_404(client, url):
    assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    "hidden",
    [
        {"status": PublicationStatus.DRAFT, "title": "zqleak dự thảo"},
        {"status": PublicationStatus.ARCHIVED, "title": "zqleak lưu trữ"},
        {"visibility": "internal", "title": "zqleak nội bộ"},
    ],
)
def test_a_record_the_public_cannot_see_cannot_be_followed(client, hidden):
    document = make_document(**hidden)
    response = client.get(f"/alerts/follow/documents/{document.pk}/")
    assert response.status_code == 404 and "zqleak" not in response.content.decode()
    response = client.post(f"/alerts/follow/documents/{document.pk}/", FORM)
    assert response.status_code == 404 and not Subscription.objects.exists()


def test_a_bad_address_is_a_form_message_and_nothing_is_kept(client):
    response = client.post("/alerts/follow/projects/", FORM | {"email": "khong-phai-email"})
    assert response.status_code == 400
    assert "Xin nhập một địa chỉ email hợp lệ" in response.content.decode()
    assert not Subscription.objects.exists() and mail.outbox == []


def test_an_empty_form_is_a_form_message(client):
    response = client.post("/alerts/follow/projects/", {})
    assert response.status_code == 400 and "errorlist" in response.content.decode()


def test_a_mail_server_that_is_down_is_said_and_nothing_is_kept(client, inbox, settings):
    settings.EMAIL_PORT = free_port()
    response = client.post("/alerts/follow/projects/", FORM)
    assert response.status_code == 503
    assert "Chưa gửi được thư xác nhận" in response.content.decode()
    assert not Subscription.objects.exists()


def test_the_answer_says_nothing_about_who_already_follows(client):
    """New, unconfirmed and confirmed addresses get the same answer; only the mail, which
    only the address's owner reads, differs."""
    make_subscription(email="da.theo.doi@example.vn", kind=RecordKind.PROJECT)
    make_subscription(email="chua.xac.nhan@example.vn", kind=RecordKind.PROJECT, confirmed_at=None)
    answers = []
    for email in ("moi@example.vn", "chua.xac.nhan@example.vn", "da.theo.doi@example.vn"):
        response = client.post("/alerts/follow/projects/", FORM | {"email": email}, follow=True)
        answers.append((response.status_code, response.redirect_chain, response.content))
    assert answers[0] == answers[1] == answers[2]
    subjects = {message.to[0]: message.subject for message in mail.outbox}
    assert "Xác nhận" in subjects["moi@example.vn"]
    assert "Xác nhận" in subjects["chua.xac.nhan@example.vn"]
    assert "đã theo dõi" in subjects["da.theo.doi@example.vn"]


def test_asking_again_and_again_sends_one_mail(client):
    for _ in range(5):
        client.post("/alerts/follow/meetings/", FORM)
    assert len(mail.outbox) == 1 and Subscription.objects.count() == 1


def test_the_form_is_rate_limited_per_client(client, settings):
    settings.PORTAL_RATES = settings.PORTAL_RATES | {"alerts": "2/h"}
    statuses = [
        client.post("/alerts/follow/meetings/", FORM | {"email": f"n{i}@example.vn"}).status_code
        for i in range(3)
    ]
    assert statuses == [302, 302, 429]
    assert client.get("/alerts/follow/meetings/").status_code == 200  # reading is not counted


def test_confirming_is_a_button_and_starts_from_now(client):
    client.post("/alerts/follow/documents/", FORM)
    subscription = Subscription.objects.get()
    client.get(f"/alerts/confirm/{subscription.token}/")
    subscription.refresh_from_db()
    assert not subscription.is_confirmed
    response = client.post(f"/alerts/confirm/{subscription.token}/")
    assert "Đã xác nhận" in response.content.decode()
    subscription.refresh_from_db()
    assert subscription.is_confirmed


def test_an_expired_confirmation_link_deletes_the_address(client):
    subscription = make_subscription(
        confirmed_at=None, created_at=timezone.now() - datetime.timedelta(days=8)
    )
    response = client.post(f"/alerts/confirm/{subscription.token}/")
    assert response.status_code == 404
    assert "Liên kết không còn dùng được" in response.content.decode()
    assert not Subscription.objects.exists()


def test_the_manage_page_shows_that_address_only_and_changes_it(client):
    mine = make_subscription(email="toi@example.vn")
    document = make_document(title="Kế hoạch tôi theo dõi riêng")
    second = make_subscription(email="toi@example.vn", object_id=document.pk)
    make_subscription(email="nguoi.khac@example.vn", kind=RecordKind.MEETING)
    html = client.get(f"/alerts/manage/{mine.token}/").content.decode()
    assert "toi@example.vn" in html and "Kế hoạch tôi theo dõi riêng" in html
    assert "nguoi.khac" not in html and "Hội nghị" not in html.split("<main")[1]

    client.post(
        f"/alerts/manage/{mine.token}/",
        {"subscription": second.pk, "frequency": Frequency.DAILY, "save": ""},
    )
    second.refresh_from_db()
    assert second.frequency == Frequency.DAILY

    other = Subscription.objects.get(email="nguoi.khac@example.vn")
    client.post(
        f"/alerts/manage/{mine.token}/",
        {"subscription": other.pk, "frequency": Frequency.DAILY, "unsubscribe": ""},
    )
    assert Subscription.objects.filter(pk=other.pk).exists()  # not this address's

    client.post(f"/alerts/manage/{mine.token}/", {"unsubscribe_all": ""})
    assert list(Subscription.objects.values_list("email", flat=True)) == ["nguoi.khac@example.vn"]


def test_opening_the_unsubscribe_link_changes_nothing_until_the_button(client):
    subscription = make_subscription()
    response = client.get(f"/alerts/unsubscribe/{subscription.token}/")
    assert response.status_code == 200 and "Hủy theo dõi" in response.content.decode()
    assert Subscription.objects.filter(pk=subscription.pk).exists()
    assert response["Cache-Control"].startswith("max-age=0")
    client.post(f"/alerts/unsubscribe/{subscription.token}/")
    assert not Subscription.objects.exists()


def test_the_longest_search_a_list_takes_can_be_followed(client):
    words = "Kế hoạch chỉnh trang đô thị, cải tạo sông Tô Lịch và sông Nhuệ " * 8
    response = client.post("/alerts/follow/documents/?" + urlencode({"q": words}), FORM)
    assert response.status_code == 302
    query = Subscription.objects.get().query
    assert QueryDict(query)["q"] == search_query(words)[0] and len(query) > 500
