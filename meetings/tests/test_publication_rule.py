"""The publication rule on a meeting's participants, agenda, votes and members' votes
(issue 14), through the real admin: the meeting's screen and the vote's own screen.

An editor cannot change what a published meeting's page shows; what an editor adds waits
(pending) and stays off the public page until a publisher approves it.
"""

import datetime

import pytest
from django.urls import reverse

from documents.models import Visibility
from portal.publication import PublicationStatus
from portal.tests.admin_forms import (
    INTERNAL_LABEL,
    LOCKED,
    make_editor,
    make_publisher,
    make_publisher_of,
    messages_of,
    public_text,
    read_form,
    run_action,
)

from ..models import AgendaItem, AgendaItemKind, Meeting, MeetingParticipant, PersonVote, Vote
from ..voting import Choice, VoteResult
from .factories import make_document, make_item, make_meeting, make_participant, make_person
from .factories import make_vote as make_vote_of

pytestmark = pytest.mark.django_db

INTERNAL_NUMBER = "4321-TB/TU"
INTERNAL_TITLE = "Thông báo kết luận về công tác cán bộ quận Hoàn Kiếm"


def change_url(meeting) -> str:
    return reverse("admin:meetings_meeting_change", args=[meeting.pk])


def vote_url(vote) -> str:
    return reverse("admin:meetings_vote_change", args=[vote.pk])


def new_meeting(**overrides) -> Meeting:
    values = {
        "title": "Hội nghị lần thứ 23 Ban Chấp hành Đảng bộ Thành phố khóa XVII",
        "date": datetime.date(2025, 7, 10),
        "place": "Trung tâm Hội nghị Thành ủy",
    }
    return make_meeting(**(values | overrides))


@pytest.fixture
def meeting():
    """A published meeting with an approved agenda item, vote and chair."""
    meeting = new_meeting()
    item = make_item(
        meeting,
        order="1",
        title="Báo cáo tình hình kinh tế - xã hội 6 tháng đầu năm 2025",
        kind=AgendaItemKind.REPORT,
    )
    make_vote_of(
        meeting,
        agenda_item=item,
        question="Thông qua Báo cáo tình hình kinh tế - xã hội 6 tháng đầu năm",
    )
    make_participant(meeting, make_person(full_name="Bùi Thị Minh Hoài"), order=1)
    return meeting


# The meeting's screen, as an editor ------------------------------------------------


def test_editor_sees_the_agenda_and_votes_of_a_published_meeting_read_only(client, meeting):
    client.force_login(make_editor())

    form = read_form(client, change_url(meeting), Meeting)

    assert LOCKED in form.html
    for name in ("agenda_items-0-title", "votes-0-question", "participants-0-role"):
        assert not form.has_input(name)
    assert "Báo cáo tình hình kinh tế - xã hội 6 tháng đầu năm 2025" in form.html


def test_editor_post_altering_the_agenda_votes_and_chair_changes_nothing(client, meeting):
    item = meeting.agenda_items.get()
    vote = meeting.votes.get()
    chair = meeting.participants.get()
    client.force_login(make_editor())
    form = read_form(client, change_url(meeting), Meeting)

    client.post(
        change_url(meeting),
        form.data(
            **{
                "agenda_items-0-id": str(item.pk),
                "agenda_items-0-title": "Nội dung đã bị sửa",
                "agenda_items-0-order": "9",
                "votes-0-id": str(vote.pk),
                "votes-0-question": "Biểu quyết đã bị sửa",
                "votes-0-result": VoteResult.REJECTED,
                "votes-0-DELETE": "on",
                "participants-0-id": str(chair.pk),
                "participants-0-role": "attendee",
                "participants-0-DELETE": "on",
            }
        ),
    )

    item.refresh_from_db()
    vote.refresh_from_db()
    chair.refresh_from_db()
    assert (item.order, item.title, item.pending) == (
        "1",
        "Báo cáo tình hình kinh tế - xã hội 6 tháng đầu năm 2025",
        False,
    )
    assert (vote.result, vote.pending) == (VoteResult.ADOPTED, False)
    assert (chair.role, chair.pending) == ("chair", False)
    page = public_text(meeting)
    assert "Nội dung đã bị sửa" not in page
    assert "Biểu quyết đã bị sửa" not in page
    assert "Bùi Thị Minh Hoài" in page


