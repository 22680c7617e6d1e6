"""Demo projects from the report of the 23rd conference of the Hanoi City Party Executive
Committee (term XVII): the key transport projects, the six bridges, the waste and wastewater
treatment plants said to be behind schedule, and the inner-city rivers.

Only what the article says. It gives no investor, cost, date, stage or percent for any of
them, so those stay empty: the pages show "chưa có thông tin" / "chưa có số liệu" and the
schedule state is "unknown" except where the report itself says "behind". The stage is left
empty (not "preparing") because the article does not say where any of them stands.

All were discussed under the socio-economic report at the 23rd conference: that agenda item
is linked when the meetings demo has loaded it (skipped silently otherwise).
"""

from documents.demo import demo_document
from meetings.models import AgendaItem
from portal.demo import ensure, is_demo, made_by_demo
from portal.publication import PublicationStatus

from .models import Project, Sector

REPORT_TITLE = (
    "Báo cáo tình hình thực hiện nhiệm vụ phát triển kinh tế - xã hội, an ninh - quốc phòng "
    "6 tháng đầu năm, nhiệm vụ trọng tâm 6 tháng cuối năm 2025 của Thành phố"
)

KEY_TRANSPORT = (
    "Dự án giao thông trọng điểm mà Thành phố yêu cầu đẩy nhanh tiến độ trong 6 tháng cuối "
    "năm 2025 (Báo cáo tình hình kinh tế - xã hội 6 tháng đầu năm 2025)."
)
PLANTS_BEHIND = "Các dự án nhà máy xử lý rác thải, nước thải còn chưa đạt tiến độ đề ra."
RIVERS_NOT_MET = (
    "Việc xử lý ô nhiễm nước sông nội đô Kim Ngưu, Tô Lịch, Lừ, Sét, sông Nhuệ - Đáy còn "
    "chưa đáp ứng được yêu cầu."
)
PLANTS_TASK = (
    "Thành phố yêu cầu ưu tiên nguồn lực và tháo gỡ vướng mắc để hoàn thành các dự án xử lý "
    "rác thải, nước thải."
)

BRIDGES = ["Hồng Hà", "Mễ Sở", "Thượng Cát", "Ngọc Hồi", "Trần Hưng Đạo", "Vân Phúc"]

# slug: (name, sector, key, location, description, parent slug)
PROJECTS = {
    "vanh-dai-4": ("Vành đai 4", Sector.RING_ROAD, True, "", KEY_TRANSPORT, None),
    "metro-so-2": (
        "Tuyến đường sắt đô thị Metro số 2",
        Sector.URBAN_RAILWAY,
        False,
        "",
        "",
        None,
    ),
    "metro-so-2-nam-thang-long-tran-hung-dao": (
        "Metro số 2, đoạn Nam Thăng Long – Trần Hưng Đạo",
        Sector.URBAN_RAILWAY,
        True,
        "Nam Thăng Long – Trần Hưng Đạo",
        KEY_TRANSPORT,
        "metro-so-2",
    ),
    "metro-so-5-van-cao-hoa-lac": (
        "Metro số 5 (Văn Cao – Hòa Lạc)",
        Sector.URBAN_RAILWAY,
        True,
        "Văn Cao – Hòa Lạc",
        KEY_TRANSPORT,
        None,
    ),
    "6-cay-cau": (
        "6 cây cầu",
        Sector.BRIDGE,
        True,
        "",
        KEY_TRANSPORT + " Gồm các cầu: " + ", ".join(BRIDGES) + ".",
        None,
    ),
    **{
        f"cau-{slug}": (f"Cầu {name}", Sector.BRIDGE, True, "", KEY_TRANSPORT, "6-cay-cau")
        for name, slug in [
            ("Hồng Hà", "hong-ha"),
            ("Mễ Sở", "me-so"),
            ("Thượng Cát", "thuong-cat"),
            ("Ngọc Hồi", "ngoc-hoi"),
            ("Trần Hưng Đạo", "tran-hung-dao"),
            ("Vân Phúc", "van-phuc"),
        ]
    },
    "nha-may-xu-ly-rac-thai": (
        "Các dự án nhà máy xử lý rác thải",
        Sector.WASTE_TREATMENT,
        False,
        "",
        "Nhóm các dự án nhà máy xử lý rác thải của Thành phố; báo cáo không nêu tên từng "
        "nhà máy. " + PLANTS_TASK,
        None,
    ),
    "nha-may-xu-ly-nuoc-thai": (
        "Các dự án nhà máy xử lý nước thải",
        Sector.WASTEWATER_TREATMENT,
        False,
        "",
        "Nhóm các dự án nhà máy xử lý nước thải của Thành phố; báo cáo không nêu tên từng "
        "nhà máy. " + PLANTS_TASK,
        None,
    ),
    "xu-ly-o-nhiem-song-noi-do": (
        "Xử lý ô nhiễm nước các sông nội đô Kim Ngưu, Tô Lịch, Lừ, Sét, sông Nhuệ – Đáy",
        Sector.RIVER_REMEDIATION,
        False,
        "Sông Kim Ngưu, Tô Lịch, Lừ, Sét, Nhuệ – Đáy",
        "Báo cáo tình hình kinh tế - xã hội 6 tháng đầu năm 2025 nêu: “" + RIVERS_NOT_MET + "”",
        None,
    ),
}

