"""`manage.py load_sample` and issue 17: the sample's projects on a map and with approved
changes, an indicator figure revised across its target, and a public change log over the
sample year — as the pages show them — and `--remove` taking the new rows out too."""

import datetime
import io
import re

import pytest
from django.core.management import call_command

from changes.models import Action, PublicChange
from indicators.models import Indicator
from portal import sample
from projects.changes import change_history
from projects.geometry import validate_geometry
from projects.maps import lines_of
from projects.models import Project, ProjectChange
from projects.schedule import ScheduleState

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_sample_flag_left():
    yield
    sample.remember(False)


def run(*args) -> str:
    out = io.StringIO()
    call_command("load_sample", *args, stdout=out)
    return out.getvalue()


def page(client, address: str) -> str:
    response = client.get(address)
    assert response.status_code == 200, address
    return response.content.decode()


def test_projects_lie_on_the_map_inside_hanoi(client):
    run()
    projects = list(sample.made_by_sample(Project.objects.published()))

    kinds = set()
    for project in projects:
        validate_geometry(project.geometry)
        kinds.add(project.geometry["type"])
        for line in lines_of(project.geometry):
            for longitude, latitude in line:
                assert 105.3 <= longitude <= 106.0 and 20.6 <= latitude <= 21.4, project.code
    assert len(projects) == 11 and kinds == {"Point", "LineString", "MultiLineString"}

    river = Project.objects.get(code="MAU-SONG-08")
    html = page(client, river.get_absolute_url())
    data = re.search(r'id="project-map-data"[^>]*>(.*?)</script>', html, re.S).group(1)
    assert "105.807" in data and "21.047" in data  # the shape the script draws
    assert "Tuyến dài khoảng" in html  # and the same place in words, without the script
    assert "Khu vực (gần đúng):" in html and "Cầu Giấy" in html

    bridge = Project.objects.get(code="MAU-CAU-04")
    html = page(client, bridge.get_absolute_url())
    assert "Một điểm: vĩ độ 21,10600; kinh độ 105,62700." in html
    assert "Phúc Thọ" in html


def test_projects_show_their_approved_changes(client):
    run()
    changes = ProjectChange.objects.select_related("document", "project")

    assert changes.count() >= 5
    assert changes.exclude(new_planned_finish=None).count() >= 2  # schedules extended
    raised = [c for c in changes if c.new_total_investment]
    assert raised and all(c.new_total_investment > c.project.total_investment for c in raised)
    assert changes.exclude(new_scope="").exclude(old_scope="").exists()  # scope changed
    for change in changes:
        assert change.reason and change.document.is_published
        assert change.document.issued_on == change.decided_on
        assert sample.made_by_sample(type(change.document).objects.filter(pk=change.document.pk))

    # Behind the plan as first approved, on time against the plan in force.
    plant = Project.objects.get(code="MAU-NT-07")
    history = change_history(plant, plant.changes.all())
    assert history.slip.is_late and plant.planned_finish < datetime.date(2026, 12, 1)
    assert plant.schedule().state == ScheduleState.ON_SCHEDULE

    html = page(client, plant.get_absolute_url())
    assert "Các lần điều chỉnh" in html and "Kế hoạch hiện hành so với kế hoạch ban đầu" in html
    assert "Vướng mặt bằng tuyến cống bao lưu vực sông Tô Lịch" in html
    assert "5118/QĐ-UBND" in html
    assert "Đúng tiến độ" in html
    assert "muộn 18 tháng so với kế hoạch ban đầu (30/06/2026)" in html
    assert "Tổng mức đầu tư hiện hành tăng 11,2% so với ban đầu." in html

    metro = Project.objects.get(code="MAU-ML5-03")
    html = page(client, metro.get_absolute_url())
    assert "gồm 21 ga (7 ga ngầm, 14 ga trên cao)" in html
    assert "gồm 20 ga (7 ga ngầm, 13 ga trên cao)" in html


def test_an_indicator_page_shows_a_revision_that_turned_its_verdict(client):
    run()
    indicator = Indicator.objects.get(code="grdp-quy-mau")

    html = page(client, indicator.get_absolute_url())

    revised = re.search(
        r"Quý IV/2025</dt>\s*<dd><span class=\"muted\">Thực hiện:</span> điều chỉnh từ "
        r"\+7,45% thành \+7,90% ngày (\d\d/0[23]/2026) "
        r"<span class=\"muted\">\(sơ bộ, \d\d/01/2026 → chính thức, \1\)",
        html,
    )
    assert revised
    row = html.split('<th scope="row">Quý IV/2025</th>')[1].split("</tr>")[0]
    assert "Đạt kế hoạch" in row  # judged on the official figure…
    # …which turned the preliminary figure's verdict.
    assert f"Trước khi số liệu được điều chỉnh ngày {revised[1]}: Chưa đạt kế hoạch." in row


def test_the_change_log_tells_the_sample_year(client):
    run()
    log = PublicChange.objects.public()
    noted = log.exclude(note="")

    assert log.filter(action=Action.PUBLISHED).count() >= 300
    assert log.filter(action=Action.CHANGED).count() >= 60
    assert noted.count() >= 8
    assert len({at.month for at in log.values_list("at", flat=True)}) >= 11
    assert log.latest("at").at.date() <= datetime.date(2026, 12, 1)

    html = page(client, "/changes/?kind=project")
    assert "Ghi chú của người công bố:" in html
    assert "Cập nhật điều chỉnh dự án theo Quyết định số 5211/QĐ-UBND ngày 20/08/2026" in html
    grdp = Indicator.objects.get(code="grdp-quy-mau")
    html = page(client, grdp.get_absolute_url()).split("Lịch sử thay đổi")[1]
    assert "Cập nhật số liệu chính thức của Cục Thống kê" in html

    road = Project.objects.get(code="MAU-TRUC-01")
    html = page(client, road.get_absolute_url())
    history = html.split("Lịch sử thay đổi")[1]
    assert "Bổ sung hướng tuyến trên bản đồ" in history
    assert "Công bố" in history and "Thay đổi: cập nhật tiến độ" in history
    assert "Quyết định số 5187/QĐ-UBND ngày 22/06/2026" in history
    assert "12/01/2026" in history  # published on the sample's date, not the loading day

    assert "Lịch sử thay đổi" in page(client, Indicator.objects.first().get_absolute_url())


def test_a_second_run_and_remove_leave_no_log_of_the_sample(client):
    call_command("load_demo", stdout=io.StringIO())
    demo = PublicChange.objects.count()
    run()
    loaded = PublicChange.objects.count(), ProjectChange.objects.count()

    run()

    assert (PublicChange.objects.count(), ProjectChange.objects.count()) == loaded
    assert loaded[0] > demo + 300 and loaded[1] >= 5

    run("--remove")

    assert PublicChange.objects.count() == demo
    assert not ProjectChange.all_objects.exists()
    assert not sample.made_by_sample(Project.objects.all()).exists()
    assert "Ghi chú của người công bố" not in page(client, "/changes/")
