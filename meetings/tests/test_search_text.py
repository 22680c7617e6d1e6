"""The folded search column of meetings and agenda items (site search, list `q`)."""

import pytest

from meetings.models import AgendaItem, Meeting

from .factories import make_item, make_meeting

pytestmark = pytest.mark.django_db


def test_meeting_search_text_is_folded_title_place_and_summary():
    meeting = make_meeting(title="Hội nghị TÔ LỊCH", place="Hà Đông", summary="Bàn về Đường")

    assert (
        Meeting.objects.get(pk=meeting.pk).search_text == "hoi nghi to lich ha dong ban ve duong"
    )


def test_agenda_item_search_text_is_folded_title_and_outcome():
    item = make_item(make_meeting(), title="Báo cáo Tô Lịch", outcome="Thống nhất")

    assert AgendaItem.objects.get(pk=item.pk).search_text == "bao cao to lich thong nhat"


def test_save_with_update_fields_refreshes_the_search_text():
    meeting = make_meeting(title="Cũ")
    meeting.title = "Hội nghị Mới"
    meeting.save(update_fields=["title"])

    assert Meeting.objects.get(pk=meeting.pk).search_text == "hoi nghi moi"


def test_matching_and_mentioning():
    own = make_meeting(title="Sông Tô Lịch")
    by_item = make_meeting(title="Thường kỳ")
    make_item(by_item, title="Tô Lịch")
    make_meeting(title="Khác")

    assert list(Meeting.objects.matching(["to", "lich"])) == [own]
    assert set(Meeting.objects.mentioning(["to", "lich"])) == {own, by_item}
    assert list(AgendaItem.objects.matching(["lich"])) == [by_item.agenda_items.get()]
