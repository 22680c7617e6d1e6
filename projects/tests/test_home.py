import datetime
from decimal import Decimal

import pytest
from django.template import Context, Template

from portal.publication import PublicationStatus
from projects.models import Sector
from projects.templatetags.projects_home import HOME_LIMIT

from .factories import make_project, make_update, make_updates

pytestmark = pytest.mark.django_db


def render_tag() -> str:
    return Template("{% load projects_home %}{% key_projects %}").render(Context())


def test_home_section_lists_key_projects_and_those_behind():
    programme = make_project(name="6 cây cầu", is_key=True)
    make_project(name="Cầu Hồng Hà", is_key=True, parent=programme)
    line = make_project(name="Tuyến Metro số 2")
    make_project(name="Metro số 2, đoạn Nam Thăng Long – Trần Hưng Đạo", is_key=True, parent=line)
    late = make_project(name="Vành đai 4", is_key=True, planned_finish=datetime.date(2020, 1, 1))
    make_update(late, date=datetime.date(2019, 6, 1), physical_percent=Decimal("80"))
    make_project(
        name="Các dự án nhà máy xử lý nước thải",
        sector=Sector.WASTEWATER_TREATMENT,
        behind_stated=True,
        behind_statement="Còn chưa đạt tiến độ đề ra.",
    )
    make_project(name="Dự án thường")

    html = render_tag()

    assert '<section class="card key-projects" aria-labelledby="key-projects-title">' in html
    key_part, behind_part = html.split("Đang chậm tiến độ")
    # A key programme stands for its key parts; a key section of a plain line shows itself.
    assert "6 cây cầu" in key_part
    assert "Cầu Hồng Hà" not in key_part
    assert "Metro số 2, đoạn Nam Thăng Long – Trần Hưng Đạo" in key_part
    assert "Vành đai 4" in key_part
    assert "Hoàn thành 80%" in key_part
    assert "Dự án thường" not in html
    assert "Vành đai 4" in behind_part
    assert "Các dự án nhà máy xử lý nước thải" in behind_part


def test_home_section_hides_drafts():
    make_project(name="Dự án trọng điểm nháp", is_key=True, status=PublicationStatus.DRAFT)
    make_project(
        name="Dự án chậm nháp",
        status=PublicationStatus.DRAFT,
        behind_stated=True,
        behind_statement="Chậm.",
    )

    html = render_tag()

    assert "nháp" not in html
    assert "Chưa có dự án trọng điểm nào được công bố." in html


def test_key_part_of_a_draft_programme_shows_itself():
    programme = make_project(name="Chương trình nháp", is_key=True, status="draft")
    make_project(name="Cầu Vân Phúc", is_key=True, parent=programme)

    html = render_tag()

    assert "Cầu Vân Phúc" in html
    assert "Chương trình nháp" not in html


def test_home_page_includes_the_section(client):
    make_project(name="Vành đai 4", is_key=True)

    response = client.get("/")

    assert "Vành đai 4" in response.content.decode()


def test_home_section_costs_one_query(django_assert_num_queries):
    for i in range(6):
        project = make_project(name=f"Dự án {i}", is_key=True)
        make_updates(project, 10)

    with django_assert_num_queries(1):
        html = render_tag()
    assert html.count("<li>") >= 6


def test_home_section_shows_the_first_projects_behind_and_links_to_all():
    for n in range(HOME_LIMIT + 3):
        make_project(
            name=f"Dự án cải tạo chung cư cũ số {n:02}",
            behind_stated=True,
            behind_statement="Chậm giải phóng mặt bằng.",
        )
    make_project(name="Cầu Tứ Liên", is_key=True, planned_finish=datetime.date(2020, 1, 1))

    html = render_tag()

    behind_part = html.split("Đang chậm tiến độ")[1]
    assert behind_part.count("<li>") == HOME_LIMIT
    # Key projects first, then by name, as on the list it links to.
    assert "Cầu Tứ Liên" in behind_part
    assert f"số {HOME_LIMIT - 2:02}" in behind_part
    assert f"số {HOME_LIMIT - 1:02}" not in behind_part
    assert "?schedule=behind" in behind_part
