"""The admin reads Vietnamese where Django's and django-simple-history's own catalogues
stop short (locale/vi/LC_MESSAGES/django.po), and English still reads English."""

import re
from html import unescape

import pytest
from django.conf import settings
from django.urls import reverse

from meetings.tests.factories import make_item, make_meeting
from portal.publication import PublicationStatus

pytestmark = pytest.mark.django_db

# What the admin showed in English, or wrongly, before the portal's catalogue.
LEFTOVERS = [
    "Please correct",
    "Skip to main content",
    "Toggle theme",
    "Model name",
    "Add link",
    "Choose a date from the list below",
    "Changed by",
    "Change reason",
    "Bản ghi nhớ",
    ">Meetings<",
    ">Documents<",
    ">Projects<",
    ">Portal<",
    ">Axes<",
    ">Otp_Totp<",
    ">Otp_Static<",
]


def visible(response) -> str:
    """The page's text and attributes as a person (or a screen reader) meets them."""
    page = re.sub(r"<(script|style)\b.*?</\1>", "", response.content.decode(), flags=re.S)
    return unescape(page)


@pytest.fixture
def staff(client, django_user_model):
    user = django_user_model.objects.create_superuser("admin", "admin@example.com", None)
    client.force_login(user)
    return client


@pytest.fixture
def meeting():
    meeting = make_meeting(
        title="Hội nghị lần thứ 23 Ban Chấp hành Đảng bộ Thành phố khóa XVII",
        status=PublicationStatus.DRAFT,
    )
    make_item(meeting, order="1", title="Phương hướng công tác nhân sự Đại hội XVIII")
    return meeting


def test_change_form_error_and_history_are_vietnamese(staff, meeting):
    change_url = reverse("admin:meetings_meeting_change", args=[meeting.pk])
    history_url = reverse("admin:meetings_meeting_history", args=[meeting.pk])

    change = visible(staff.get(change_url))
    assert f'<a href="{history_url}" class="historylink">Lịch sử</a>' in change
    # A submit missing the required fields comes back with the admin's summary line.
    refused = visible(staff.post(change_url, {"title": ""}))
    assert "Vui lòng sửa các lỗi dưới đây." in refused
    history = visible(staff.get(history_url))
    for text in ("Lịch sử thay đổi:", "Người thực hiện", "Lý do thay đổi", "Đã tạo", "1 mục"):
        assert text in history, text
    index = visible(staff.get(reverse("admin:index")))
    for heading in ("Văn bản", "Hội nghị và biểu quyết", "Dự án hạ tầng", "Khóa đăng nhập sai"):
        assert f">{heading}<" in index, heading
    for page in (change, refused, history, index):
        assert [text for text in LEFTOVERS if text in page] == []


def test_the_english_interface_keeps_english(staff, meeting):
    staff.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    change_url = reverse("admin:meetings_meeting_change", args=[meeting.pk])

    assert ">History</a>" in visible(staff.get(change_url))
    assert "Please correct the errors below." in visible(staff.post(change_url, {"title": ""}))
    assert ">Meetings and votes<" in visible(staff.get(reverse("admin:index")))
    # The public pages still come from the English catalogue.
    assert "<h1>Documents</h1>" in visible(staff.get(reverse("documents:list")))
