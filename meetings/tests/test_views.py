import datetime

import pytest
from django.urls import reverse

from documents.models import Document
from meetings.models import PersonVote
from meetings.voting import PassRule
from portal.publication import PublicationStatus
from projects.models import Project

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

LIST_URL = reverse("meetings:list")


def populate(meetings=3, items=4, start=1):
    """Meetings with chairs (with titles), agenda items, documents and votes."""
    term = make_term()
    created = []
    for n in range(meetings):
        meeting = make_meeting(
            term=term, number=start + n, date=datetime.date(2025, 1, 1) + datetime.timedelta(n)
        )
        for _ in range(2):
            person = make_person()
            make_position(person, title="Phó Bí thư")
            make_participant(meeting, person)
        for i in range(items):
            item = make_item(meeting, order=str(i + 1), presenter=make_person())
            item.documents.add(make_document(), make_document())
            make_vote(meeting, agenda_item=item)
        make_vote(meeting, question="Thông qua chương trình")
        created.append(meeting)
    return created


# List ---------------------------------------------------------------------------------


def test_list_shows_meetings_newest_first_with_counts(client):
    term = make_term()
    old = make_meeting(
        term=term, number=1, title="Hội nghị lần thứ 1", date=datetime.date(2021, 3, 4)
    )
    new = make_meeting(
        term=term, number=2, title="Hội nghị lần thứ 2", date=datetime.date(2025, 7, 1)
    )
    undated = make_meeting(term=term, number=23, title="Hội nghị lần thứ 23", date=None)
    for order in ["1", "2", "3"]:
        make_item(new, order=order)
    make_vote(new)
    response = client.get(LIST_URL)
    assert list(response.context["meetings"]) == [new, old, undated]
    text = response.content.decode()
    assert "01/07/2025" in text and "04/03/2021" in text
    assert "chưa có ngày" in text
    assert "3 nội dung" in text and "1 biểu quyết" in text
    assert new.get_absolute_url() in text
    assert reverse("meetings:calendar") in text


def test_list_hides_drafts_and_archived(client):
    make_meeting(title="Hội nghị công khai")
    make_meeting(title="Hội nghị nháp", status=PublicationStatus.DRAFT)
    make_meeting(title="Hội nghị lưu trữ", status=PublicationStatus.ARCHIVED)
    text = client.get(LIST_URL).content.decode()
    assert "Hội nghị công khai" in text
    assert "Hội nghị nháp" not in text and "Hội nghị lưu trữ" not in text


def test_list_filters_by_body_term_year_and_kind(client):
    hdnd = make_organization(code="HĐND", name="Hội đồng nhân dân Thành phố")
    party = make_meeting(title="Hội nghị Thành ủy", date=datetime.date(2025, 7, 1))
    council = make_meeting(
        term=make_term(body=hdnd, ordinal="XVI", start_year=2021),
        title="Kỳ họp HĐND",
        date=datetime.date(2024, 12, 10),
        kind="extraordinary",
    )
    assert list(client.get(LIST_URL, {"body": "HĐND"}).context["meetings"]) == [council]
    # Codes are accepted in any case.
    assert list(client.get(LIST_URL, {"body": "bchtu"}).context["meetings"]) == [party]
    assert list(client.get(LIST_URL, {"term": "xvi"}).context["meetings"]) == [council]
    assert list(client.get(LIST_URL, {"year": "2025"}).context["meetings"]) == [party]
    assert list(client.get(LIST_URL, {"kind": "extraordinary"}).context["meetings"]) == [council]
    assert list(client.get(LIST_URL, {"body": "HĐND", "year": "2025"}).context["meetings"]) == []


def test_list_filter_choices_come_from_published_meetings(client):
    make_meeting(date=datetime.date(2025, 7, 1))
    hidden = make_organization(code="AN", name="Cơ quan ẩn")
    make_meeting(
        term=make_term(body=hidden), date=datetime.date(2019, 1, 1), status=PublicationStatus.DRAFT
    )
    form = client.get(LIST_URL).context["filter"].form
    assert [c[0] for c in form.fields["body"].choices] == ["", "BCHTU"]
    assert [c[0] for c in form.fields["year"].widget.choices] == ["", "2025"]


