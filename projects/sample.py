"""Sample projects (`manage.py load_sample`, `portal/sample.py`): invented works across
every sector, each with its investor, approving decision (one of the sample's documents
when there is one), budget, plan, map shape, milestones and monthly progress with
disbursement, some on schedule and some slipping; several with approved changes (schedule
extended, total investment raised, scope changed), each approved by a decision of its own.
Codes start with `MAU-` ("sample"); a project whose code or name exists already is
skipped, with its progress and changes.
"""

import datetime
import random
from decimal import Decimal

from documents.models import Document, DocumentType, Visibility
from portal import sample
from portal.publication import PublicationStatus

from .models import Milestone, ProgressUpdate, Project, ProjectChange, Sector, Stage

# (code, name, sector, key?, investor code, location, billion VND, planned start,
#  planned finish, pace: how far behind the plan in force the works run, 1 = on plan)
PROJECTS = [
    (
        "MAU-TRUC-01",
        "Đường trục phát triển phía Bắc sông Hồng đoạn qua xã Đông Anh, Mê Linh: bồi "
        "thường, hỗ trợ, tái định cư và xây dựng nền đường",
        Sector.ROAD,
        True,
        "BQLGT",
        "Các xã Đông Anh, Thư Lâm, Tiến Thắng, Mê Linh",
        7_210,
        "2023-06-01",
        "2026-12-31",
        0.95,
    ),
    (
        "MAU-VD35-02",
        "Xây dựng đường Vành đai 3,5 đoạn từ cầu Hồng Hà đến Quốc lộ 32 và nút giao khác mức",
        Sector.RING_ROAD,
        True,
        "BQLGT",
        "Phường Tây Tựu, Đông Ngạc, Thượng Cát",
        4_850,
        "2024-03-01",
        "2027-06-30",
        0.8,
    ),
    (
        "MAU-ML5-03",
        "Tuyến đường sắt đô thị số 5 Văn Cao - Hòa Lạc, "
        "đoạn Văn Cao - Ngọc Khánh - Láng - Hòa Lạc",
        Sector.URBAN_RAILWAY,
        True,
        "MRB",
        "Từ phố Văn Cao đến Khu công nghệ cao Hòa Lạc",
        65_400,
        "2025-01-01",
        "2030-12-31",
        0.9,
    ),
    (
        "MAU-CAU-04",
        "Xây dựng cầu vượt sông Đáy nối xã Phúc Thọ với xã Đan Phượng và đường dẫn hai đầu",
        Sector.BRIDGE,
        True,
        "BQLGT",
        "Xã Phúc Thọ, Hát Môn, Đan Phượng",
        3_450,
        "2025-04-01",
        "2028-12-31",
        1.0,
    ),
    (
        "MAU-CAU-05",
        "Xây dựng cầu vượt đường sắt tại ga Văn Điển và nút giao với đường Ngọc Hồi",
        Sector.BRIDGE,
        False,
        "BQLGT",
        "Xã Thanh Trì, phường Hoàng Liệt",
        2_700,
        "2025-10-01",
        "2029-06-30",
        1.0,
    ),
    (
        "MAU-RAC-06",
        "Mở rộng khu xử lý chất thải rắn phía Bắc Thành phố, công suất thêm 1.000 tấn/ngày",
        Sector.WASTE_TREATMENT,
        False,
        "SXD",
        "Khu liên hợp xử lý chất thải Nam Sơn, xã Sóc Sơn",
        3_900,
        "2024-06-01",
        "2026-09-30",
        0.7,
    ),
    (
        "MAU-NT-07",
        "Nhà máy xử lý nước thải phía Nam và mạng lưới thu gom lưu vực sông Tô Lịch",
        Sector.WASTEWATER_TREATMENT,
        True,
        "SXD",
        "Xã Thanh Trì, phường Hoàng Liệt, Định Công",
        22_260,
        "2019-01-01",
        "2026-06-30",
        0.95,
    ),
    (
        "MAU-SONG-08",
        "Cải tạo, phục hồi sông Tô Lịch đoạn từ cống Bưởi đến đập Thanh Liệt, kè bờ và đường dạo",
        Sector.RIVER_REMEDIATION,
        False,
        "SXD",
        "Phường Nghĩa Đô, Cầu Giấy, Thanh Xuân, Định Công",
        1_260,
        "2025-02-01",
        "2027-02-28",
        1.0,
    ),
    (
        "MAU-DUONG-09",
        "Mở rộng Quốc lộ 6 đoạn Ba La - Xuân Mai, hoàn thiện nút giao và hệ thống thoát nước",
        Sector.ROAD,
        False,
        "BQLGT",
        "Phường Hà Đông, Dương Nội; xã Chương Mỹ, Xuân Mai",
        8_300,
        "2024-09-01",
        "2027-12-31",
        0.75,
    ),
    (
        "MAU-KHAC-10",
        "Xây dựng Trung tâm hành chính công Thành phố và kho lưu trữ hồ sơ điện tử tập trung",
        Sector.OTHER,
        False,
        "BQLDD",
        "Phường Tây Mỗ, Đại Mỗ",
        2_150,
        "2025-05-01",
        "2026-10-31",
        1.0,
    ),
    (
        "MAU-CAU-11",
        "Cầu vượt nút giao Vành đai 2,5 - đường Giải Phóng (đã hoàn thành, quyết toán)",
        Sector.BRIDGE,
        False,
        "BQLGT",
        "Phường Hoàng Mai, Tương Mai",
        560,
        "2023-01-01",
        "2025-06-30",
        1.0,
    ),
]

