import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from documents.models import Visibility
from meetings.tests.factories import make_item, make_meeting, make_organization, make_term
from portal.publication import PublicationStatus
from projects.models import Sector, Stage

from .factories import make_document, make_milestone, make_project, make_update, make_updates

pytestmark = pytest.mark.django_db

LIST = reverse("projects:list")


def names(response) -> list[str]:
    return [project.name for project, _schedule in response.context["rows"]]


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


@pytest.fixture
def projects():
    late = make_project(
        name="Vành đai 4",
        sector=Sector.RING_ROAD,
        is_key=True,
        stage=Stage.UNDER_CONSTRUCTION,
        planned_start=datetime.date(2022, 1, 1),
        planned_finish=datetime.date(2024, 1, 1),
    )
    make_update(late, date=datetime.date(2023, 12, 1), physical_percent=Decimal("62.5"))
    plant = make_project(
        name="Các dự án nhà máy xử lý rác thải",
        sector=Sector.WASTE_TREATMENT,
        behind_stated=True,
        behind_statement="Các dự án nhà máy xử lý rác thải, nước thải còn chưa đạt tiến độ đề ra.",
    )
    river = make_project(name="Xử lý ô nhiễm sông Tô Lịch", sector=Sector.RIVER_REMEDIATION)
    return {"late": late, "plant": plant, "river": river}


def test_list_shows_each_project_with_progress_text_and_schedule(client, projects):
    response = client.get(LIST)

    assert names(response) == [
        "Vành đai 4",
        "Các dự án nhà máy xử lý rác thải",
        "Xử lý ô nhiễm sông Tô Lịch",
    ]
    html = response.content.decode()
    assert "Hoàn thành 62,5%" in html
    assert '<rect class="progress__fill" width="62.5%"' in html
    assert html.count("Khối lượng: chưa có số liệu") == 2
    assert html.count("Chậm tiến độ</span>") == 2
    assert "Chưa đủ thông tin để đánh giá</span>" in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("sector=ring_road", ["Vành đai 4"]),
        ("sector=river_remediation", ["Xử lý ô nhiễm sông Tô Lịch"]),
        ("stage=under_construction", ["Vành đai 4"]),
        ("stage=none", ["Các dự án nhà máy xử lý rác thải", "Xử lý ô nhiễm sông Tô Lịch"]),
        ("key=yes", ["Vành đai 4"]),
        ("key=no", ["Các dự án nhà máy xử lý rác thải", "Xử lý ô nhiễm sông Tô Lịch"]),
        ("schedule=behind", ["Vành đai 4", "Các dự án nhà máy xử lý rác thải"]),
        ("schedule=unknown", ["Xử lý ô nhiễm sông Tô Lịch"]),
        ("schedule=on_schedule", []),
        ("schedule=behind&key=yes", ["Vành đai 4"]),
        ("q=to lich", ["Xử lý ô nhiễm sông Tô Lịch"]),
        ("q=TÔ LỊCH", ["Xử lý ô nhiễm sông Tô Lịch"]),
        ("q=vanh dai", ["Vành đai 4"]),
    ],
)
def test_list_filters(client, projects, query, expected):
    response = client.get(f"{LIST}?{query}")

    assert names(response) == expected
    assert messages_of(response) == []


def test_list_menus_keep_the_chosen_values(client, projects):
    text = client.get(f"{LIST}?sector=ring_road&key=yes").text
    assert '<option value="ring_road" selected>Đường vành đai</option>' in text
    assert '<option value="yes" selected>Chỉ dự án trọng điểm</option>' in text
    assert '<option value="road">Đường giao thông</option>' in text


NOT_A_CHOICE = "Giá trị không có trong danh sách lựa chọn."


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("sector=metro", "Bỏ qua bộ lọc “Lĩnh vực”: " + NOT_A_CHOICE),
        ("stage=xyz", "Bỏ qua bộ lọc “Tình trạng thực hiện”: " + NOT_A_CHOICE),
        ("key=maybe", "Bỏ qua bộ lọc “Dự án trọng điểm”: " + NOT_A_CHOICE),
        ("schedule=late", "Bỏ qua bộ lọc “Tiến độ”: " + NOT_A_CHOICE),
        ("key=x%00", "Bỏ qua bộ lọc “Dự án trọng điểm”: " + NOT_A_CHOICE),
        ("q=" + "a" * 10_000, "Từ khóa quá dài; chỉ tìm theo 200 ký tự đầu."),
        ("page=99999", "Không có trang “99999”; đang hiển thị trang 1."),
        ("page=abc", "Không có trang “abc”; đang hiển thị trang 1."),
        ("page=x%00", "Không có trang “x”; đang hiển thị trang 1."),
    ],
)
def test_bad_input_gives_a_message_not_an_error(client, projects, query, message):
    response = client.get(f"{LIST}?{query}")

    assert response.status_code == 200
    assert messages_of(response) == [message]
    if not query.startswith("q="):
        assert len(names(response)) == 3
    # The bad value is not echoed back into the filter form.
    html = response.content.decode()
    form = html[html.index('<form class="filters"') :]
    form = form[: form.index("</form>")]
    assert "\x00" not in form
    assert "a" * 201 not in form


