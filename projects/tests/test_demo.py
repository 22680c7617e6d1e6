import pytest
from simple_history.utils import update_change_reason

from documents.models import Document
from portal.demo import DEMO
from portal.publication import PublicationStatus
from projects import demo
from projects.models import Project, Sector
from projects.schedule import ScheduleState

from .factories import make_document

pytestmark = pytest.mark.django_db


@pytest.fixture
def report() -> Document:
    document = make_document(number="", title=demo.REPORT_TITLE, issued_on=None)
    # As the documents demo makes it: the demo links only records it created.
    update_change_reason(document, DEMO)
    return document


def history_rows() -> int:
    return sum(model.history.count() for model in (Project,))


def test_demo_loads_the_articles_projects(report):
    counts = demo.load()

    assert counts == {
        "projects": 14,
        "key projects": 10,
        "stated behind": 2,
        "discussed at meetings": 0,
    }
    projects = {p.slug: p for p in Project.objects.all()}
    assert all(p.status == PublicationStatus.PUBLISHED for p in projects.values())
    # Key transport projects.
    assert projects["vanh-dai-4"].name == "Vành đai 4"
    assert projects["vanh-dai-4"].sector == Sector.RING_ROAD
    section = projects["metro-so-2-nam-thang-long-tran-hung-dao"]
    assert section.is_key and section.parent == projects["metro-so-2"]
    assert "Nam Thăng Long – Trần Hưng Đạo" in section.name
    assert "Văn Cao – Hòa Lạc" in projects["metro-so-5-van-cao-hoa-lac"].name
    bridges = Project.objects.filter(parent=projects["6-cay-cau"]).order_by("pk")
    assert [b.name for b in bridges] == [
        "Cầu Hồng Hà",
        "Cầu Mễ Sở",
        "Cầu Thượng Cát",
        "Cầu Ngọc Hồi",
        "Cầu Trần Hưng Đạo",
        "Cầu Vân Phúc",
    ]
    assert all(b.is_key and b.sector == Sector.BRIDGE for b in bridges)
    # The plants the report says are behind, with its sentence and the report as source.
    for slug in ("nha-may-xu-ly-rac-thai", "nha-may-xu-ly-nuoc-thai"):
        plant = projects[slug]
        assert plant.behind_stated
        assert plant.behind_statement == (
            "Các dự án nhà máy xử lý rác thải, nước thải còn chưa đạt tiến độ đề ra."
        )
        assert plant.behind_stated_in == report
        assert plant.schedule().state == ScheduleState.BEHIND
    assert projects["nha-may-xu-ly-rac-thai"].sector == Sector.WASTE_TREATMENT
    assert projects["nha-may-xu-ly-nuoc-thai"].sector == Sector.WASTEWATER_TREATMENT
    river = projects["xu-ly-o-nhiem-song-noi-do"]
    assert river.sector == Sector.RIVER_REMEDIATION
    for name in ("Kim Ngưu", "Tô Lịch", "Lừ", "Sét", "Nhuệ – Đáy"):
        assert name in river.name
    assert "chưa đáp ứng được yêu cầu" in river.description
    # The article gives no figures or dates: none are invented.
    for project in projects.values():
        assert project.total_investment is None
        assert project.owner is None
        assert project.stage == ""
        assert project.planned_start is project.planned_finish is None
        assert not project.progress_updates.exists()
        assert list(project.documents.all()) == [report]
    assert projects["vanh-dai-4"].schedule().state == ScheduleState.UNKNOWN


def test_demo_is_idempotent(report):
    demo.load()
    rows, history = Project.objects.count(), history_rows()
    links = Project.documents.through.objects.count()

    demo.load()

    assert Project.objects.count() == rows
    assert history_rows() == history
    assert Project.documents.through.objects.count() == links


def test_demo_without_the_report_skips_the_link():
    demo.load()

    assert Project.objects.count() == 14
    assert not Project.documents.through.objects.exists()
    assert Project.objects.get(slug="nha-may-xu-ly-rac-thai").behind_stated_in is None