STATED_BEHIND = {"nha-may-xu-ly-rac-thai", "nha-may-xu-ly-nuoc-thai"}

# Everything above except the whole of Metro line 2 (the report names only its section) was
# discussed under the socio-economic report (item 6) at the 23rd conference.
DISCUSSED_AT_CONFERENCE_23 = [slug for slug in PROJECTS if slug != "metro-so-2"]


def _socio_economic_item() -> AgendaItem | None:
    """Item 6 of the 23rd conference (meetings demo's natural keys), if it is loaded."""
    return (
        made_by_demo(
            AgendaItem.objects.filter(
                meeting__term__body__code="BCHTU",
                meeting__term__ordinal="XVII",
                meeting__number=23,
                order="6",
            )
        )
        .order_by("pk")
        .first()
    )


def load() -> dict:
    report = demo_document(title=REPORT_TITLE)
    projects: dict[str, Project] = {}
    own: dict[str, Project] = {}  # those the demo created: the only ones it links
    skipped = []
    for slug, (name, sector, is_key, location, description, parent) in PROJECTS.items():
        stated = slug in STATED_BEHIND
        project = ensure(
            Project,
            {"slug": slug},
            {
                "name": name,
                "sector": sector,
                "is_key": is_key,
                "parent": projects.get(parent),
                "location": location,
                "description": description,
                "behind_stated": stated,
                "behind_statement": PLANTS_BEHIND if stated else "",
                "behind_stated_in": report if stated else None,
                "status": PublicationStatus.PUBLISHED,
            },
        )
        projects[slug] = project
        if not is_demo(project):
            skipped.append(f"{project.name} ({slug})")
            continue
        own[slug] = project
        if report is not None and not project.documents.filter(pk=report.pk).exists():
            project.documents.add(report)  # once: each addition is a historical record
    item = _socio_economic_item()
    discussed = 0
    if item is not None:
        linked = set(item.projects.values_list("pk", flat=True))
        for slug in DISCUSSED_AT_CONFERENCE_23:
            if slug not in own:
                continue
            if own[slug].pk not in linked:
                own[slug].agenda_items.add(item)
            discussed += 1
    return {
        "projects": len(own),
        "key projects": sum(1 for p in own.values() if p.is_key),
        "stated behind": len(STATED_BEHIND.intersection(own)),
        "discussed at meetings": discussed,
    } | ({"skipped": skipped} if skipped else {})
