import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from meetings.models import AgendaItem, Meeting, Term, Vote, titles_held_on
from meetings.voting import PassRule, VoteResult
from portal.publication import PublicationStatus

from .factories import (
    make_document,
    make_item,
    make_meeting,
    make_organization,
    make_participant,
    make_person,
    make_position,
    make_term,
    make_vote,
)

pytestmark = pytest.mark.django_db


def test_vote_result_is_computed_from_counts_and_rule():
    meeting = make_meeting()
    vote = Vote(
        meeting=meeting,
        question="Thông qua",
        votes_for=40,
        votes_against=30,
        present=72,
        total=75,
        pass_rule=PassRule.MAJORITY_OF_MEMBERS,
    )
    vote.full_clean()
    vote.save()
    assert vote.result == VoteResult.ADOPTED
    vote.votes_for = 37
    vote.save()
    vote.refresh_from_db()
    assert vote.result == VoteResult.REJECTED
    assert vote.tallies_published


def test_vote_without_tallies_keeps_the_entered_outcome():
    vote = Vote(meeting=make_meeting(), question="Thông qua", result=VoteResult.ADOPTED)
    vote.full_clean()
    vote.save()
    assert vote.result == VoteResult.ADOPTED
    assert not vote.tallies_published


def test_vote_without_tallies_needs_an_outcome():
    vote = Vote(meeting=make_meeting(), question="Thông qua")
    with pytest.raises(ValidationError) as error:
        vote.full_clean()
    assert "hãy chọn kết quả đã được công bố" in error.value.message_dict["result"][0]


def test_vote_outcome_contradicting_counts_is_refused():
    vote = Vote(
        meeting=make_meeting(),
        question="Thông qua",
        votes_for=20,
        total=75,
        pass_rule=PassRule.MAJORITY_OF_MEMBERS,
        result=VoteResult.ADOPTED,
    )
    with pytest.raises(ValidationError) as error:
        vote.full_clean()
    assert error.value.message_dict["result"] == [
        "Kết quả “Thông qua” trái với số phiếu: theo điều kiện “Quá nửa tổng số thành viên” "
        "thì kết quả là “Không thông qua”."
    ]


@pytest.mark.parametrize(
    ("counts", "field", "message"),
    [
        (
            {"votes_for": 50, "votes_against": 20, "abstentions": 5, "present": 70},
            "votes_for",
            "(75) không thể lớn hơn số có mặt (70).",
        ),
        ({"present": 80, "total": 75}, "present", "Số có mặt (80) không thể lớn hơn"),
        (
            {"votes_for": 70, "votes_against": 6, "total": 75},
            "votes_for",
            "(76) không thể lớn hơn tổng số thành viên (75).",
        ),
    ],
)
def test_impossible_counts_get_clear_messages(counts, field, message):
    vote = Vote(meeting=make_meeting(), question="Thông qua", result="adopted", **counts)
    with pytest.raises(ValidationError) as error:
        vote.full_clean()
    assert message in error.value.message_dict[field][0]


@pytest.mark.parametrize(
    "counts",
    [
        {"votes_for": 50, "votes_against": 21, "present": 70},
        {"present": 80, "total": 75},
        {"votes_for": 76, "total": 75},
    ],
)
def test_database_refuses_impossible_counts(counts):
    meeting = make_meeting()
    with pytest.raises(IntegrityError), transaction.atomic():
        Vote.objects.create(meeting=meeting, question="Thông qua", result="adopted", **counts)


def test_database_refuses_a_vote_without_result():
    meeting = make_meeting()
    with pytest.raises(IntegrityError), transaction.atomic():
        Vote.objects.create(meeting=meeting, question="Thông qua")


def test_vote_on_another_meetings_item_is_refused():
    item = make_item(make_meeting())
    vote = Vote(meeting=make_meeting(), agenda_item=item, question="Thông qua", result="adopted")
    with pytest.raises(ValidationError) as error:
        vote.full_clean()
    assert error.value.message_dict["agenda_item"] == ["Nội dung này thuộc một hội nghị khác."]


def test_titles_as_of_the_meeting_date():
    person = make_person(full_name="Trần Văn Thử")
    make_position(person, title="Phó Bí thư", end_date=datetime.date(2024, 12, 31), order=1)
    make_position(person, title="Bí thư", start_date=datetime.date(2025, 1, 1), order=1)
    make_position(person, title="Ủy viên Trung ương", order=0)
    positions = list(person.positions.all())
    titles = [p.title for p in titles_held_on(positions, datetime.date(2024, 6, 1))]
    assert titles == ["Ủy viên Trung ương", "Phó Bí thư"]
    titles = [p.title for p in titles_held_on(positions, datetime.date(2025, 6, 1))]
    assert titles == ["Ủy viên Trung ương", "Bí thư"]


def test_participant_titles_default_to_today_for_undated_meetings():
    person = make_person()
    make_position(person, title="Cũ", end_date=datetime.date(2000, 1, 1))
    make_position(person, title="Hiện nay", start_date=datetime.date(2001, 1, 1))
    participant = make_participant(make_meeting(date=None), person)
    assert [p.title for p in participant.titles_on(None)] == ["Hiện nay"]


def test_agenda_items_are_ordered_by_printed_order():
    meeting = make_meeting()
    for order in ["10", "3.a", "2", "3", "1"]:
        make_item(meeting, order=order)
    assert [i.order for i in meeting.agenda_items.all()] == ["1", "2", "3", "3.a", "10"]


def test_agenda_order_is_unique_per_meeting():
    meeting = make_meeting()
    make_item(meeting, order="1")
    item = AgendaItem(meeting=meeting, order="1", title="Trùng")
    with pytest.raises(ValidationError) as error:
        item.full_clean()
    assert "Hội nghị đã có nội dung mang thứ tự này." in str(error.value)