@pytest.mark.parametrize("typed", ["BCHTU", "bchtu", " bchtu "])
def test_list_menus_keep_the_chosen_values(client, typed):
    make_meeting(date=datetime.date(2025, 7, 1))
    text = client.get(LIST_URL, {"body": typed, "year": "2025"}).text
    assert '<select name="body" id="id_body">' in text
    assert '<option value="BCHTU" selected>' in text
    assert '<option value="2025" selected>2025</option>' in text
    assert '<option value="" selected>Tất cả</option>' in text  # the kind, not chosen


@pytest.mark.parametrize(
    "query",
    [
        {"body": "KHONGCO"},
        {"year": "abc"},
        {"year": "1900"},
        {"kind": "party"},
        {"term": "17"},
        {"body": "x" * 10_000},
        {"term": "Đ" * 10_000},
    ],
)
def test_list_bad_filter_values_are_dropped_with_a_message(client, query):
    shown = make_meeting(title="Hội nghị công khai", date=datetime.date(2025, 7, 1))
    response = client.get(LIST_URL, query)
    assert response.status_code == 200
    text = response.content.decode()
    assert "Bỏ qua bộ lọc" in text
    assert list(response.context["meetings"]) == [shown]


@pytest.mark.parametrize("query", [{"body": "BCHTU\x00"}, {"year": "2025\x00"}])
def test_list_drops_nul_characters_from_filter_values(client, query):
    shown = make_meeting(date=datetime.date(2025, 7, 1))
    response = client.get(LIST_URL, query)
    assert list(response.context["meetings"]) == [shown]


def test_list_year_without_meetings_is_an_empty_list(client):
    make_meeting(date=datetime.date(2025, 7, 1))
    response = client.get(LIST_URL, {"year": "2026"})
    assert response.status_code == 200
    assert list(response.context["meetings"]) == []
    assert "Bỏ qua bộ lọc" not in response.content.decode()


@pytest.mark.parametrize(
    "query", [{"page": "99999"}, {"page": "abc"}, {"page": "0"}, {"page": "1\x00"}]
)
def test_list_bad_page_shows_a_page_with_a_message(client, query):
    shown = make_meeting()
    response = client.get(LIST_URL, query)
    assert response.status_code == 200
    assert list(response.context["meetings"]) == [shown]
    if query["page"] != "1\x00":  # NUL dropped: page 1, as asked
        assert "Không có trang" in response.content.decode()


def test_list_ignores_unknown_and_huge_parameters(client):
    make_meeting(title="Hội nghị công khai")
    response = client.get(LIST_URL, {"other": "x" * 10_000 + "\x00"})
    assert response.status_code == 200
    assert "Hội nghị công khai" in response.content.decode()


@pytest.mark.parametrize("q", ["x" * 10_000, "hội\x00nghị", "'; DROP TABLE meetings_meeting;--"])
def test_list_huge_or_odd_query_is_cut_and_searched(client, q):
    make_meeting(title="Hội nghị công khai")
    response = client.get(LIST_URL, {"q": q})
    assert response.status_code == 200
    assert len(response.context["filter"].form.cleaned_data["q"]) <= 200


def test_list_paginates(client):
    term = make_term()
    for n in range(25):
        make_meeting(
            term=term, number=n + 1, date=datetime.date(2020, 1, 1) + datetime.timedelta(n)
        )
    first = client.get(LIST_URL)
    assert len(first.context["meetings"]) == 20
    assert "Trang 1/2" in first.content.decode()
    second = client.get(LIST_URL, {"page": 2})
    assert len(second.context["meetings"]) == 5


def test_list_query_count_does_not_grow(client, django_assert_max_num_queries):
    populate(meetings=2, items=2)
    with django_assert_max_num_queries(8) as small:
        client.get(LIST_URL)
    populate_more = populate(meetings=6, items=5, start=100)
    assert populate_more
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(LIST_URL)
    assert len(response.context["meetings"]) == 8


# Detail -------------------------------------------------------------------------------


