import datetime

import pytest
from django.urls import reverse

from meetings.models import AgendaItem, Meeting, MeetingParticipant, Vote
from meetings.voting import VoteResult
from portal.publication import PublicationStatus

from .factories import (
    make_document,
    make_item,
    make_meeting,
    make_person,
    make_term,
    make_vote,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client, django_user_model):
    user = django_user_model.objects.create_superuser("admin", "admin@example.com", None)
    client.force_login(user)
    return client


def management(prefix, total, initial=0):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def meeting_fields(term, **overrides):
    data = {
        "term": term.pk,
        "number": "23",
        "kind": "",
        "title": "Hội nghị lần thứ 23 Ban Chấp hành Đảng bộ Thành phố khóa XVII",
        "status": PublicationStatus.DRAFT,
        "date": "",
        "end_date": "",
        "part_of_day": "morning",
        "start_time": "",
        "end_time": "",
        "place": "",
        "members_present": "",
        "summary": "Tóm tắt.",
    }
    data.update(overrides)
    return data


def vote_fields(prefix, **values):
    data = {
        "agenda_order": "",
        "question": "Thông qua chương trình",
        "method": "",
        "pass_rule": "",
        "votes_for": "",
        "votes_against": "",
        "abstentions": "",
        "present": "",
        "total": "",
        "result": "",
        "order": "0",
    }
    data.update(values)
    return {f"{prefix}-{k}": v for k, v in data.items()}


def test_add_whole_meeting_on_one_screen(staff):
    term = make_term()
    chair, presenter = make_person(full_name="Bùi Thị Minh Hoài"), make_person()
    document = make_document(title="Tờ trình về nhân sự")
    data = {
        **meeting_fields(term),
        **management("participants", 1),
        "participants-0-person": chair.pk,
        "participants-0-role": "chair",
        "participants-0-order": "0",
        **management("agenda_items", 2),
        "agenda_items-0-order": "2",
        "agenda_items-0-kind": "other",
        "agenda_items-0-title": "Đề án phân bổ đại biểu",
        "agenda_items-0-outcome": "",
        "agenda_items-1-order": "1",
        "agenda_items-1-kind": "personnel",
        "agenda_items-1-title": "Phương hướng công tác nhân sự",
        "agenda_items-1-presenter": presenter.pk,
        "agenda_items-1-documents": [document.pk],
        "agenda_items-1-outcome": "Biểu quyết thông qua.",
        **management("votes", 1),
        **vote_fields("votes-0", result="adopted"),
    }
    response = staff.post(reverse("admin:meetings_meeting_add"), data)
    assert response.status_code == 302, response.context["errors"] if response.context else ""
    meeting = Meeting.objects.get()
    assert response["Location"] == reverse("admin:meetings_meeting_changelist")
    assert meeting.number == 23 and meeting.part_of_day == "morning" and meeting.date is None
    assert list(meeting.participants.values_list("person__full_name", "role")) == [
        ("Bùi Thị Minh Hoài", "chair")
    ]
    assert [(i.order, i.title) for i in meeting.agenda_items.all()] == [
        ("1", "Phương hướng công tác nhân sự"),
        ("2", "Đề án phân bổ đại biểu"),
    ]
    assert list(meeting.agenda_items.get(order="1").documents.all()) == [document]
    vote = meeting.votes.get()
    assert vote.agenda_item is None and vote.result == VoteResult.ADOPTED
    # Every change is in the history, with its author.
    assert meeting.history.get().history_user.username == "admin"


def test_change_form_adds_votes_on_the_meetings_items(staff):
    meeting = make_meeting(status=PublicationStatus.DRAFT)
    item = make_item(meeting, order="1", title="Phương hướng nhân sự")
    other_meeting_item = make_item(make_meeting(), order="1", title="Của hội nghị khác")
    url = reverse("admin:meetings_meeting_change", args=[meeting.pk])
    data = {
        **meeting_fields(meeting.term, number=str(meeting.number), title=meeting.title),
        **management("participants", 0),
        **management("agenda_items", 1, initial=1),
        "agenda_items-0-id": item.pk,
        "agenda_items-0-meeting": meeting.pk,
        "agenda_items-0-order": "1",
        "agenda_items-0-kind": "personnel",
        "agenda_items-0-title": "Phương hướng nhân sự",
        "agenda_items-0-outcome": "",
        **management("votes", 2),
        **vote_fields(
            "votes-0",
            agenda_order="1",
            question="Thông qua phương hướng",
            votes_for="60",
            votes_against="3",
            present="65",
            total="75",
            pass_rule="majority_members",
        ),
        **vote_fields("votes-1", result="adopted"),
    }
    response = staff.post(url, data)
    assert response.status_code == 302
    computed = Vote.objects.get(agenda_item=item)
    assert other_meeting_item.votes.count() == 0
    assert computed.result == VoteResult.ADOPTED
    assert computed.votes_for == 60
    assert Vote.objects.filter(meeting=meeting, agenda_item=None).count() == 1


