"""A whole meeting, its agenda and the votes on its items, entered in one submit of the
admin's add form, as an editor's browser posts it (meetings/admin.py)."""

import pytest
from django.urls import reverse

from meetings.models import AgendaItem, Meeting, Vote
from meetings.voting import VoteResult
from portal.tests.admin_forms import make_editor, make_publisher, read_form

from .factories import make_item, make_meeting, make_term, make_vote

pytestmark = pytest.mark.django_db

ADD_URL = reverse("admin:meetings_meeting_add")

ITEMS = [
    (
        "1",
        "personnel",
        "Phương hướng công tác nhân sự Đại hội đại biểu Đảng bộ Thành phố lần thứ XVIII, "
        "nhiệm kỳ 2025–2030",
    ),
    (
        "2",
        "other",
        "Đề án phân bổ số lượng đại biểu dự Đại hội Đảng bộ Thành phố lần thứ XVIII cho các "
        "đảng bộ trực thuộc",
    ),
    (
        "3",
        "report",
        "Báo cáo tình hình kinh tế - xã hội 6 tháng đầu năm 2025, nhiệm vụ trọng tâm 6 tháng "
        "cuối năm",
    ),
]


def whole_meeting(client, term, **vote):
    """The add form as the browser shows it, typed in: three agenda items and one vote."""
    form = read_form(client, ADD_URL, Meeting)
    data = form.data(
        term=str(term.pk),
        number="24",
        title="Hội nghị lần thứ 24 Ban Chấp hành Đảng bộ Thành phố khóa XVII",
        date="2025-07-28",
    )
    for order, kind, title in ITEMS:
        data = form.with_new_row("agenda_items", data, order=order, kind=kind, title=title)
    vote = {
        "agenda_order": "2",
        "question": "Thông qua Đề án phân bổ số lượng đại biểu",
        "votes_for": "71",
        "votes_against": "0",
        "abstentions": "1",
        "present": "72",
        "total": "75",
        "pass_rule": "majority_members",
        "order": "0",
    } | vote
    return form.with_new_row("votes", data, **vote)


@pytest.mark.parametrize("make_user", [make_editor, make_publisher])
def test_a_meeting_with_three_items_and_a_vote_on_one_in_one_submit(client, make_user):
    term = make_term()
    client.force_login(make_user())

    response = client.post(ADD_URL, whole_meeting(client, term))

    assert response.status_code == 302, response.context["errors"]
    meeting = Meeting.objects.get()
    items = AgendaItem.all_objects.filter(meeting=meeting)
    assert [(i.order, i.title) for i in items] == [(o, t) for o, _, t in ITEMS]
    vote = Vote.all_objects.get()
    assert vote.meeting == meeting
    assert vote.agenda_item == items.get(order="2")
    assert vote.result == VoteResult.ADOPTED
    # The publication rule: an editor's rows wait for a publisher, a publisher's do not.
    pending = make_user is make_editor
    assert {i.pending for i in items} == {pending}
    assert vote.pending is pending


def test_a_vote_on_an_item_the_agenda_lacks_is_refused_and_nothing_saved(client):
    client.force_login(make_publisher())

    response = client.post(ADD_URL, whole_meeting(client, make_term(), agenda_order="7"))

    assert response.status_code == 200
    assert "Chương trình không có nội dung số “7”." in response.content.decode()
    assert not Meeting.objects.exists()
    assert not AgendaItem.all_objects.exists()
    assert not Vote.all_objects.exists()


def test_an_existing_vote_shows_and_keeps_its_item(client):
    client.force_login(make_publisher())
    client.post(ADD_URL, whole_meeting(client, make_term()))
    meeting = Meeting.objects.get()
    url = reverse("admin:meetings_meeting_change", args=[meeting.pk])

    form = read_form(client, url, Meeting)
    data = form.data()
    assert data["votes-0-agenda_order"] == "2"
    # Renumbering the item and its vote in the same submit moves the vote with it.
    index = next(i for i in range(3) if data[f"agenda_items-{i}-order"] == "2")
    data |= {f"agenda_items-{index}-order": "2a", "votes-0-agenda_order": "2a"}
    response = client.post(url, data)

    assert response.status_code == 302, response.context["errors"]
    assert Vote.objects.get().agenda_item.order == "2a"


def test_an_editor_reads_the_votes_of_a_published_meeting_with_their_items(client):
    """On a meeting only a publisher may change, the vote rows are read-only and still
    say which item each vote was on."""
    meeting = make_meeting()
    item = make_item(meeting, order="II.3", title="Điều chỉnh kế hoạch kiểm tra, giám sát")
    make_vote(meeting, agenda_item=item, question="Thông qua điều chỉnh kế hoạch")
    make_vote(meeting, question="Thông qua chương trình hội nghị")
    client.force_login(make_editor())

    response = client.get(reverse("admin:meetings_meeting_change", args=[meeting.pk]))

    html = response.content.decode()
    # The item's own row and its vote's row.
    assert html.count('<div class="readonly">II.3</div>') == 2
    assert '<div class="readonly">— Cả hội nghị —</div>' in html


def test_an_editor_adds_an_item_and_its_vote_to_a_published_meeting(client):
    """The meeting's stored items are read-only for an editor (their order is not posted)
    and can still be voted on, beside an item added in the same submit; all of it waits
    for a publisher."""
    meeting = make_meeting()
    make_item(meeting, order="1", title="Phương hướng công tác nhân sự")
    client.force_login(make_editor())
    url = reverse("admin:meetings_meeting_change", args=[meeting.pk])
    form = read_form(client, url, Meeting)
    data = form.with_new_row(
        "agenda_items", order="2", kind="other", title="Đề án phân bổ số lượng đại biểu"
    )
    for order, question in (("2", "Thông qua Đề án"), ("1", "Thông qua phương hướng")):
        data = form.with_new_row(
            "votes", data, agenda_order=order, question=question, result="adopted", order="0"
        )

    response = client.post(url, data)

    assert response.status_code == 302, response.context["errors"]
    votes = {vote.question: vote for vote in Vote.all_objects.filter(meeting=meeting)}
    assert votes["Thông qua Đề án"].agenda_item.order == "2"
    assert votes["Thông qua phương hướng"].agenda_item.order == "1"
    assert all(vote.pending for vote in votes.values())
    assert AgendaItem.all_objects.get(order="2").pending