def test_an_invalid_filter_keeps_the_valid_ones(client, projects):
    response = client.get(f"{LIST}?sector=metro&key=yes")

    assert names(response) == ["Vành đai 4"]
    assert "Giá trị không có trong danh sách lựa chọn." in response.content.decode()


def test_list_paginates_and_keeps_filters(client):
    for i in range(25):
        make_project(name=f"Cầu {i:02d}", sector=Sector.BRIDGE)

    first = client.get(f"{LIST}?sector=bridge")
    second = client.get(f"{LIST}?sector=bridge&page=2")

    assert len(names(first)) == 20
    assert 'href="?sector=bridge&amp;page=2"' in first.content.decode()
    assert names(second) == ["Cầu 20", "Cầu 21", "Cầu 22", "Cầu 23", "Cầu 24"]


def test_drafts_are_hidden_from_the_list(client, projects):
    make_project(name="Dự án nháp", status=PublicationStatus.DRAFT)
    make_project(name="Dự án lưu trữ", status=PublicationStatus.ARCHIVED)

    response = client.get(LIST)

    assert "Dự án nháp" not in names(response)
    assert "Dự án lưu trữ" not in names(response)
    assert "Dự án nháp" not in response.content.decode()


def test_a_draft_programme_is_not_named_on_its_parts(client):
    programme = make_project(name="Chương trình nháp", status=PublicationStatus.DRAFT)
    make_project(name="Cầu công bố", parent=programme)

    response = client.get(LIST)

    assert names(response) == ["Cầu công bố"]
    assert "Chương trình nháp" not in response.content.decode()


def test_list_query_count_does_not_grow_with_updates(client, django_assert_max_num_queries):
    for i in range(5):
        programme = make_project(name=f"Chương trình {i}")
        project = make_project(name=f"Cầu {i}", parent=programme, is_key=True)
        make_updates(project, 12)

    client.get(LIST)  # per-process caches: content types, the sample flag
    # count, page (annotated with subqueries), and the schedule filter's one pass.
    with django_assert_max_num_queries(3):
        response = client.get(f"{LIST}?schedule=on_schedule&sector=bridge")
    assert response.status_code == 200
    with django_assert_max_num_queries(2):
        response = client.get(LIST)
    assert len(names(response)) == 10


@pytest.fixture
def detailed():
    approval = make_document(number="1234/QĐ-UBND", title="Phê duyệt dự án cầu")
    draft = make_document(number="99/QĐ-UBND", title="Văn bản nháp", status="draft")
    internal = make_document(
        number="98/QĐ-UBND", title="Văn bản nội bộ", visibility=Visibility.INTERNAL
    )
    programme = make_project(name="6 cây cầu", slug="6-cay-cau", is_key=True)
    project = make_project(
        name="Cầu Trần Hưng Đạo",
        slug="cau-tran-hung-dao",
        parent=programme,
        is_key=True,
        stage=Stage.UNDER_CONSTRUCTION,
        location="Hoàn Kiếm – Long Biên",
        total_investment=Decimal("15000000000000"),
        planned_start=datetime.date(2024, 1, 1),
        planned_finish=datetime.date(2027, 1, 1),
        approval_document=approval,
    )
    project.documents.add(draft, internal)
    make_update(project, date=datetime.date(2024, 6, 30), physical_percent=Decimal(10))
    make_update(
        project,
        date=datetime.date(2025, 6, 30),
        physical_percent=Decimal("45.5"),
        disbursed_amount=Decimal("2000000000"),
        source_document=draft,
        source_text="Báo cáo của chủ đầu tư",
    )
    make_milestone(
        project,
        name="Khởi công",
        planned_on=datetime.date(2024, 1, 1),
        actual_on=datetime.date(2024, 2, 1),
    )
    make_milestone(project, name="Thông xe", planned_on=datetime.date(2027, 1, 1))
    return {"programme": programme, "project": project}