def test_impossible_counts_are_refused_with_a_clear_message(staff):
    meeting = make_meeting(status=PublicationStatus.DRAFT)
    url = reverse("admin:meetings_meeting_change", args=[meeting.pk])
    data = {
        **meeting_fields(meeting.term, number=str(meeting.number), title=meeting.title),
        **management("participants", 0),
        **management("agenda_items", 0),
        **management("votes", 1),
        **vote_fields("votes-0", votes_for="50", votes_against="30", present="70", total="75"),
    }
    response = staff.post(url, data)
    assert response.status_code == 200
    text = response.content.decode()
    assert "không thể lớn hơn số có mặt (70)" in text
    assert not Vote.objects.exists()


def test_vote_without_counts_needs_the_published_outcome(staff):
    meeting = make_meeting(status=PublicationStatus.DRAFT)
    url = reverse("admin:meetings_meeting_change", args=[meeting.pk])
    data = {
        **meeting_fields(meeting.term, number=str(meeting.number), title=meeting.title),
        **management("participants", 0),
        **management("agenda_items", 0),
        **management("votes", 1),
        **vote_fields("votes-0"),
    }
    response = staff.post(url, data)
    assert response.status_code == 200
    assert "hãy chọn kết quả đã được công bố" in response.content.decode()


def test_duplicate_agenda_order_is_refused(staff):
    meeting = make_meeting(status=PublicationStatus.DRAFT)
    url = reverse("admin:meetings_meeting_change", args=[meeting.pk])
    item_fields = {"kind": "other", "title": "Nội dung", "outcome": "", "order": "1"}
    data = {
        **meeting_fields(meeting.term, number=str(meeting.number), title=meeting.title),
        **management("participants", 0),
        **management("agenda_items", 2),
        **{f"agenda_items-0-{k}": v for k, v in item_fields.items()},
        **{f"agenda_items-1-{k}": v for k, v in item_fields.items()},
        **management("votes", 0),
    }
    response = staff.post(url, data)
    assert response.status_code == 200
    assert not AgendaItem.objects.exists()
    assert not MeetingParticipant.objects.exists()


def test_changelist_filters_and_search(staff):
    term = make_term()
    for n in range(5):
        meeting = make_meeting(term=term, number=n + 1, date=datetime.date(2024 + n % 2, 1, 1))
        make_item(meeting, order="1")
        make_vote(meeting)
    make_meeting(term=term, number=23, title="Hội nghị lần thứ 23", date=None)
    url = reverse("admin:meetings_meeting_changelist")
    response = staff.get(url)
    assert response.context["cl"].result_count == 6
    assert staff.get(url, {"q": "23"}).context["cl"].result_count == 1
    assert staff.get(url, {"q": "lần thứ 23"}).context["cl"].result_count == 1
    assert staff.get(url, {"year": "2025"}).context["cl"].result_count == 2
    assert staff.get(url, {"year": "none"}).context["cl"].result_count == 1
    assert staff.get(url, {"term__id__exact": term.pk}).context["cl"].result_count == 6
    assert staff.get(url, {"status__exact": "published"}).context["cl"].result_count == 6
    assert staff.get(url, {"term__body__id__exact": term.body_id}).context["cl"].result_count == 6


def test_changelist_query_count_does_not_grow(staff, django_assert_max_num_queries):
    term = make_term()
    url = reverse("admin:meetings_meeting_changelist")

    def add(numbers):
        for n in numbers:
            meeting = make_meeting(term=term, number=n)
            make_item(meeting, order="1")
            make_vote(meeting)

    add(range(1, 3))
    with django_assert_max_num_queries(20) as few:
        staff.get(url)
    add(range(3, 15))
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert staff.get(url).context["cl"].result_count == 14


def test_add_and_change_pages_render(staff):
    meeting = make_meeting()
    make_item(meeting)
    make_vote(meeting)
    assert staff.get(reverse("admin:meetings_meeting_add")).status_code == 200
    text = staff.get(reverse("admin:meetings_meeting_change", args=[meeting.pk])).content
    assert "Nội dung số" in text.decode()
    vote = meeting.votes.get()
    assert staff.get(reverse("admin:meetings_vote_change", args=[vote.pk])).status_code == 200
    assert staff.get(reverse("admin:meetings_term_changelist")).status_code == 200


def test_members_votes_that_contradict_the_figures_are_refused(staff):
    vote = make_vote(make_meeting(), votes_for=1, total=3, result=VoteResult.ADOPTED)
    members = [make_person(), make_person(), make_person()]
    url = reverse("admin:meetings_vote_change", args=[vote.pk])
    figures = {
        "question": vote.question, "method": "", "votes_for": "1", "votes_against": "",
        "abstentions": "", "present": "", "total": "3", "pass_rule": "",
        "result": VoteResult.ADOPTED, "order": "0",
    }  # fmt: skip

    def post(*choices):
        rows = {}
        for index, (member, choice) in enumerate(zip(members, choices, strict=True)):
            rows[f"person_votes-{index}-person"] = str(member.pk)
            rows[f"person_votes-{index}-choice"] = choice
        return staff.post(url, {**figures, **management("person_votes", len(rows) // 2), **rows})

    response = post("for", "for", "absent")
    assert response.status_code == 200
    assert "2 “Tán thành”, trái với số đã công bố (1)" in response.content.decode()
    assert not vote.person_votes.exists()

    response = post("for", "against", "absent")
    assert response.status_code == 302
    assert sorted(vote.person_votes.values_list("choice", flat=True)) == [
        "absent",
        "against",
        "for",
    ]