def test_editor_additions_to_a_published_meeting_wait_for_a_publisher(client, meeting):
    presenter = make_person(full_name="Nguyễn Văn Phong")
    client.force_login(make_editor())
    form = read_form(client, change_url(meeting), Meeting)
    data = form.with_new_row(
        "agenda_items",
        order="2",
        kind=AgendaItemKind.PLAN,
        title="Thảo luận Đề án phát triển hệ thống đường sắt đô thị",
        outcome="Hội nghị thống nhất thông qua Đề án.",
    )
    data = form.with_new_row(
        "participants", data, person=presenter.pk, role="presenter", order="2"
    )
    data = form.with_new_row(
        "votes",
        data,
        question="Thông qua Nghị quyết về công tác cán bộ",
        result=VoteResult.ADOPTED,
        order="2",
    )

    response = client.post(change_url(meeting), data)

    assert response.status_code == 302
    assert AgendaItem.all_objects.get(order="2").pending
    assert MeetingParticipant.all_objects.get(person=presenter).pending
    assert Vote.all_objects.get(question__startswith="Thông qua Nghị quyết").pending
    page = public_text(meeting)
    assert "đường sắt đô thị" not in page
    assert "Nguyễn Văn Phong" not in page
    assert "công tác cán bộ" not in page

    client.force_login(make_publisher())
    response = run_action(client, "publish_pending", meeting)

    assert "Đã công bố 3 thay đổi đang chờ." in messages_of(response)
    page = public_text(meeting)
    assert "đường sắt đô thị" in page
    assert "Nguyễn Văn Phong" in page
    assert "công tác cán bộ" in page


def test_publisher_publishes_a_draft_meeting_with_what_editors_added(client):
    draft = new_meeting(status=PublicationStatus.DRAFT, number=24)
    AgendaItem.all_objects.create(
        meeting=draft, order="1", title="Thảo luận Chương trình công tác năm 2026", pending=True
    )
    Vote.all_objects.create(
        meeting=draft,
        question="Thông qua Chương trình công tác năm 2026",
        result=VoteResult.ADOPTED,
        pending=True,
    )
    client.force_login(make_publisher())

    response = run_action(client, "publish", draft)

    assert "Đã công bố 1 mục." in messages_of(response)
    assert not AgendaItem.all_objects.filter(pending=True).exists()
    assert not Vote.all_objects.filter(pending=True).exists()
    page = public_text(draft)
    assert "Thảo luận Chương trình công tác năm 2026" in page
    assert "Thông qua Chương trình công tác năm 2026" in page


def test_publisher_changes_the_agenda_of_a_published_meeting_at_once(client, meeting):
    item = meeting.agenda_items.get()
    client.force_login(make_publisher())
    form = read_form(client, change_url(meeting), Meeting)
    assert form.has_input("agenda_items-0-title")

    response = client.post(
        change_url(meeting),
        form.data(**{"agenda_items-0-title": "Báo cáo kinh tế - xã hội 6 tháng (đã chỉnh)"}),
    )

    assert response.status_code == 302
    item.refresh_from_db()
    assert not item.pending
    assert "Báo cáo kinh tế - xã hội 6 tháng (đã chỉnh)" in public_text(meeting)


def test_publisher_saves_a_published_meeting_with_pending_additions(client, meeting):
    """Pending rows are listed on the meeting's screen; they do not stop a save, and
    stay pending until the publisher approves them."""
    AgendaItem.all_objects.create(
        meeting=meeting, order="2", title="Thảo luận về công tác cán bộ", pending=True
    )
    Vote.all_objects.create(
        meeting=meeting,
        question="Thông qua Nghị quyết về công tác cán bộ",
        result=VoteResult.ADOPTED,
        pending=True,
    )
    client.force_login(make_publisher())
    form = read_form(client, change_url(meeting), Meeting)

    data = form.data(place="Hội trường Thành ủy", change_note="Đổi địa điểm.")
    response = client.post(change_url(meeting), data)

    assert response.status_code == 302, [
        inline.formset.errors for inline in response.context["inline_admin_formsets"]
    ]
    meeting.refresh_from_db()
    assert meeting.place == "Hội trường Thành ủy"
    assert AgendaItem.all_objects.filter(pending=True).count() == 1
    assert "công tác cán bộ" not in public_text(meeting)


# The vote's own screen (members' votes) ----------------------------------------------


@pytest.fixture
def roll_call(meeting):
    """The meeting's vote, with one member's vote recorded and approved."""
    vote = meeting.votes.get()
    PersonVote.objects.create(
        vote=vote, person=make_person(full_name="Trần Sỹ Thanh"), choice=Choice.FOR
    )
    return vote