def test_detail_shows_meeting_chairs_agenda_documents_and_votes(client):
    meeting = make_meeting(
        title="Hội nghị lần thứ 23",
        date=datetime.date(2025, 7, 1),
        part_of_day="morning",
        place="Trụ sở Thành ủy",
    )
    chair = make_person(full_name="Bùi Thị Minh Hoài")
    make_position(chair, title="Bí thư Thành ủy", start_date=datetime.date(2024, 1, 1))
    make_position(chair, title="Chức danh cũ", end_date=datetime.date(2023, 12, 31))
    make_position(chair, title="Chức danh sau này", start_date=datetime.date(2026, 1, 1))
    make_participant(meeting, chair)
    presenter = make_person(full_name="Nguyễn Văn Phong")
    item2 = make_item(meeting, order="2", title="Đề án phân bổ đại biểu")
    item1 = make_item(meeting, order="1", title="Phương hướng nhân sự", presenter=presenter)
    item1.documents.add(make_document(number="12-TTr/TU", title="Tờ trình về nhân sự"))
    make_vote(meeting, question="Thông qua chương trình hội nghị")
    make_vote(
        meeting,
        agenda_item=item2,
        question="Thông qua đề án",
        votes_for=60,
        votes_against=2,
        abstentions=1,
        present=63,
        total=75,
        pass_rule=PassRule.MAJORITY_OF_MEMBERS,
    )

    response = client.get(meeting.get_absolute_url())
    assert response.context["meeting"] == meeting
    text = response.content.decode()
    assert "01/07/2025" in text and "Buổi sáng" in text and "Trụ sở Thành ủy" in text
    assert "XVII (nhiệm kỳ 2020–2025)" in text
    assert "Bùi Thị Minh Hoài" in text and "Bí thư Thành ủy" in text
    assert "Chức danh cũ" not in text and "Chức danh sau này" not in text
    assert "Chức danh vào ngày họp 01/07/2025." in text
    assert text.index("Phương hướng nhân sự") < text.index("Đề án phân bổ đại biểu")
    assert "Trình bày:" in text and "Nguyễn Văn Phong" in text
    assert "12-TTr/TU: Tờ trình về nhân sự" in text
    assert "Thông qua chương trình hội nghị" in text
    assert "Số phiếu không được công bố, chỉ công bố kết quả." in text
    assert '<td class="num" data-label="Tán thành">60</td>' in text
    assert "Quá nửa tổng số thành viên" in text


def test_detail_shows_per_person_votes_where_published(client):
    meeting = make_meeting()
    vote = make_vote(meeting, question="Bầu Ban Thường vụ")
    PersonVote.objects.create(vote=vote, person=make_person(full_name="Lê Văn A"), choice="for")
    PersonVote.objects.create(
        vote=vote, person=make_person(full_name="Trần Thị B"), choice="against"
    )
    text = client.get(meeting.get_absolute_url()).content.decode()
    assert "Phiếu của từng thành viên" in text
    assert "Lê Văn A</a>: Tán thành" in text and "Trần Thị B</a>: Không tán thành" in text


def test_detail_of_undated_meeting_uses_current_titles_and_says_so(client):
    meeting = make_meeting(date=None)
    chair = make_person(full_name="Trần Sỹ Thanh")
    make_position(chair, title="Chủ tịch UBND Thành phố")
    make_position(chair, title="Đã thôi", end_date=datetime.date(2020, 1, 1))
    make_participant(meeting, chair)
    text = client.get(meeting.get_absolute_url()).content.decode()
    assert "chưa có ngày" in text
    assert "đây là chức danh hiện nay" in text
    assert "Chủ tịch UBND Thành phố" in text and "Đã thôi" not in text


def test_detail_links_only_published_public_documents(client):
    meeting = make_meeting()
    item = make_item(meeting)
    item.documents.add(
        make_document(title="Văn bản công khai"),
        make_document(title="Văn bản nháp", status=PublicationStatus.DRAFT),
        make_document(title="Văn bản nội bộ", visibility="internal"),
    )
    text = client.get(meeting.get_absolute_url()).content.decode()
    assert "Văn bản công khai" in text
    assert "Văn bản nháp" not in text and "Văn bản nội bộ" not in text
    public = Document.objects.published().public().get()
    assert public.get_absolute_url() in text


@pytest.mark.parametrize("status", [PublicationStatus.DRAFT, PublicationStatus.ARCHIVED])
def test_detail_of_unpublished_meeting_is_not_found(client, status):
    meeting = make_meeting(status=status)
    assert client.get(meeting.get_absolute_url()).status_code == 404


def test_detail_redirects_other_spellings_to_the_canonical_url(client):
    meeting = make_meeting(number=23)
    assert meeting.get_absolute_url() == "/meetings/bchtu/xvii/23/"
    response = client.get("/meetings/BCHTU/XVII/23/")
    assert response.status_code == 301
    assert response["Location"] == "/meetings/bchtu/xvii/23/"


