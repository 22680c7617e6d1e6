"""Sample documents (`manage.py load_sample`, `portal/sample.py`): a year of invented but
well-formed Party and State documents — plans, directives, resolutions, decisions,
notices, guidance, letters — numbered in sequence per issuer, with signers, topics and
relations (a plan implements a resolution, a decision amends or replaces an earlier one).
A few are internal or drafts, as in a register in use. None of it is real.

A number the register already holds (the same number, issuer and numbering cycle) is
skipped, so a document staff entered is never duplicated or touched.
"""

import datetime
import random

from portal import sample
from portal.publication import PublicationStatus

from .models import Document, DocumentRelation, DocumentType, Topic, Visibility
from .status import RelationKind

YEAR = 2026
COUNT = 320

TOPICS = [
    "Chuyển đổi số",
    "Quy hoạch, đô thị",
    "Giao thông",
    "Môi trường",
    "Tổ chức cán bộ",
    "Ngân sách, tài chính",
    "Y tế, giáo dục",
    "Phòng, chống tham nhũng",
]

# What the documents are about: (subject, topic).
SUBJECTS = [
    ("triển khai mô hình chính quyền địa phương hai cấp tại các xã, phường", "Tổ chức cán bộ"),
    ("đẩy nhanh tiến độ giải phóng mặt bằng dự án đường Vành đai 4 - Vùng Thủ đô", "Giao thông"),
    ("cải tạo, phục hồi sông Tô Lịch, sông Kim Ngưu, sông Lừ và sông Sét", "Môi trường"),
    (
        "chuyển đổi số, phát triển chính quyền số và dịch vụ công trực tuyến toàn trình",
        "Chuyển đổi số",
    ),
    ("thu ngân sách nhà nước và quản lý chi ngân sách Thành phố năm 2026", "Ngân sách, tài chính"),
    (
        "phòng, chống tham nhũng, lãng phí, tiêu cực trong quản lý đất đai",
        "Phòng, chống tham nhũng",
    ),
    (
        "xây dựng, cải tạo chung cư cũ trên địa bàn các phường khu vực nội đô lịch sử",
        "Quy hoạch, đô thị",
    ),
    ("phát triển mạng lưới đường sắt đô thị Thành phố đến năm 2035", "Giao thông"),
    ("xử lý rác thải sinh hoạt và nước thải đô thị tại các khu vực ven đô", "Môi trường"),
    ("nâng cao chất lượng khám, chữa bệnh tại trạm y tế xã, phường", "Y tế, giáo dục"),
    ("xây dựng trường học đạt chuẩn quốc gia giai đoạn 2026-2030", "Y tế, giáo dục"),
    ("sắp xếp, tinh gọn tổ chức bộ máy của hệ thống chính trị Thành phố", "Tổ chức cán bộ"),
    (
        "quản lý trật tự xây dựng, xử lý công trình vi phạm trên đất nông nghiệp",
        "Quy hoạch, đô thị",
    ),
    ("giải ngân vốn đầu tư công năm 2026", "Ngân sách, tài chính"),
    (
        "kiểm tra, giám sát việc thực hiện nhiệm vụ chính trị của các tổ chức đảng",
        "Tổ chức cán bộ",
    ),
    ("bảo đảm trật tự, an toàn giao thông và chống ùn tắc giao thông", "Giao thông"),
]