def test_meeting_number_is_unique_in_its_term():
    term = make_term()
    make_meeting(term=term, number=23)
    duplicate = Meeting(term=term, number=23, title="Trùng")
    with pytest.raises(ValidationError) as error:
        duplicate.full_clean()
    assert "Khóa này đã có hội nghị mang số thứ tự này." in str(error.value)


def test_term_ordinal_must_be_roman():
    term = Term(body=make_organization(), ordinal="17", start_year=2020)
    with pytest.raises(ValidationError) as error:
        term.full_clean()
    assert "số La Mã" in error.value.message_dict["ordinal"][0]


def test_term_ends_after_start():
    term = Term(body=make_organization(), ordinal="XVII", start_year=2020, end_year=2019)
    with pytest.raises(ValidationError) as error:
        term.full_clean()
    assert "Năm kết thúc phải từ năm bắt đầu trở đi." in str(error.value)


def test_meeting_url_carries_body_term_and_number():
    body = make_organization(code="HĐND", name="Hội đồng nhân dân")
    meeting = make_meeting(term=make_term(body=body, ordinal="xvi"), number=5)
    assert meeting.get_absolute_url() == "/meetings/hdnd/xvi/5/"
    assert meeting.term.ordinal == "XVI"


def test_newest_first_puts_undated_meetings_last():
    term = make_term()
    undated = make_meeting(term=term, number=30, date=None)
    old = make_meeting(term=term, number=1, date=datetime.date(2021, 1, 5))
    new = make_meeting(term=term, number=2, date=datetime.date(2025, 1, 5))
    assert list(Meeting.objects.newest_first()) == [new, old, undated]


def test_published_meeting_gets_publication_time():
    meeting = make_meeting(status=PublicationStatus.PUBLISHED)
    assert meeting.published_at is not None


def test_meeting_level_votes_are_those_without_an_item():
    meeting = make_meeting()
    item = make_item(meeting)
    programme = make_vote(meeting, question="Chương trình")
    make_vote(meeting, agenda_item=item)
    assert meeting.meeting_votes() == [programme]


def test_term_ordinal_is_normalised_before_validation():
    body = make_organization()
    Term.objects.create(body=body, ordinal="XVII", start_year=2020)
    term = Term(body=body, ordinal=" xvii ", start_year=2020)
    with pytest.raises(ValidationError) as error:
        term.full_clean()
    assert "Cơ quan này đã có khóa này." in str(error.value)


def test_members_present_cannot_exceed_the_terms_members():
    term = make_term(members_count=75)
    meeting = Meeting(term=term, number=1, title="Hội nghị", members_present=80)
    with pytest.raises(ValidationError) as error:
        meeting.full_clean()
    assert error.value.message_dict["members_present"] == [
        "Số có mặt (80) không thể lớn hơn số thành viên của khóa (75)."
    ]


def test_term_label_shows_the_body_only_when_loaded(django_assert_num_queries):
    term = make_term()
    plain = Term.objects.get(pk=term.pk)
    with django_assert_num_queries(0):
        assert str(plain) == "XVII (2020–2025)"
    assert str(Term.objects.select_related("body").get(pk=term.pk)) == "BCHTU XVII (2020–2025)"


@pytest.mark.parametrize(
    ("values", "message"),
    [
        (
            {"date": datetime.date(2025, 7, 1), "start_time": "10:00", "end_time": "08:00"},
            "Giờ kết thúc phải sau giờ bắt đầu.",
        ),
        ({"date": None, "start_time": "08:00"}, "Giờ họp chỉ ghi khi đã có ngày họp."),
        (
            {"date": datetime.date(2025, 7, 2), "end_date": datetime.date(2025, 7, 1)},
            "Ngày kết thúc cần có ngày họp và không trước nó.",
        ),
    ],
)
def test_meeting_times_must_make_sense(values, message):
    term = make_term()
    meeting = Meeting(term=term, number=1, title="Hội nghị", **values)
    with pytest.raises(ValidationError) as error:
        meeting.full_clean()
    assert message in str(error.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        Meeting.objects.create(term=term, number=2, title="Hội nghị", **values)


def test_history_keeps_the_documents_an_agenda_item_had():
    item = make_item(make_meeting(), order="1")
    report = make_document(title="Báo cáo 6 tháng")
    item.documents.add(report)
    item.documents.clear()
    snapshots = [
        [row.document_id for row in record.documents.all()]
        for record in item.history.order_by("history_date", "history_id")
    ]
    assert snapshots == [[], [report.pk], []]


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({"date": datetime.date(2025, 7, 1)}, ""),
        ({"date": datetime.date(2025, 7, 1), "part_of_day": "morning"}, "Buổi sáng"),
        (
            {
                "date": datetime.date(2025, 7, 1),
                "part_of_day": "morning",
                "start_time": datetime.time(8, 0),
                "end_time": datetime.time(11, 30),
            },
            "Buổi sáng, 08:00 – 11:30",
        ),
        (
            {
                "date": datetime.date(2025, 7, 1),
                "start_time": datetime.time(9, 0),
                "end_time": datetime.time(12, 0),
            },
            "09:00 – 12:00",
        ),
        ({"date": datetime.date(2025, 7, 1), "start_time": datetime.time(14, 0)}, "14:00"),
        ({}, ""),
    ],
    ids=["date-only", "part-of-day", "part-and-times", "times-no-part", "start-only", "nothing"],
)
def test_time_of_day_wording(values, expected):
    assert Meeting(title="Hội nghị", number=1, **values).time_of_day() == expected