MILESTONES = [
    (0.0, "Khởi công xây dựng"),
    (0.3, "Hoàn thành giải phóng mặt bằng"),
    (0.6, "Hoàn thành phần kết cấu chính"),
    (1.0, "Hoàn thành, đưa vào sử dụng"),
]
TODAY = datetime.date(2026, 11, 30)  # the sample year's last progress report


def _point(longitude: float, latitude: float) -> dict:
    return {"type": "Point", "coordinates": [longitude, latitude]}


def _line(*positions: tuple[float, float]) -> dict:
    return {"type": "LineString", "coordinates": [list(p) for p in positions]}


# Map shapes ([longitude, latitude], WGS 84) drawn where each invented project's places
# lie: a bridge, a plant or a building is a point; a road, a river or a railway a line; the
# metro line in its two sections, underground then elevated.
GEOMETRY = {
    "MAU-TRUC-01": _line((105.872, 21.118), (105.838, 21.139), (105.796, 21.158),
                         (105.752, 21.172), (105.714, 21.184)),
    "MAU-VD35-02": _line((105.781, 21.094), (105.762, 21.101), (105.741, 21.083),
                         (105.731, 21.064), (105.724, 21.047)),
    "MAU-ML5-03": {
        "type": "MultiLineString",
        "coordinates": [
            [[105.818, 21.043], [105.815, 21.029], [105.804, 21.021], [105.789, 21.010]],
            [[105.789, 21.010], [105.742, 21.002], [105.668, 21.005], [105.589, 21.012],
             [105.524, 21.013]],
        ],
    },
    "MAU-CAU-04": _point(105.627, 21.106),
    "MAU-CAU-05": _point(105.842, 20.946),
    "MAU-RAC-06": _point(105.831, 21.331),
    "MAU-NT-07": _point(105.837, 20.957),
    "MAU-SONG-08": _line((105.807, 21.047), (105.803, 21.031), (105.806, 21.011),
                         (105.813, 20.995), (105.826, 20.976), (105.822, 20.962)),
    "MAU-DUONG-09": _line((105.766, 20.956), (105.722, 20.931), (105.664, 20.905),
                          (105.612, 20.896), (105.574, 20.889)),
    "MAU-KHAC-10": _point(105.746, 21.006),
    "MAU-CAU-11": _point(105.841, 20.983),
}  # fmt: skip

