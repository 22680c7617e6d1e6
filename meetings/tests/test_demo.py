import importlib.util

import pytest

from meetings import demo
from meetings.models import AgendaItem, Meeting, MeetingParticipant, Term, Vote
from portal import demo as portal_demo
from portal.publication import PublicationStatus

pytestmark = pytest.mark.django_db

MODELS = [Term, Meeting, MeetingParticipant, AgendaItem, Vote]


def history_counts():
    return {model.__name__: model.history.count() for model in MODELS}


@pytest.fixture
def shared():
    portal_demo.load()
    if importlib.util.find_spec("documents.demo") is not None:
        importlib.import_module("documents.demo").load()


def test_demo_loads_the_23rd_conference(shared):
    demo.load()
    meeting = Meeting.objects.get()
    assert meeting.title == "Hội nghị lần thứ 23 Ban Chấp hành Đảng bộ Thành phố khóa XVII"
    assert meeting.status == PublicationStatus.PUBLISHED
    assert meeting.number == 23
    # The report gives no date, place, kind or member counts: none are invented.
    assert meeting.date is None and meeting.place == "" and meeting.kind == ""
    assert meeting.members_present is None
    assert meeting.part_of_day == "morning"
    term = meeting.term
    assert (term.body.code, term.ordinal, term.start_year, term.end_year) == (
        "BCHTU",
        "XVII",
        2020,
        2025,
    )
    assert term.members_count is None
    assert [p.person.full_name for p in meeting.chairs()] == [
        "Bùi Thị Minh Hoài",
        "Trần Sỹ Thanh",
        "Nguyễn Văn Phong",
        "Nguyễn Ngọc Tuấn",
    ]
    assert [p.person.full_name for p in meeting.speakers()] == ["Nguyễn Văn Phong"]

    items = list(meeting.agenda_items.all())
    assert [i.order for i in items] == ["1", "2", "3", "4", "5", "6", "7"]
    assert items[0].title.startswith("Phương hướng công tác nhân sự")
    assert items[0].presenter.full_name == "Nguyễn Văn Phong"
    assert all(i.presenter is None for i in items[1:])
    assert [i.kind for i in items] == [
        "personnel",
        "other",
        "regulation",
        "regulation",
        "inspection",
        "report",
        "report",
    ]
    assert items[6].title.startswith("Báo cáo công tác xây dựng Đảng 6 tháng đầu năm 2025")

    votes = list(meeting.votes.all())
    assert [(v.agenda_item and v.agenda_item.order) for v in votes] == [None, "1", "7"]
    assert all(v.result == "adopted" and not v.tallies_published for v in votes)
    assert "chương trình" in votes[0].question


def test_demo_links_documents_found_by_title_or_number(shared):
    from documents.models import Document

    demo.load()
    items = {i.order: i for i in AgendaItem.objects.all()}
    for order, _title, _kind, _presenter, titles, numbers, _outcome in demo.AGENDA:
        expected = set(Document.objects.filter(title__in=titles).values_list("pk", flat=True))
        expected |= set(Document.objects.filter(number__in=numbers).values_list("pk", flat=True))
        linked = set(items[order].documents.values_list("pk", flat=True))
        assert linked == expected


def test_demo_skips_missing_documents_silently():
    portal_demo.load()
    demo.load()
    assert AgendaItem.objects.count() == 7
    assert not AgendaItem.documents.through.objects.exists()


def test_demo_is_idempotent(shared):
    first = demo.load()
    before = history_counts()
    links = AgendaItem.documents.through.objects.count()
    second = demo.load()
    assert first == second
    assert history_counts() == before
    assert AgendaItem.documents.through.objects.count() == links
    assert Meeting.objects.count() == 1 and Vote.objects.count() == 3