def test_editor_sees_an_approved_vote_of_a_published_meeting_read_only(client, roll_call):
    client.force_login(make_editor())

    form = read_form(client, vote_url(roll_call), Vote)

    assert LOCKED in form.html
    assert not form.has_input("question")
    assert not form.has_input("result")
    assert not form.has_input("person_votes-0-choice")


def test_editor_post_of_an_approved_vote_changes_nothing(client, roll_call):
    person_vote = roll_call.person_votes.get()
    versions = roll_call.history.count()
    client.force_login(make_editor())
    form = read_form(client, vote_url(roll_call), Vote)

    client.post(
        vote_url(roll_call),
        form.data(
            question="Biểu quyết đã bị sửa",
            result=VoteResult.REJECTED,
            pending="on",
            **{
                "person_votes-0-id": str(person_vote.pk),
                "person_votes-0-choice": Choice.AGAINST,
                "person_votes-0-DELETE": "on",
            },
        ),
    )

    roll_call.refresh_from_db()
    person_vote.refresh_from_db()
    assert roll_call.question.startswith("Thông qua Báo cáo")
    assert (roll_call.result, roll_call.pending) == (VoteResult.ADOPTED, False)
    assert roll_call.history.count() == versions
    assert (person_vote.choice, person_vote.pending) == (Choice.FOR, False)
    assert "Trần Sỹ Thanh" in public_text(roll_call.meeting)


def test_editor_adds_a_members_vote_that_waits_for_a_publisher(client, roll_call):
    member = make_person(full_name="Nguyễn Ngọc Tuấn")
    client.force_login(make_editor())
    form = read_form(client, vote_url(roll_call), Vote)

    response = client.post(
        vote_url(roll_call),
        form.with_new_row("person_votes", person=member.pk, choice=Choice.ABSTAIN),
    )

    assert response.status_code == 302
    assert PersonVote.all_objects.get(person=member).pending
    assert "Nguyễn Ngọc Tuấn" not in public_text(roll_call.meeting)

    client.force_login(make_publisher())
    run_action(client, "publish_pending", roll_call.meeting)

    assert "Nguyễn Ngọc Tuấn" in public_text(roll_call.meeting)


def test_editor_changes_a_pending_vote_which_stays_pending(client, meeting):
    """A vote an editor added is the editor's to correct until a publisher approves it."""
    vote = Vote.all_objects.create(
        meeting=meeting, question="Thông qua Quy chế làm việc", result="adopted", pending=True
    )
    client.force_login(make_editor())
    form = read_form(client, vote_url(vote), Vote)
    assert LOCKED not in form.html

    data = form.data(question="Thông qua Quy chế làm việc khóa XVII")
    data.pop("pending", None)  # unticking "chờ công bố" does not approve it

    response = client.post(vote_url(vote), data)

    assert response.status_code == 302
    vote.refresh_from_db()
    assert (vote.question, vote.pending) == ("Thông qua Quy chế làm việc khóa XVII", True)
    assert "Quy chế làm việc" not in public_text(meeting)


# Internal documents linked from the agenda ----------------------------------------------


@pytest.fixture
def agenda_with_internal_document(meeting):
    item = meeting.agenda_items.get()
    item.documents.add(
        make_document(
            number=INTERNAL_NUMBER, title=INTERNAL_TITLE, visibility=Visibility.INTERNAL
        ),
        make_document(number="341-KH/TU", title="Kế hoạch triển khai Nghị quyết"),
    )
    return meeting


@pytest.fixture(params=["editor", "publisher of meetings"])
def blind(request):
    user = make_editor() if request.param == "editor" else make_publisher_of("meetings")
    assert not user.has_perm("documents.view_internal_document")
    return user


@pytest.mark.parametrize("status", [PublicationStatus.PUBLISHED, PublicationStatus.DRAFT])
def test_meeting_page_hides_an_internal_document_of_its_agenda(
    client, agenda_with_internal_document, blind, status
):
    """Read-only (published) or in the chooser (a draft): only a placeholder."""
    meeting = agenda_with_internal_document
    Meeting.objects.filter(pk=meeting.pk).update(status=status)
    client.force_login(blind)

    page = client.get(change_url(meeting)).content.decode()

    assert "341-KH/TU" in page
    assert INTERNAL_LABEL in page
    assert INTERNAL_NUMBER not in page
    assert INTERNAL_TITLE not in page


def test_meeting_page_shows_an_internal_document_to_who_may_read_it(
    client, agenda_with_internal_document
):
    client.force_login(make_editor(reads_internal=True))

    page = client.get(change_url(agenda_with_internal_document)).content.decode()

    assert INTERNAL_NUMBER in page
    assert INTERNAL_LABEL not in page