@pytest.mark.parametrize(
    "path",
    [
        "/meetings/bchtu/xvii/24/",
        "/meetings/hdnd/xvii/23/",
        "/meetings/bchtu/xvi/23/",
        "/meetings/bchtu/17/23/",
        "/meetings/bchtu/xvii%00/23/",
        "/meetings/bchtu%00/xvii/23/",
        "/meetings/bchtu/xvii/99999999999999999999/",
        "/meetings/" + "x" * 5000 + "/xvii/23/",
    ],
)
def test_detail_bad_urls_are_not_found(client, path):
    make_meeting(number=23)
    assert client.get(path).status_code == 404


def test_detail_query_count_does_not_grow(client, django_assert_max_num_queries):
    url = populate(meetings=1, items=1)[0].get_absolute_url()
    client.get(url)  # per-process caches: content types, the sample flag
    # meeting, participants, positions, agenda items, documents, votes, person votes, the
    # published projects discussed under the items (one query for all items) and the
    # meeting's public change log
    with django_assert_max_num_queries(9) as captured:
        client.get(url)
    big = make_meeting(number=99)
    for i in range(12):
        person = make_person()
        make_position(person, title="Ủy viên")
        make_position(person, title="Bí thư")
        make_participant(big, person)
        item = make_item(big, order=f"{i + 1}", presenter=make_person())
        item.documents.add(make_document(), make_document(), make_document())
        item.projects.add(make_project(f"Dự án {i}-a"), make_project(f"Dự án {i}-b"))
        make_vote(big, agenda_item=item)
        vote = make_vote(big, agenda_item=item, question="Lần hai")
        PersonVote.objects.create(vote=vote, person=make_person(), choice="for")
    url = big.get_absolute_url()
    with django_assert_max_num_queries(len(captured.captured_queries)):
        response = client.get(url)
    assert len(response.context["items"]) == 12
    assert all(len(row["projects"]) == 2 for row in response.context["items"])


def make_project(name, **kwargs):
    """A project discussed at a meeting (the link is Project.agenda_items, reverse
    `projects`)."""
    values = {"name": name, "sector": "bridge", "status": PublicationStatus.PUBLISHED}
    return Project.objects.create(**(values | kwargs))


def test_detail_lists_published_projects_discussed_under_each_item(client):
    meeting = make_meeting()
    report = make_item(meeting, order="1", title="Báo cáo kinh tế - xã hội")
    other = make_item(meeting, order="2", title="Nhân sự")
    ring_road = make_project("Vành đai 4")
    report.projects.add(
        ring_road,
        make_project("Dự án nháp", status=PublicationStatus.DRAFT),
        make_project("Dự án lưu trữ", status=PublicationStatus.ARCHIVED),
    )

    response = client.get(meeting.get_absolute_url())
    text = response.content.decode()
    rows = {row["item"]: row["projects"] for row in response.context["items"]}
    assert rows == {report: [ring_road], other: []}
    assert "Dự án được bàn" in text
    assert f'<a href="{ring_road.get_absolute_url()}">Vành đai 4</a>' in text
    assert "Dự án nháp" not in text and "Dự án lưu trữ" not in text
    # The heading only where an item has published projects.
    assert text.count("Dự án được bàn") == 1


# Home ---------------------------------------------------------------------------------


def test_home_lists_latest_published_meetings(client, django_assert_max_num_queries):
    populate(meetings=4, items=2)
    make_meeting(title="Hội nghị nháp trên trang chủ", status=PublicationStatus.DRAFT)
    with django_assert_max_num_queries(3):
        from meetings.templatetags.meetings_home import latest_meetings

        context = latest_meetings()
    assert len(context["meetings"]) == 3
    text = client.get(reverse("portal:home")).content.decode()
    assert "Hội nghị mới nhất" in text
    assert "Hội nghị nháp trên trang chủ" not in text
    assert "2 nội dung" in text


def test_detail_time_without_part_of_day_reads_as_the_times(client):
    meeting = make_meeting(
        date=datetime.date(2025, 7, 1),
        start_time=datetime.time(9, 0),
        end_time=datetime.time(12, 0),
    )
    text = client.get(meeting.get_absolute_url()).content.decode()
    assert "<td>09:00 – 12:00</td>" in text
    assert "Không nêu" not in text


def test_detail_without_time_has_no_time_row(client):
    meeting = make_meeting(date=datetime.date(2025, 7, 1))
    text = client.get(meeting.get_absolute_url()).content.decode()
    assert "Thời gian" not in text
