"""Demo facts for the shared records, from the report of the 23rd conference of the Hanoi
City Party Executive Committee (term XVII): the bodies and the four leaders who chaired it.

`ensure()` is shared by every area's `demo.py` so that `load_demo` can run any number of
times without adding rows or history entries, on an empty database or on a register that
staff, an import or a generator filled: the demo changes only the rows it created, each
marked by the reason on its first history entry (`DEMO`). A row it finds that it did not
create is used as it is (an organization its documents name) or, where the demo would
add its own (a document bearing the same number), left alone and reported.
"""

from typing import TypeVar

from django.db import models

from .models import Organization, OrganizationKind, Page, Person, Position
from .publication import PublicationStatus

M = TypeVar("M", bound=models.Model)


# The history's change reason on the creation of every row the demo adds.
DEMO = "load_demo"


def made_by_demo(queryset: models.QuerySet) -> models.QuerySet:
    """The rows of `queryset` that the demo created."""
    model = queryset.model
    created = model.history.filter(history_type="+", history_change_reason=DEMO)
    return queryset.filter(pk__in=created.values(model._meta.pk.attname))


def is_demo(row: models.Model) -> bool:
    return row.history.filter(history_type="+", history_change_reason=DEMO).exists()


def ensure(model: type[M], lookup: dict, values: dict | None = None) -> M:
    """Get the row matching `lookup`, creating it when missing; see `ensure_row`."""
    found = model.objects.filter(**lookup).first()
    return ensure_row(model, found, {**lookup, **(values or {})})


def ensure_row(model: type[M], row: M | None, values: dict) -> M:
    """`row`, created with `values` when None; when the demo created it, its fields that
    differ from `values` are updated, others never: a row the demo did not create is
    returned as it is.

    Unlike `update_or_create`, an unchanged row is not saved again, so a second run of the
    demo loader writes nothing (and adds nothing to the history).
    """
    if row is None:
        row = model(**values)
        row._change_reason = DEMO  # read by django-simple-history: see `made_by_demo`
        row.save()
        return row
    changed = [name for name, value in values.items() if getattr(row, name) != value]
    if changed and is_demo(row):
        for name in changed:
            setattr(row, name, values[name])
        row.save()
    return row


# (code, name, short name, kind, parent code)
ORGANIZATIONS = [
    ("TW", "Ban Chấp hành Trung ương Đảng Cộng sản Việt Nam", "Trung ương", "party", None),
    ("BCT", "Bộ Chính trị", "Bộ Chính trị", "party", "TW"),
    ("UBTVQH", "Ủy ban Thường vụ Quốc hội", "UBTVQH", "assembly", None),
    ("TU", "Thành ủy Hà Nội", "Thành ủy", "party", None),
    ("BCHTU", "Ban Chấp hành Đảng bộ Thành phố Hà Nội", "Ban Chấp hành Đảng bộ", "party", "TU"),
    ("BTVTU", "Ban Thường vụ Thành ủy Hà Nội", "Ban Thường vụ Thành ủy", "party", "TU"),
    ("TTTU", "Thường trực Thành ủy Hà Nội", "Thường trực Thành ủy", "party", "TU"),
    ("UBKTTU", "Ủy ban Kiểm tra Thành ủy Hà Nội", "Ủy ban Kiểm tra Thành ủy", "party", "TU"),
    ("UBND", "Ủy ban nhân dân Thành phố Hà Nội", "UBND Thành phố", "state", None),
    ("HĐND", "Hội đồng nhân dân Thành phố Hà Nội", "HĐND Thành phố", "assembly", None),
    (
        "MTTQ",
        "Ủy ban Mặt trận Tổ quốc Việt Nam Thành phố Hà Nội",
        "Ủy ban MTTQ Thành phố",
        "front",
        None,
    ),
    (
        "ĐBQH",
        "Đoàn đại biểu Quốc hội Thành phố Hà Nội",
        "Đoàn ĐBQH Thành phố",
        "assembly",
        None,
    ),
]

# The chairs of the conference, each with every title the report gives them, in its order.
# The report gives no dates for these titles, so none are invented.
LEADERS = {
    "Bùi Thị Minh Hoài": [
        ("Ủy viên Bộ Chính trị", "BCT"),
        ("Bí thư Thành ủy", "TU"),
        ("Trưởng đoàn đại biểu Quốc hội Thành phố", "ĐBQH"),
    ],
    "Trần Sỹ Thanh": [
        ("Ủy viên Trung ương Đảng", "TW"),
        ("Phó Bí thư Thành ủy", "TU"),
        ("Chủ tịch UBND Thành phố", "UBND"),
    ],
    "Nguyễn Văn Phong": [
        ("Phó Bí thư Thường trực Thành ủy", "TU"),
    ],
    "Nguyễn Ngọc Tuấn": [
        ("Phó Bí thư Thành ủy", "TU"),
        ("Chủ tịch HĐND Thành phố", "HĐND"),
        ("Phó Trưởng đoàn đại biểu Quốc hội Thành phố", "ĐBQH"),
    ],
}

ABOUT_PAGE = """\
Cổng thông tin công khai những gì các cơ quan của Thành phố bàn và quyết định: các hội nghị \
của Ban Chấp hành Đảng bộ, kỳ họp HĐND, phiên họp UBND cùng các nội dung được biểu quyết; \
các kế hoạch, chỉ thị, quyết định và văn bản liên quan; các chỉ tiêu kinh tế - xã hội so với \
kế hoạch, kịch bản; và tiến độ các dự án hạ tầng trọng điểm.

Mọi thông tin do cán bộ các cơ quan nhập và chỉ hiển thị sau khi được người có thẩm quyền \
công bố. Văn bản có thể tìm theo số, ký hiệu theo bất kỳ cách gõ nào quen thuộc, ví dụ \
"341 KH TU", "341/KH-TU" hoặc "Kế hoạch số 341-KH/TU".

Dữ liệu mẫu hiện có lấy từ tin về Hội nghị lần thứ 23 Ban Chấp hành Đảng bộ Thành phố \
khóa XVII."""


def load() -> dict[str, int]:
    organizations = {}
    for code, name, short_name, kind, parent_code in ORGANIZATIONS:
        organizations[code] = ensure(
            Organization,
            {"code": code},
            {
                "name": name,
                "short_name": short_name,
                "kind": OrganizationKind(kind),
                "parent": organizations.get(parent_code),
            },
        )
    for full_name, titles in LEADERS.items():
        person = ensure(Person, {"full_name": full_name})
        for order, (title, org_code) in enumerate(titles):
            ensure(
                Position,
                {"person": person, "organization": organizations[org_code], "title": title},
                {"order": order},
            )
    ensure(
        Page,
        {"slug": "gioi-thieu"},
        {
            "title": "Giới thiệu cổng thông tin",
            "body": ABOUT_PAGE,
            "status": PublicationStatus.PUBLISHED,
        },
    )
    return {
        "organizations": len(organizations),
        "people": len(LEADERS),
    }