# Approved changes: code → [(decision serial, decided on, reason, what changed: new planned
# finish, new billion VND, (old scope, new scope))]. Each is approved by a decision of the
# People's Committee that the sample adds ("Quyết định phê duyệt điều chỉnh dự án …").
CHANGES = {
    "MAU-TRUC-01": [
        (
            5104, "2025-03-14",
            "Chậm bàn giao mặt bằng tại xã Thư Lâm do phải di dời đường điện 110 kV và bổ "
            "sung khu tái định cư; kéo dài thời gian thực hiện để hoàn thành nền đường.",
            {"finish": "2027-06-30"},
        ),
        (
            5187, "2026-06-22",
            "Điều chỉnh chi phí bồi thường, hỗ trợ theo bảng giá đất mới của Thành phố áp "
            "dụng từ năm 2026.",
            {"billions": 7_640},
        ),
    ],
    "MAU-VD35-02": [
        (
            5131, "2025-07-15",
            "Chi phí giải phóng mặt bằng tăng do bổ sung diện tích thu hồi tại nút giao "
            "Quốc lộ 32 theo thiết kế được duyệt.",
            {"billions": 5_320},
        ),
    ],
    "MAU-ML5-03": [
        (
            5162, "2026-03-26",
            "Bổ sung ga và bãi đỗ xe kết nối theo quy hoạch phân khu đô thị Hòa Lạc được "
            "phê duyệt.",
            {"scope": (
                "Tuyến dài khoảng 38,4 km, gồm 20 ga (7 ga ngầm, 13 ga trên cao) và depot "
                "Hòa Lạc.",
                "Tuyến dài khoảng 39,6 km, gồm 21 ga (7 ga ngầm, 14 ga trên cao), thêm ga "
                "Khu công nghệ cao Hòa Lạc, depot Hòa Lạc và bãi đỗ xe trung chuyển.",
            )},
        ),
    ],
    "MAU-RAC-06": [
        (
            5211, "2026-08-20",
            "Điều chỉnh công nghệ lò đốt phát điện theo quy chuẩn khí thải mới; kéo dài "
            "thời gian thực hiện và bổ sung hệ thống xử lý khí thải.",
            {"finish": "2027-06-30", "billions": 4_350},
        ),
    ],
    # Behind the plan as first approved (its finish has passed), on time against the
    # plan in force.
    "MAU-NT-07": [
        (
            5118, "2025-12-18",
            "Vướng mặt bằng tuyến cống bao lưu vực sông Tô Lịch đoạn qua phường Định Công; "
            "bổ sung hạng mục xử lý bùn thải.",
            {"finish": "2027-12-31", "billions": 24_760},
        ),
    ],
}  # fmt: skip


