"""Projects discussed at meetings (agenda items) and meetings as the source of a figure."""

import ast
import datetime
import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from meetings import demo as meetings_demo
from meetings.models import AgendaItem, Meeting
from meetings.tests.factories import make_item, make_meeting
from portal import demo as portal_demo
from portal.publication import PublicationStatus
from portal.tests.factories import make_staff, row_counts
from projects import demo
from projects.models import ProgressUpdate, Project

from .factories import make_project, make_update
from .test_admin import EDITOR_PERMISSIONS, project_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def conference():
    meeting = make_meeting(title="Hội nghị lần thứ 23 công bố", date=datetime.date(2025, 7, 5))
    return make_item(meeting, order="6", title="Báo cáo kinh tế - xã hội 6 tháng")


@pytest.fixture
def draft_item():
    meeting = make_meeting(title="Hội nghị nháp kín", status=PublicationStatus.DRAFT)
    return make_item(meeting, order="1", title="Nội dung của hội nghị nháp")


# Model --------------------------------------------------------------------------------


def test_meetings_never_import_projects_at_module_level():
    """The link runs projects → meetings at module level (a project cites the agenda items
    it was discussed at); the meeting page imports Project where it shows them, inside the
    function, so the two apps never import each other in a circle."""
    for path in Path("meetings").rglob("*.py"):
        if "tests" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:
            if isinstance(node, ast.ImportFrom):
                assert not (node.module or "").startswith("projects"), path
            elif isinstance(node, ast.Import):
                assert not any(a.name.startswith("projects") for a in node.names), path


def test_agenda_items_link_both_ways(conference):
    project = make_project(name="Vành đai 4")
    project.agenda_items.add(conference)
    assert list(conference.projects.all()) == [project]
    # Deleting the meeting removes its items and so the link, never the project.
    conference.meeting.delete()
    assert project.agenda_items.count() == 0
    assert Project.objects.filter(pk=project.pk).exists()


def test_update_meeting_is_public_only_when_published(conference, draft_item):
    project = make_project()
    shown = make_update(project, meeting=conference.meeting)
    hidden = make_update(project, date=datetime.date(2025, 1, 1), meeting=draft_item.meeting)
    assert shown.public_meeting == conference.meeting
    assert hidden.public_meeting is None
    assert make_update(project, date=datetime.date(2024, 1, 1)).public_meeting is None
    conference.meeting.delete()
    shown.refresh_from_db()
    assert shown.meeting is None


# Public project page --------------------------------------------------------------------


def test_detail_lists_where_the_project_was_discussed(client, conference):
    project = make_project(name="Cầu Trần Hưng Đạo")
    project.agenda_items.add(conference)
    response = client.get(project.get_absolute_url())
    html = response.content.decode()
    assert "Được bàn tại" in html
    meeting_url = conference.meeting.get_absolute_url()
    assert f'<a href="{meeting_url}">Hội nghị lần thứ 23 công bố</a>' in html
    assert f'href="{meeting_url}#item-{conference.pk}">6. Báo cáo kinh tế - xã hội 6 tháng' in html
    assert "05/07/2025" in html


def test_detail_hides_items_of_draft_meetings(client, conference, draft_item):
    project = make_project()
    project.agenda_items.add(draft_item)
    html = client.get(project.get_absolute_url()).content.decode()
    assert "Hội nghị nháp kín" not in html and "Nội dung của hội nghị nháp" not in html
    assert "Chưa có hội nghị nào được công bố đã bàn về dự án này." in html
    project.agenda_items.add(conference)
    response = client.get(project.get_absolute_url())
    assert response.context["project"].public_agenda_items == [conference]


def test_update_row_links_only_a_published_meeting(client, conference, draft_item):
    project = make_project()
    make_update(project, physical_percent=Decimal(30), meeting=conference.meeting)
    make_update(
        project,
        date=datetime.date(2025, 1, 31),
        physical_percent=Decimal(20),
        meeting=draft_item.meeting,
    )
    html = client.get(project.get_absolute_url()).content.decode()
    assert f'<a href="{conference.meeting.get_absolute_url()}">' in html
    assert "Hội nghị nháp kín" not in html
    assert draft_item.meeting.get_absolute_url() not in html


# Admin --------------------------------------------------------------------------------


@pytest.fixture
def editor_client(client):
    client.force_login(make_staff(*EDITOR_PERMISSIONS, "meetings.view_meeting"))
    return client


def test_admin_picks_agenda_items_labelled_with_their_meeting(
    editor_client, conference, django_assert_max_num_queries
):
    for n in range(5):
        make_item(make_meeting(title=f"Hội nghị {n}"), order="1", title=f"Nội dung {n}")
    project = make_project(status=PublicationStatus.DRAFT)  # editors change drafts
    url = reverse("admin:projects_project_change", args=[project.pk])
    with django_assert_max_num_queries(30) as small:
        response = editor_client.get(url)
    html = response.content.decode()
    assert 'name="agenda_items"' in html and "selectfilter" in html
    assert "Hội nghị lần thứ 23 công bố — 6. Báo cáo kinh tế - xã hội 6 tháng" in html
    # More items cost no more queries (one query lists them with their meetings).
    for n in range(10):
        make_item(make_meeting(title=f"Hội nghị thêm {n}"), order="1")
    with django_assert_max_num_queries(len(small.captured_queries)):
        editor_client.get(url)


