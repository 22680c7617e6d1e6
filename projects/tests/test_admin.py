import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from portal.publication import PublicationStatus
from portal.tests.factories import make_staff
from projects.models import ProgressUpdate, Project

from .factories import make_project, make_update, make_updates

pytestmark = pytest.mark.django_db

EDITOR_PERMISSIONS = [
    "projects.view_project",
    "projects.add_project",
    "projects.change_project",
    "projects.view_progressupdate",
    "projects.add_progressupdate",
    "projects.change_progressupdate",
    "projects.add_milestone",
    "projects.change_milestone",
    "projects.view_milestone",
]


@pytest.fixture
def editor_client(client):
    client.force_login(make_staff(*EDITOR_PERMISSIONS))
    return client


def inline_management(prefix: str, total: int = 1) -> dict:
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def project_form(**overrides) -> dict:
    data = {
        "name": "Cầu Vân Phúc",
        "code": "",
        "slug": "",
        "sector": "bridge",
        "location": "",
        "geometry": "",
        "description": "",
        "stage": "",
        "behind_statement": "",
        **inline_management("progress_updates"),
        **inline_management("milestones"),
        "milestones-0-name": "",
    }
    return data | overrides


def test_changelist_shows_computed_columns(editor_client):
    project = make_project(
        name="Vành đai 4",
        planned_start=datetime.date(2022, 1, 1),
        planned_finish=datetime.date(2023, 1, 1),
    )
    make_update(project, date=datetime.date(2022, 12, 1), physical_percent=Decimal("72.5"))

    response = editor_client.get(reverse("admin:projects_project_changelist"))

    html = response.content.decode()
    assert "Vành đai 4" in html
    assert "72,5%" in html
    assert "Chậm tiến độ" in html


def test_changelist_query_count_does_not_grow(editor_client, django_assert_max_num_queries):
    for i in range(3):
        make_updates(make_project(name=f"Dự án {i}", parent=make_project()), 3)
    url = reverse("admin:projects_project_changelist")
    editor_client.get(url)
    with django_assert_max_num_queries(12) as few:
        editor_client.get(url)
    for i in range(10):
        make_updates(make_project(name=f"Dự án thêm {i}", parent=make_project()), 10)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = editor_client.get(url)
    assert response.context["cl"].result_count == 26


def test_search_finds_without_diacritics(editor_client):
    make_project(name="Xử lý ô nhiễm sông Tô Lịch")
    make_project(name="Cầu Mễ Sở")

    response = editor_client.get(reverse("admin:projects_project_changelist"), {"q": "to lich"})

    assert [p.name for p in response.context["cl"].result_list] == ["Xử lý ô nhiễm sông Tô Lịch"]


def test_add_project_with_an_update_inline(editor_client):
    data = project_form(
        **{
            "progress_updates-0-date": "30/06/2025",
            "progress_updates-0-physical_percent": "35",
            "progress_updates-0-note": "",
            "progress_updates-0-source_text": "Báo cáo của chủ đầu tư",
        }
    )

    response = editor_client.post(reverse("admin:projects_project_add"), data)

    assert response.status_code == 302, response.context["errors"]
    project = Project.objects.get()
    assert project.slug == "cau-van-phuc"
    assert project.status == PublicationStatus.DRAFT
    assert project.progress_updates(manager="all_objects").get().physical_percent == Decimal(35)
    assert project.history.count() == 1


@pytest.mark.parametrize(("value", "shown"), [("120", "120%"), ("-5", "-5%")])
def test_inline_refuses_an_impossible_percent_with_a_clear_message(editor_client, value, shown):
    data = project_form(
        **{
            "progress_updates-0-date": "30/06/2025",
            "progress_updates-0-physical_percent": value,
        }
    )

    response = editor_client.post(reverse("admin:projects_project_add"), data)

    assert response.status_code == 200
    assert f"Tỷ lệ phải từ 0% đến 100%; đã nhập {shown}." in response.content.decode()
    assert not Project.objects.exists()
    assert not ProgressUpdate.objects.exists()


def test_stated_delay_needs_its_source_in_the_form(editor_client):
    response = editor_client.post(
        reverse("admin:projects_project_add"), project_form(behind_stated="on")
    )

    assert response.status_code == 200
    assert "hãy trích câu nguồn" in response.content.decode()


def test_bad_geometry_is_refused_in_the_form(editor_client):
    response = editor_client.post(
        reverse("admin:projects_project_add"),
        project_form(geometry='{"type": "Point", "coordinates": [21.03, 105.85]}'),
    )

    assert response.status_code == 200
    assert "vĩ độ 105.85 nằm ngoài khoảng" in response.content.decode()


def test_editor_cannot_publish(editor_client):
    response = editor_client.post(
        reverse("admin:projects_project_add"), project_form(status="published")
    )

    assert response.status_code == 302
    assert Project.objects.get().status == PublicationStatus.DRAFT


def test_progress_update_changelist(editor_client, django_assert_max_num_queries):
    make_updates(make_project(name="Metro số 5"), 5)

    with django_assert_max_num_queries(10):
        response = editor_client.get(reverse("admin:projects_progressupdate_changelist"))

    assert response.context["cl"].result_count == 5
    assert "Metro số 5" in response.content.decode()


def test_add_form_renders_with_inlines(editor_client):
    response = editor_client.get(reverse("admin:projects_project_add"))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Chậm tiến độ theo nguồn chính thức" in html
    assert 'name="progress_updates-0-physical_percent"' in html
    assert 'name="milestones-0-name"' in html


def test_parent_and_owner_are_searched_not_listed(editor_client):
    programme = make_project(name="6 cây cầu")
    editor_client.force_login(make_staff(*EDITOR_PERMISSIONS, "portal.view_organization"))

    response = editor_client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "projects",
            "model_name": "project",
            "field_name": "parent",
            "term": "cay cau",
        },
    )

    assert [r["text"] for r in response.json()["results"]] == [programme.name]


def test_changelist_filters_by_the_schedule_rule(editor_client):
    make_project(name="Chậm", behind_stated=True, behind_statement="Chậm tiến độ.")
    make_project(name="Chưa rõ")

    response = editor_client.get(
        reverse("admin:projects_project_changelist"), {"schedule": "behind"}
    )

    assert [p.name for p in response.context["cl"].result_list] == ["Chậm"]