def _date(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


def load() -> dict:
    rng = random.Random("projects-2026")
    bodies = sample.organizations()
    decisions = list(
        sample.made_by_sample(Document.objects.published().public())
        .filter(type_code="QĐ", system="state")
        .order_by("issued_on", "pk")
    )
    people = sample.people()
    added, updates, changed, skipped = 0, 0, 0, []
    for code, name, sector, key, investor, location, billions, start, finish, pace in PROJECTS:
        if Project.objects.filter(code=code).exists() or Project.objects.filter(name=name):
            if not sample.made_by_sample(Project.objects.filter(code=code)).exists():
                skipped.append(f"{name} ({code})")
            continue
        start, finish = _date(start), _date(finish)
        changes = CHANGES.get(code, [])
        # The works run at their pace against the plan in force, not the first one.
        in_force = max([finish, *(_date(c["finish"]) for *_, c in changes if "finish" in c)])
        done = _fraction(TODAY, start, in_force) * pace
        completed = done >= 1
        project = sample.create(
            Project,
            code=code,
            name=name,
            sector=sector,
            is_key=key,
            owner=bodies.get(investor),
            location=location,
            geometry=GEOMETRY.get(code),
            description=(
                f"{name}. Dự án mẫu, không phải dự án thật: số liệu tiến độ, giải ngân và các "
                "mốc chỉ để minh họa cách cổng thông tin hiển thị."
            ),
            approval_document=rng.choice(decisions) if decisions else None,
            planned_start=start,
            planned_finish=finish,
            actual_start=start + datetime.timedelta(days=rng.randint(0, 60)),
            actual_finish=in_force if completed else None,
            total_investment=Decimal(billions) * 1_000_000_000,
            stage=Stage.COMPLETED if completed else Stage.UNDER_CONSTRUCTION,
            status=PublicationStatus.PUBLISHED,
        )
        added += 1
        for share, label in MILESTONES:
            planned_on = start + (in_force - start) * share
            reached = done >= share
            sample.create(
                Milestone,
                project=project,
                name=label,
                planned_on=planned_on,
                actual_on=planned_on + datetime.timedelta(days=int(40 * (1 - pace)))
                if reached and planned_on <= TODAY
                else None,
            )
        updates += _progress(rng, project, start, in_force, pace, billions)
        changed += _changes(project, changes, bodies, people)
    return {
        "projects": added,
        "progress updates": updates,
        "project changes": changed,
    } | ({"skipped": skipped} if skipped else {})


def _changes(project: Project, changes: list, bodies: dict, people: dict) -> int:
    """The project's approved changes, each with the decision that approved it."""
    for serial, decided_on, reason, new in changes:
        old_scope, new_scope = new.get("scope", ("", ""))
        decided_on = _date(decided_on)
        sample.create(
            ProjectChange,
            project=project,
            decided_on=decided_on,
            document=_decision(serial, decided_on, project, bodies, people),
            reason=reason,
            new_planned_finish=_date(new["finish"]) if "finish" in new else None,
            new_total_investment=Decimal(new["billions"]) * 1_000_000_000
            if "billions" in new
            else None,
            old_scope=old_scope,
            new_scope=new_scope,
        )
    return len(changes)


def _decision(serial, issued_on, project, bodies, people) -> Document | None:
    """The People's Committee's decision approving a change (the sample's own, reused);
    none when staff registered a decision of that number already."""
    issuer = bodies["UBND"]
    number = f"{serial}/QĐ-UBND"
    found = sample.made_by_sample(
        Document.objects.filter(issuer=issuer, number=number, issued_on=issued_on)
    ).first()
    if found is not None:
        return found
    title = f"Quyết định phê duyệt điều chỉnh dự án {project.name}"
    decision = Document(
        number=number,
        issuer=issuer,
        document_type=DocumentType.objects.filter(name="Quyết định").first(),
        issued_on=issued_on,
        effective_on=issued_on,
        title=title,
        summary=f"{title}. Văn bản mẫu, không phải văn bản thật.",
        signer=people.get("Nguyễn Thị Phương Thảo"),
        signer_title="Phó Chủ tịch UBND Thành phố",
        visibility=Visibility.PUBLIC,
        status=PublicationStatus.PUBLISHED,
    )
    decision.fill_derived()
    if decision.duplicate() is not None:
        return None
    decision._change_reason = sample.SAMPLE
    decision.save()
    return decision


def _fraction(day: datetime.date, start: datetime.date, finish: datetime.date) -> float:
    return max(0.0, min(1.0, (day - start).days / max(1, (finish - start).days)))


def _progress(rng, project, start, finish, pace, billions) -> int:
    """A report at the end of every month since the works began (at most 24), physical
    progress and disbursement rising at the project's pace."""
    month_ends = []
    year, month = max(start.year, 2025), 1
    while (year, month) <= (TODAY.year, TODAY.month):
        following = datetime.date(year + month // 12, month % 12 + 1, 1)
        day = following - datetime.timedelta(days=1)
        if day >= start:
            month_ends.append(day)
        year, month = following.year, following.month
    physical = disbursed = 0.0
    for day in month_ends[-24:]:
        physical = max(physical, min(100.0, 100 * _fraction(day, start, finish) * pace))
        disbursed = max(disbursed, min(100.0, physical * rng.uniform(0.85, 1.05)))
        sample.create(
            ProgressUpdate,
            project=project,
            date=day,
            physical_percent=Decimal(f"{physical:.1f}"),
            disbursed_percent=Decimal(f"{disbursed:.1f}"),
            disbursed_amount=Decimal(round(billions * disbursed / 100)) * 1_000_000_000,
            note="Báo cáo định kỳ của chủ đầu tư" if physical < 100 else "Đã hoàn thành",
            source_text="Báo cáo tiến độ hằng tháng của chủ đầu tư gửi UBND Thành phố",
        )
    return len(month_ends[-24:])