def test_admin_saves_agenda_items_and_an_update_meeting(editor_client, conference):
    data = project_form(
        agenda_items=[str(conference.pk)],
        **{
            "progress_updates-0-date": "30/06/2025",
            "progress_updates-0-physical_percent": "35",
            "progress_updates-0-note": "",
            "progress_updates-0-source_text": "",
            "progress_updates-0-meeting": str(conference.meeting.pk),
        },
    )
    response = editor_client.post(reverse("admin:projects_project_add"), data)
    assert response.status_code == 302, response.context["errors"]
    project = Project.objects.get()
    assert list(project.agenda_items.all()) == [conference]
    assert project.progress_updates(manager="all_objects").get().meeting == conference.meeting


def test_update_meeting_is_searched_not_listed(editor_client, conference):
    project = make_project(status=PublicationStatus.DRAFT)  # editors change drafts
    make_update(project, meeting=conference.meeting)
    html = editor_client.get(
        reverse("admin:projects_project_change", args=[project.pk])
    ).content.decode()
    assert 'name="progress_updates-0-meeting"' in html and "admin-autocomplete" in html
    found = editor_client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "projects",
            "model_name": "progressupdate",
            "field_name": "meeting",
            "term": "lần thứ 23",
        },
    ).json()
    assert [r["text"] for r in found["results"]] == ["Hội nghị lần thứ 23 công bố"]


# Demo ---------------------------------------------------------------------------------

DISCUSSED = {
    "vanh-dai-4",
    "metro-so-2-nam-thang-long-tran-hung-dao",
    "metro-so-5-van-cao-hoa-lac",
    "6-cay-cau",
    "cau-hong-ha",
    "cau-me-so",
    "cau-thuong-cat",
    "cau-ngoc-hoi",
    "cau-tran-hung-dao",
    "cau-van-phuc",
    "nha-may-xu-ly-rac-thai",
    "nha-may-xu-ly-nuoc-thai",
    "xu-ly-o-nhiem-song-noi-do",
}


def test_demo_links_the_socio_economic_report_item_idempotently():
    portal_demo.load()
    meetings_demo.load()
    counts = demo.load()
    assert counts["discussed at meetings"] == len(DISCUSSED)
    item = AgendaItem.objects.get(meeting__number=23, order="6")
    assert item.title.startswith("Báo cáo tình hình thực hiện nhiệm vụ phát triển kinh tế")
    assert set(item.projects.values_list("slug", flat=True)) == DISCUSSED
    assert not Project.objects.get(slug="metro-so-2").agenda_items.exists()
    links = Project.agenda_items.through.objects.count()
    history = Project.history.count()
    demo.load()
    assert Project.agenda_items.through.objects.count() == links
    assert Project.history.count() == history


def test_demo_page_shows_the_conference(client):
    portal_demo.load()
    meetings_demo.load()
    demo.load()
    html = client.get("/projects/vanh-dai-4/").content.decode()
    meeting = Meeting.objects.get(number=23)
    assert f'<a href="{meeting.get_absolute_url()}">{meeting.title}</a>' in html


def test_load_demo_twice_changes_no_row_nor_history():
    call_command("load_demo", verbosity=0, stdout=io.StringIO())
    first = row_counts()
    call_command("load_demo", verbosity=0, stdout=io.StringIO())
    assert row_counts() == first
    assert first["projects.Project_agenda_items"] == len(DISCUSSED)
    assert first["indicators.Value"] > 0
    assert first["indicators.HistoricalValue"] == first["indicators.Value"]
    # One record for each project created and one for each link it was given.
    links = first["projects.Project_documents"] + first["projects.Project_agenda_items"]
    assert first["projects.HistoricalProject"] == first["projects.Project"] + links
    assert ProgressUpdate.objects.count() == 0  # the article gives no progress figure


def test_admin_history_keeps_who_linked_and_unlinked_an_agenda_item(editor_client, conference):
    project = make_project(status=PublicationStatus.DRAFT)  # editors change drafts
    url = reverse("admin:projects_project_change", args=[project.pk])
    linked = editor_client.post(url, project_form(agenda_items=[str(conference.pk)]))
    assert linked.status_code == 302
    assert editor_client.post(url, project_form()).status_code == 302

    records = list(project.history.order_by("history_date", "history_id"))
    links = [[row.agendaitem_id for row in record.agenda_items.all()] for record in records]
    assert [conference.pk] in links, links  # a record shows the link made
    assert links[-1] == []  # and the latest its removal
    editor = linked.wsgi_request.user
    assert {record.history_user for record in records[1:]} == {editor}
    history = editor_client.get(reverse("admin:projects_project_history", args=[project.pk]))
    assert history.status_code == 200
