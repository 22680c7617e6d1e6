"""The folded search column of projects now covers the description too (site search)."""

import pytest

from projects.models import Project

from .factories import make_project

pytestmark = pytest.mark.django_db


def test_search_text_covers_name_code_location_and_description():
    project = make_project(
        name="Cầu Trần Hưng Đạo", code="CTHD", location="Hoàn Kiếm", description="Vượt SÔNG Hồng"
    )

    stored = Project.objects.get(pk=project.pk)
    assert stored.search_text == "cau tran hung dao cthd hoan kiem vuot song hong"
    assert list(Project.objects.matching(["song", "hong"])) == [stored]


def test_list_q_finds_by_description_without_diacritics(client):
    project = make_project(name="Dự án A", description="Cải tạo sông Tô Lịch")
    make_project(name="Dự án B")

    response = client.get("/projects/", {"q": "TO LICH"})

    assert [p for p, _schedule in response.context["rows"]] == [project]