# (type name, printed type code, issuer code as printed, issuer code in the portal, state?,
#  how many, title opening). A Party number reads 123-KH/TU, a State one 45/KH-UBND.
SERIES = [
    ("Kế hoạch", "KH", "TU", "BTVTU", False, 40, "Kế hoạch thực hiện"),
    ("Chỉ thị", "CT", "TU", "BTVTU", False, 12, "Chỉ thị của Ban Thường vụ Thành ủy về"),
    ("Nghị quyết", "NQ", "TU", "TU", False, 10, "Nghị quyết của Thành ủy về"),
    ("Kết luận", "KL", "TU", "BTVTU", False, 24, "Kết luận của Ban Thường vụ Thành ủy về"),
    ("Quyết định", "QĐ", "TU", "BTVTU", False, 30, "Quyết định ban hành Quy chế phối hợp"),
    ("Thông báo", "TB", "TU", "TTTU", False, 30, "Thông báo ý kiến của Thường trực Thành ủy về"),
    ("Hướng dẫn", "HD", "BTCTU", "BTCTU", False, 10, "Hướng dẫn"),
    ("Kế hoạch", "KH", "UBND", "UBND", True, 45, "Kế hoạch của UBND Thành phố về"),
    ("Quyết định", "QĐ", "UBND", "UBND", True, 50, "Quyết định phê duyệt đề án"),
    ("Chỉ thị", "CT", "UBND", "UBND", True, 8, "Chỉ thị của Chủ tịch UBND Thành phố về"),
    (
        "Thông báo",
        "TB",
        "UBND",
        "UBND",
        True,
        25,
        "Thông báo kết luận của lãnh đạo UBND Thành phố về",
    ),
    ("Nghị quyết", "NQ", "HĐND", "HĐND", True, 24, "Nghị quyết của HĐND Thành phố về"),
    ("Công văn", "", "UBND-KT", "UBND", True, 12, "Về việc"),
]
# Serials start where a busy register would be by January (and far from the demo's).
FIRST_SERIAL = {"KH": 410, "CT": 51, "NQ": 61, "KL": 120, "QĐ": 1820, "TB": 905, "HD": 14}
STATE_FIRST_SERIAL = 12

SIGNERS = {
    "TU": ("Bùi Thị Minh Hoài", "Bí thư Thành ủy"),
    "BTVTU": ("Nguyễn Văn Phong", "Phó Bí thư Thường trực Thành ủy"),
    "TTTU": ("Nguyễn Văn Phong", "Phó Bí thư Thường trực Thành ủy"),
    "BTCTU": ("Trương Công Nghĩa", "Trưởng Ban Tổ chức Thành ủy"),
    "UBND": ("Nguyễn Thị Phương Thảo", "Phó Chủ tịch UBND Thành phố"),
    "HĐND": ("Nguyễn Ngọc Tuấn", "Chủ tịch HĐND Thành phố"),
}


def number(code: str, printed_issuer: str, state: bool, serial: int) -> str:
    if not code:  # a letter: no type, the drafting unit after the issuer
        return f"{serial}/{printed_issuer}"
    if state and code == "NQ" and serial % 3 == 0:  # legal normative: the year is printed
        return f"{serial}/{YEAR}/{code}-{printed_issuer}"
    return f"{serial}/{code}-{printed_issuer}" if state else f"{serial}-{code}/{printed_issuer}"


def plan(rng: random.Random) -> list[dict]:
    """Every sample document's fields, in issue order, the same on every run."""
    planned = []
    for type_name, code, printed, issuer, state, count, opening in SERIES:
        serial = STATE_FIRST_SERIAL if state else FIRST_SERIAL.get(code, 1)
        days = sorted(rng.sample(range(5, 330), count))
        for day in days:
            serial += rng.randint(1, 9 if code in ("QĐ", "TB", "") else 3)
            subject, topic = rng.choice(SUBJECTS)
            issued_on = datetime.date(YEAR, 1, 1) + datetime.timedelta(days=day)
            planned.append(
                {
                    "number": number(code, printed, state, serial),
                    "type_name": type_name,
                    "issuer": issuer,
                    "issued_on": issued_on,
                    "title": f"{opening} {subject}",
                    "topic": topic,
                    "internal": rng.random() < 0.04,
                    "draft": rng.random() < 0.03,
                }
            )
    return sorted(planned, key=lambda fields: (fields["issued_on"], fields["number"]))


def summary(fields: dict) -> str:
    return (
        f"{fields['title']}. Văn bản giao các sở, ban, ngành, UBND các xã, phường chủ trì, "
        "phối hợp tổ chức thực hiện, định kỳ hằng quý báo cáo kết quả về Văn phòng; "
        f"thời hạn hoàn thành trước ngày 31/12/{YEAR}."
    )


