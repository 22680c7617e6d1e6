import pytest

from meetings import demo
from meetings.models import Meeting
from portal import demo as portal_demo

from .factories import make_document, make_vote

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_meeting_detail_fits_a_360px_phone(live_server, page):
    portal_demo.load()
    demo.load()
    meeting = Meeting.objects.get()
    # A long unbroken word and a published tally exercise the widest parts.
    item = meeting.agenda_items.get(order="3")
    item.documents.add(make_document(title="Phụ lục " + "Đ" * 80))
    make_vote(
        meeting,
        agenda_item=item,
        question="Thông qua",
        votes_for=60,
        votes_against=3,
        abstentions=1,
        present=64,
        total=75,
    )

    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(live_server.url + meeting.get_absolute_url())

    assert page.locator("h1").inner_text().startswith("Hội nghị lần thứ 23")
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
    items = page.locator(".agenda__item")
    assert items.count() == 7
    for index in range(items.count()):
        box = items.nth(index).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 360
    title = page.locator(".agenda__title").first
    assert title.inner_text().startswith("1. Phương hướng công tác nhân sự")
    font_size = title.evaluate("el => parseFloat(getComputedStyle(el).fontSize)")
    assert font_size >= 16
    assert page.get_by_text("Trình bày: Nguyễn Văn Phong").is_visible()