def test_detail_shows_facts_chart_table_milestones_and_documents(client, detailed):
    response = client.get(detailed["project"].get_absolute_url())
    html = response.content.decode()

    assert response.context["project"] == detailed["project"]
    assert "<h1>Cầu Trần Hưng Đạo</h1>" in html
    # Facts table.
    assert "Đang thi công" in html
    assert "Hoàn Kiếm – Long Biên" in html
    assert "15.000.000.000.000 đồng" in html
    assert "Kế hoạch: 01/01/2027" in html
    assert 'href="/projects/6-cay-cau/">6 cây cầu</a>' in html
    # Progress bar text and schedule in words.
    assert "Hoàn thành 45,5%" in html
    assert "Đúng tiến độ" in html
    # Accessible chart, with the same data in a table.
    assert 'role="img"' in html
    assert 'aria-labelledby="chart-title chart-desc"' in html
    assert '<title id="chart-title">' in html
    assert "2 lần cập nhật, từ 10% ngày 30/06/2024 đến 45,5% ngày 30/06/2025." in html
    assert "<polyline" in html
    assert '<th scope="row">30/06/2025</th>' in html
    assert "2.000.000.000 đồng" in html
    assert "Báo cáo của chủ đầu tư" in html
    # Milestones as an ordered timeline.
    timeline = html[html.index('<ol class="timeline">') :]
    assert timeline.index("Khởi công") < timeline.index("Thông xe")
    assert "thực hiện 01/02/2024" in timeline
    assert "chưa thực hiện" in timeline
    # Only the published, public document is linked.
    assert [d.number for d in response.context["documents"]] == ["1234/QĐ-UBND"]
    assert "Phê duyệt dự án cầu" in html
    assert "Văn bản nháp" not in html
    assert "Văn bản nội bộ" not in html
    assert "99/QĐ-UBND" not in html


def test_a_programme_lists_its_published_parts(client, detailed):
    make_project(name="Cầu nháp", parent=detailed["programme"], status="draft")

    response = client.get(detailed["programme"].get_absolute_url())

    children = [child.name for child, _schedule in response.context["children"]]
    assert children == ["Cầu Trần Hưng Đạo"]
    assert "Cầu nháp" not in response.content.decode()
    assert "Chưa có số liệu khối lượng hoàn thành." in response.content.decode()


def test_stated_delay_is_shown_with_its_source(client):
    report = make_document(number="", title="Báo cáo tình hình kinh tế - xã hội 6 tháng")
    project = make_project(
        name="Các dự án nhà máy xử lý nước thải",
        behind_stated=True,
        behind_statement="Các dự án nhà máy xử lý rác thải, nước thải còn chưa đạt tiến độ đề ra.",
        behind_stated_in=report,
    )

    html = client.get(project.get_absolute_url()).content.decode()

    assert "Chậm tiến độ" in html
    assert "<q>Các dự án nhà máy xử lý rác thải, nước thải còn chưa đạt tiến độ đề ra.</q>" in html
    assert "Báo cáo tình hình kinh tế - xã hội 6 tháng" in html
    assert "Dự án chưa có cập nhật tiến độ nào." in html


def test_stale_notice(client, settings):
    settings.PORTAL_PROJECT_STALE_DAYS = 30
    project = make_project()
    make_update(project, date=datetime.date(2020, 1, 1))

    html = client.get(project.get_absolute_url()).content.decode()

    assert (
        "Số liệu có thể đã cũ: lần cập nhật gần nhất là ngày 01/01/2020, đã hơn 30 ngày." in html
    )


def test_no_stale_notice_for_a_recent_update(client):
    project = make_project()
    make_update(project, date=datetime.date.today())

    html = client.get(project.get_absolute_url()).content.decode()

    assert "Số liệu có thể đã cũ" not in html
    assert "chưa có cập nhật" not in html


@pytest.mark.parametrize("status", [PublicationStatus.DRAFT, PublicationStatus.ARCHIVED])
def test_unpublished_detail_is_404(client, status):
    project = make_project(status=status)

    response = client.get(project.get_absolute_url())

    assert response.status_code == 404


@pytest.mark.parametrize("slug", ["khong-co", "a" * 150, "%00"])
def test_unknown_slug_is_404(client, slug):
    response = client.get(f"/projects/{slug}/")

    assert response.status_code == 404


@pytest.mark.parametrize("count", [1, 30])
def test_detail_query_count_does_not_grow_with_updates(
    client, detailed, count, django_assert_max_num_queries
):
    project = detailed["project"]
    make_updates(project, count, start=datetime.date(2020, 1, 1))
    for i in range(count):
        make_milestone(project, name=f"Mốc {i}")
        make_project(name=f"Phần {i}", parent=project)
        # Each in its own published meeting (own body and term), with a sourced update.
        meeting = make_meeting(term=make_term(body=make_organization(code=f"HN{i}")), number=i + 1)
        project.agenda_items.add(make_item(meeting, title=f"Nội dung {i}"))
        make_update(
            project, date=datetime.date(2019, 1, 1) - datetime.timedelta(i), meeting=meeting
        )

    client.get(project.get_absolute_url())  # per-process caches: content types, sample flag
    # project, updates (with meetings), milestones, changes, agenda items (with meetings),
    # children, documents, its public change log
    with django_assert_max_num_queries(8):
        response = client.get(project.get_absolute_url())
    assert len(response.context["updates"]) == 2 * count + 2
    assert len(response.context["project"].public_agenda_items) == count