def load() -> dict:
    rng = random.Random(f"documents-{YEAR}")
    bodies = sample.organizations()
    people = sample.people() | {
        p.full_name: p
        for p in sample.Person.objects.filter(full_name__in=[n for n, _ in SIGNERS.values()])
    }
    types = {t.name: t for t in DocumentType.objects.all()}
    topics = {name: sample.ensure(Topic, {"name": name}) for name in TOPICS}
    own = {(d.number, d.issuer_id): d for d in sample.made_by_sample(Document.objects.all())}
    documents, added, skipped = [], 0, []
    Link, links = Document.topics.through, []
    for fields in plan(rng):
        issuer = bodies[fields["issuer"]]
        document = own.get((fields["number"], issuer.pk))
        if document is None:
            signer, signer_title = SIGNERS[fields["issuer"]]
            wanted = Document(
                number=fields["number"],
                issuer=issuer,
                document_type=types.get(fields["type_name"]),
                issued_on=fields["issued_on"],
                effective_on=fields["issued_on"],
                title=fields["title"],
                summary=summary(fields),
                signer=people.get(signer),
                signer_title=signer_title,
                visibility=Visibility.INTERNAL if fields["internal"] else Visibility.PUBLIC,
                status=PublicationStatus.DRAFT if fields["draft"] else PublicationStatus.PUBLISHED,
            )
            wanted.fill_derived()
            if wanted.duplicate() is not None:
                skipped.append(f"{fields['number']} ({issuer})")
                continue
            wanted._change_reason = sample.SAMPLE
            wanted.save()
            links.append(Link(document=wanted, topic=topics[fields["topic"]]))
            document, added = wanted, added + 1
        documents.append(document)
    # In one statement: a topic added one by one would write each document's history again.
    Link.objects.bulk_create(links)
    relations = _relate(rng, documents)
    return {"documents": added, "relations": relations} | ({"skipped": skipped} if skipped else {})


def _relate(rng: random.Random, documents: list[Document]) -> int:
    """Plans implement the resolutions and directives before them; guidance guides them;
    some decisions amend or replace an earlier decision of the same issuer; State
    decisions are based on a resolution of the People's Council."""
    by_code: dict[tuple[str, str], list[Document]] = {}
    added = 0
    for document in documents:
        earlier = {
            kind: by_code.get((code, system), [])
            for kind, code, system in [
                ("resolution", "NQ", document.system),
                ("directive", "CT", document.system),
                ("decision", "QĐ", document.system),
                ("council", "NQ", "state"),
            ]
        }
        targets = []
        if document.type_code == "KH" and (earlier["resolution"] or earlier["directive"]):
            pool = earlier["resolution"] + earlier["directive"]
            targets.append((RelationKind.IMPLEMENTS, rng.choice(pool)))
        if document.type_code == "HD" and earlier["resolution"]:
            targets.append((RelationKind.GUIDES, rng.choice(earlier["resolution"])))
        if document.type_code == "QĐ" and earlier["decision"] and rng.random() < 0.25:
            same_issuer = [d for d in earlier["decision"] if d.issuer_id == document.issuer_id]
            if same_issuer:
                kind = rng.choice([RelationKind.AMENDS, RelationKind.REPLACES])
                targets.append((kind, rng.choice(same_issuer)))
        if document.type_code == "QĐ" and document.system == "state" and earlier["council"]:
            targets.append((RelationKind.BASED_ON, rng.choice(earlier["council"][-5:])))
        for kind, target in targets:
            relation = {"from_document": document, "kind": kind, "to_document": target}
            if not DocumentRelation.all_objects.filter(**relation).exists():
                relation_row = DocumentRelation(**relation)
                relation_row._change_reason = sample.SAMPLE
                relation_row.save()
                added += 1
        by_code.setdefault((document.type_code, document.system), []).append(document)
    return added
