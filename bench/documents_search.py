"""Benchmark of the documents register's searches and list page on PostgreSQL.

Not a test: it generates a synthetic register of `--size` documents (many issuers with
their sub-units, every document type, both numbering systems, 20 years, serials that
restart per numbering cycle as in docs/numbering.md §1.4,
Vietnamese titles and bodies) and times, through the code paths the views use:

* number search: `Document.objects.visible_to(user).search_number(q)` with the variants
  reviewers type (`341 KH TU`, `341/KH-TU`, `kh 341`, `Kế hoạch số 341-KH/TU`, a bare
  serial, a symbol without serial `KH/TU`), and the documents the list then shows (the
  one it redirects to, or its first page);
* text search: `TextMatches(visible, q)` paginated as the list view does (capped count and
  the first page), after `search_number` declined the text, as in the view;
* the list page through the Django test Client: first page, a deep page, large filters.

It prints p50/p95/max per family and the plan node types of a cold text search
(EXPLAIN), and writes the figures as JSON (`--out`). Usage:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench \\
        .venv/bin/python bench/documents_search.py --size 100000
    … --size 1000000 --compare /tmp/documents_bench_100000.json
    … --drop          # drop the bench database and exit

The database is created when missing and migrated; an existing register of another size
is replaced. The script refuses to run on anything but PostgreSQL.
"""

import argparse
import datetime
import io
import json
import os
import random
import statistics
import sys
import time
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from multiprocessing import get_context
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
os.environ.setdefault("DJANGO_SECRET_KEY", "bench")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,localhost")
os.environ.setdefault("DJANGO_SECURE_HTTPS", "false")  # the test client speaks plain HTTP
os.environ.setdefault("PORTAL_RATE_SEARCH", "")  # hundreds of searches from one address

TODAY = datetime.date(2026, 11, 25)
FIRST_DAY = datetime.date(2007, 1, 1)  # 20 years of documents
BATCH = 20_000

# --- Issuers ---------------------------------------------------------------------------
# (code in the portal, printed issuer code, name, kind, parent code, weight). Several bodies
# print the same code (Ban Thường vụ and Thường trực print TU; every district committee
# prints QU/HU, every ward committee ĐU, every district People's Committee UBND), so the
# same printed number exists for many issuers: the register is realistic about that.
DISTRICTS = [
    "Ba Đình", "Hoàn Kiếm", "Tây Hồ", "Long Biên", "Cầu Giấy", "Đống Đa", "Hai Bà Trưng",
    "Hoàng Mai", "Thanh Xuân", "Hà Đông", "Nam Từ Liêm", "Bắc Từ Liêm", "Sóc Sơn", "Đông Anh",
    "Gia Lâm", "Thanh Trì", "Mê Linh", "Sơn Tây", "Ba Vì", "Phúc Thọ", "Đan Phượng",
    "Hoài Đức", "Quốc Oai", "Thạch Thất", "Chương Mỹ", "Thanh Oai", "Thường Tín",
    "Phú Xuyên", "Ứng Hòa", "Mỹ Đức",
]  # fmt: skip
WARDS = [
    "Hàng Bạc", "Hàng Trống", "Cửa Nam", "Kim Liên", "Văn Miếu", "Láng", "Ô Chợ Dừa",
    "Giảng Võ", "Ngọc Hà", "Yên Hòa", "Nghĩa Đô", "Tây Mỗ", "Phú Thượng", "Bồ Đề",
    "Việt Hưng", "Hoàng Liệt", "Định Công", "Kiến Hưng", "Dương Nội", "Thượng Cát",
]  # fmt: skip
DEPARTMENTS = [
    ("SXD", "Sở Xây dựng"), ("SYT", "Sở Y tế"), ("SGDĐT", "Sở Giáo dục và Đào tạo"),
    ("STC", "Sở Tài chính"), ("SNV", "Sở Nội vụ"), ("STP", "Sở Tư pháp"),
    ("SCT", "Sở Công Thương"), ("SVHTT", "Sở Văn hóa và Thể thao"),
    ("SNNMT", "Sở Nông nghiệp và Môi trường"), ("SKHCN", "Sở Khoa học và Công nghệ"),
    ("SDL", "Sở Du lịch"), ("TTRTP", "Thanh tra Thành phố"),
]  # fmt: skip
STATE_SUB_UNITS = ["KT", "ĐT", "KGVX", "NC", "TH", "TCĐT", "NNMT", "VP"]


def issuers():
    rows = [
        ("TW", "TW", "Ban Chấp hành Trung ương", "party", None, 2),
        ("TU", "TU", "Thành ủy Hà Nội", "party", None, 30),
        ("BTVTU", "TU", "Ban Thường vụ Thành ủy", "party", "TU", 25),
        ("TTTU", "TU", "Thường trực Thành ủy", "party", "TU", 8),
        ("UBKTTU", "UBKTTU", "Ủy ban Kiểm tra Thành ủy", "party", "TU", 10),
        ("VPTU", "VPTU", "Văn phòng Thành ủy", "party", "TU", 12),
        ("BTCTU", "BTCTU", "Ban Tổ chức Thành ủy", "party", "TU", 10),
        ("BTGDVTU", "BTGDVTU", "Ban Tuyên giáo và Dân vận Thành ủy", "party", "TU", 8),
        ("BNCTU", "BNCTU", "Ban Nội chính Thành ủy", "party", "TU", 6),
        ("ĐUK", "ĐUK", "Đảng ủy Khối các cơ quan Thành phố", "party", "TU", 6),
        ("UBND", "UBND", "Ủy ban nhân dân Thành phố Hà Nội", "state", None, 120),
        ("HĐND", "HĐND", "Hội đồng nhân dân Thành phố Hà Nội", "assembly", None, 8),
        ("CP", "CP", "Chính phủ", "state", None, 2),
        ("TTg", "TTg", "Thủ tướng Chính phủ", "state", None, 2),
        ("QH", "QH", "Quốc hội", "assembly", None, 1),
        ("BXD", "BXD", "Bộ Xây dựng", "state", None, 1),
        ("BNV", "BNV", "Bộ Nội vụ", "state", None, 1),
        ("BTC", "BTC", "Bộ Tài chính", "state", None, 1),
    ]
    for code, name in DEPARTMENTS:
        rows.append((code, code, name, "state", "UBND", 8))
    for index, district in enumerate(DISTRICTS):
        rural = index >= 12
        rows.append(
            (
                f"{'HU' if rural else 'QU'}.{index:02d}",
                "HU" if rural else "QU",
                f"{'Huyện' if rural else 'Quận'} ủy {district}",
                "party",
                "TU",
                5,
            )
        )
        rows.append((f"UBND.{index:02d}", "UBND", f"UBND {district}", "state", "UBND", 9))
    for index, ward in enumerate(WARDS):
        rows.append((f"ĐU.{index:02d}", "ĐU", f"Đảng ủy phường {ward}", "party", "TU", 2))
    return rows


# Party committee terms (the generator's own counters; before 2020 `cycles.py` knows no
# term and stores an empty cycle, which is what the portal does for old Party documents).
PARTY_TERM_STARTS = [
    datetime.date(2005, 11, 1),
    datetime.date(2010, 11, 1),
    datetime.date(2015, 10, 25),
    datetime.date(2020, 10, 13),
    datetime.date(2025, 10, 16),
]

# Relative frequencies by type name (names of numbering.DOCUMENT_TYPES); others get 1.
TYPE_WEIGHTS = {
    "Công văn": 300,
    "Quyết định": 140,
    "Kế hoạch": 60,
    "Báo cáo": 50,
    "Thông báo": 45,
    "Tờ trình": 25,
    "Hướng dẫn": 15,
    "Chỉ thị": 8,
    "Nghị quyết": 12,
    "Chương trình": 8,
    "Kết luận": 10,
    "Quy chế": 4,
    "Quy định": 4,
    "Giấy mời": 20,
    "Đề án": 4,
}

# --- Vietnamese text -------------------------------------------------------------------
ACTIONS = [
    "triển khai thực hiện", "về việc tăng cường", "đẩy mạnh", "kiểm tra, giám sát",
    "tổ chức thực hiện", "phê duyệt", "sơ kết", "tổng kết", "điều chỉnh, bổ sung",
    "chấn chỉnh", "nâng cao hiệu quả", "hướng dẫn thực hiện", "về việc giao chỉ tiêu",
    "tiếp tục thực hiện", "về việc thành lập Tổ công tác", "rà soát, đánh giá",
    "tăng cường lãnh đạo, chỉ đạo", "về việc kiện toàn", "ban hành Quy chế phối hợp",
    "đánh giá kết quả", "về phương hướng, nhiệm vụ", "thí điểm",
]  # fmt: skip
SUBJECTS = [
    "công tác cải cách hành chính", "chuyển đổi số", "xây dựng chính quyền hai cấp",
    "phòng cháy, chữa cháy", "quản lý trật tự xây dựng", "giải phóng mặt bằng",
    "bảo vệ môi trường", "thu ngân sách nhà nước", "giải ngân vốn đầu tư công",
    "công tác cán bộ", "xây dựng Đảng và hệ thống chính trị", "phát triển kinh tế - xã hội",
    "bảo đảm an ninh - quốc phòng", "y tế cơ sở", "giáo dục và đào tạo",
    "văn hóa, thể thao và du lịch", "giao thông đô thị", "cấp nước sạch nông thôn",
    "thoát nước và xử lý nước thải", "chiếu sáng công cộng", "nhà ở xã hội",
    "cải tạo, xây dựng lại chung cư cũ", "thu gom, xử lý rác thải", "an toàn thực phẩm",
    "phòng, chống dịch bệnh", "bình đẳng giới", "công tác dân vận",
    "tiếp công dân", "giải quyết khiếu nại, tố cáo", "phòng, chống tham nhũng, lãng phí",
    "thực hành tiết kiệm", "kiểm tra tài chính đảng", "kết nạp đảng viên",
    "học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
    "sắp xếp đơn vị hành chính cấp xã", "quy hoạch chung Thủ đô", "đường sắt đô thị",
    "cải tạo sông Tô Lịch", "bảo tồn khu phố cổ", "phát triển khu công nghệ cao",
    "chương trình mục tiêu quốc gia xây dựng nông thôn mới", "bảo hiểm xã hội tự nguyện",
    "tuyển quân và giao quân", "phòng, chống thiên tai và tìm kiếm cứu nạn",
    "tổ chức Đại hội Đảng bộ các cấp", "bầu cử đại biểu Quốc hội và Hội đồng nhân dân",
    "kinh tế tư nhân", "hội nhập quốc tế", "khoa học, công nghệ và đổi mới sáng tạo",
]  # fmt: skip
PLACES = [
    "trên địa bàn Thành phố", "tại quận Hoàn Kiếm", "dọc sông Tô Lịch", "khu vực Hồ Tây",
    "tại huyện Sóc Sơn", "tại quận Long Biên", "tại thị xã Sơn Tây", "tại huyện Ba Vì",
    "tuyến đường Vành đai 4", "khu vực ven đê sông Hồng", "tại các phường, xã",
    "trong các cơ quan, đơn vị", "tại quận Cầu Giấy", "tại huyện Đông Anh",
    "khu đô thị mới Tây Hồ Tây", "tại huyện Mê Linh", "tại quận Hà Đông", "",
]  # fmt: skip
PERIODS = [
    "năm {y}",
    "6 tháng đầu năm {y}",
    "giai đoạn {y}-{y5}",
    "quý I năm {y}",
    "nhiệm kỳ 2020-2025",
    "",
]
WORDS = (  # noqa: SIM905 - a word list reads better as text
    "căn cứ theo đề nghị của các sở ban ngành đoàn thể Thành phố yêu cầu thủ trưởng "
    "cơ quan đơn vị tổ chức thực hiện nghiêm túc có hiệu quả nội dung kế hoạch báo cáo "
    "kết quả trước ngày tháng chỉ đạo kiểm tra đôn đốc phối hợp chặt chẽ bảo đảm tiến độ "
    "chất lượng kinh phí ngân sách nguồn vốn xã hội hóa người dân doanh nghiệp hộ gia "
    "đình cán bộ công chức viên chức đảng viên chi bộ đảng bộ cơ sở mặt trận tổ quốc "
    "đoàn thanh niên hội phụ nữ cựu chiến binh công đoàn nông dân quận huyện thị xã "
    "phường xã thị trấn tổ dân phố công trình dự án hạ tầng kỹ thuật giao thông môi "
    "trường y tế giáo dục văn hóa du lịch an ninh trật tự an toàn phòng chống khắc phục "
    "tồn tại hạn chế nguyên nhân giải pháp nhiệm vụ trọng tâm thời gian tới đề xuất kiến "
    "nghị sơ kết đánh giá rút kinh nghiệm biểu dương khen thưởng kỷ luật xử lý vi phạm "
    "công khai minh bạch trách nhiệm giải trình thủ tục hành chính dịch vụ công trực "
    "tuyến dữ liệu số hóa hồ sơ điện tử chữ ký số hệ thống thông tin"
).split()


def _term_start(day):
    return max(start for start in PARTY_TERM_STARTS if start <= day)


def _title(rng, type_name, day):
    period = rng.choice(PERIODS).format(y=day.year, y5=day.year + 5)
    parts = [type_name, rng.choice(ACTIONS), rng.choice(SUBJECTS), rng.choice(PLACES), period]
    return " ".join(part for part in parts if part)


def _body(rng, cited):
    if rng.random() < 0.6:
        return ""  # many registers hold only the trích yếu
    sentences = []
    if cited:
        sentences.append(f"Căn cứ {cited};")
    for _ in range(rng.randint(2, 4)):
        words = rng.choices(WORDS, k=rng.randint(10, 18))
        sentences.append(" ".join(words).capitalize() + " " + rng.choice(SUBJECTS) + ".")
    return " ".join(sentences)


# --- Setup ---------------------------------------------------------------------------------


def django_setup():
    from django.db import connection

    import portal.wsgi  # noqa: F401 - sets Django up as a gunicorn worker does (gc.freeze)

    if connection.vendor != "postgresql":
        sys.exit(
            "documents_search.py measures PostgreSQL only (trigram indexes, plans); "
            f"DATABASE_URL points at {connection.vendor}. Set DATABASE_URL=postgres://…"
        )


def ensure_database(drop=False):
    """Create (or drop) the database DATABASE_URL names, through the `postgres` database."""
    import psycopg
    from django.conf import settings
    from psycopg import sql

    db = settings.DATABASES["default"]
    if db["ENGINE"] != "django.db.backends.postgresql":
        sys.exit("documents_search.py runs on PostgreSQL only; DATABASE_URL is not postgres://")
    if db["NAME"] in ("postgres", "template0", "template1"):
        sys.exit("Point DATABASE_URL at a bench database such as portal_bench.")
    params = {
        "dbname": "postgres",
        "user": db["USER"] or "postgres",
        "host": db["HOST"] or "127.0.0.1",
        "port": db["PORT"] or 5432,
    }
    if db.get("PASSWORD"):
        params["password"] = db["PASSWORD"]
    with psycopg.connect(**params, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [db["NAME"]])
        exists = exists.fetchone()
        name = sql.Identifier(db["NAME"])
        if drop:
            if exists:
                conn.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(name))
                print(f"dropped database {db['NAME']}")
            return
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(name))
            print(f"created database {db['NAME']}")


# --- Generation ------------------------------------------------------------------------------


def organizations():
    from portal.models import Organization

    by_code = {o.code: o for o in Organization.objects.all()}
    result = []
    for code, printed, name, kind, parent, weight in issuers():
        organization = by_code.get(code)
        if organization is None:
            organization = Organization.objects.create(
                code=code, name=name, kind=kind, parent=by_code.get(parent)
            )
            by_code[code] = organization
        result.append((organization.pk, code, printed, kind, weight))
    return result


def plan(size, seed):
    """Who issues what when, with serials that restart per numbering cycle.

    Returns rows (issuer_pk, system, type_name, type_code, number, day). Serials follow
    the issue date inside each cycle: State bodies keep one series per calendar year
    (normative documents a separate one with the year printed), Party bodies one series per
    type and committee term.
    """
    from documents.numbering import DOCUMENT_TYPES, PARTY, STATE

    rng = random.Random(seed)
    orgs = organizations()
    weights = [weight for *_rest, weight in orgs]
    span = (TODAY - FIRST_DAY).days
    party_types = [(name, party) for name, _state, party in DOCUMENT_TYPES if party]
    # Central normative types are issued by the central bodies below; the other types with
    # no State code (Thư công) stay unnumbered.
    central = {"Luật", "Pháp lệnh", "Nghị định", "Thông tư", "Thông tư liên tịch"}
    state_types = [
        (name, state)
        for name, state, _party in DOCUMENT_TYPES
        if (state or name == "Công văn") and name not in central
    ]
    unnumbered = [name for name, state, party in DOCUMENT_TYPES if state == "" or party == ""]
    types = {
        PARTY: (party_types, [TYPE_WEIGHTS.get(name, 1) for name, _code in party_types]),
        STATE: (state_types, [TYPE_WEIGHTS.get(name, 1) for name, _code in state_types]),
    }
    drafts = []
    offsets = [rng.triangular(0, span, span) for _ in range(size)]
    for org, day_offset in zip(rng.choices(orgs, weights, k=size), offsets, strict=True):
        pk, code, printed, kind, _weight = org
        day = FIRST_DAY + datetime.timedelta(days=int(day_offset))
        system = PARTY if kind == "party" else STATE
        if rng.random() < 0.015:
            drafts.append((pk, system, rng.choice(unnumbered), None, None, day, printed))
            continue
        choices, type_weights = types[system]
        name, type_code = rng.choices(choices, type_weights)[0]
        drafts.append((pk, system, name, type_code, None, day, printed))
    drafts.sort(key=lambda row: row[5])
    counters = Counter()
    rows = []
    for pk, system, name, type_code, _n, day, printed in drafts:
        if type_code is None:
            rows.append((pk, system, name, None, "", day))
            continue
        if system == PARTY:
            key = (pk, type_code, _term_start(day))
            counters[key] += 1
            number = f"{counters[key]:02d}-{type_code}/{printed}"
        elif printed in ("CP", "QH", "BXD", "BNV", "BTC") or (
            name in ("Quyết định", "Nghị quyết") and rng.random() < 0.04
        ):
            key = (pk, "normative", day.year)
            counters[key] += 1
            if printed == "QH":
                number = f"{counters[key]:02d}/{day.year}/QH{11 + (day.year - 2002) // 5}"
                name = "Luật"
            elif printed == "CP":
                name, type_code = "Nghị định", "NĐ"
                number = f"{counters[key]:02d}/{day.year}/NĐ-CP"
            elif printed in ("BXD", "BNV", "BTC"):
                name, type_code = (
                    ("Thông tư", "TT") if rng.random() < 0.9 else ("Thông tư liên tịch", "TTLT")
                )
                joint = "-BNV-BTC" if type_code == "TTLT" else ""
                number = f"{counters[key]:02d}/{day.year}/{type_code}-{printed}{joint}"
            else:
                number = f"{counters[key]:02d}/{day.year}/{type_code}-{printed}"
        else:
            key = (pk, day.year)
            counters[key] += 1
            if type_code:
                number = f"{counters[key]:02d}/{type_code}-{printed}"
            else:  # công văn: issuer and drafting unit
                number = f"{counters[key]:02d}/{printed}-{rng.choice(STATE_SUB_UNITS)}"
        if rng.random() < 0.02:  # as pasted from Word: en dash, spaces around separators
            number = number.replace("-", " – ", 1)
        rows.append((pk, system, name, type_code, number, day))
    return rows


def _type_ids():
    from documents.models import DocumentType

    ids = {}
    for document_type in DocumentType.objects.all():
        ids[document_type.name] = document_type.pk
    return ids


COLUMNS = None


def build_rows(args):
    """Worker: build the documents of some url years with the model's own derived-column
    rules (`Document.fill_derived`, `_slug_base`) and COPY them in batches."""
    rows, seed, type_ids = args
    from django.db import connection
    from django.utils import timezone

    from documents.models import Document

    rng = random.Random(seed)
    fields = [f for f in Document._meta.concrete_fields if not f.primary_key]
    columns = [f.column for f in fields]
    attnames = [f.attname for f in fields]
    taken = set()
    published_at = timezone.now()
    buffer = io.StringIO()
    count = 0
    cited_pool = ["Nghị quyết số 15-NQ/TU", "Luật Thủ đô số 39/2024/QH15", "Kế hoạch số 341-KH/TU"]
    for pk, system, type_name, _code, number, day in rows:
        status = "published" if rng.random() < 0.96 else "draft"
        document = Document(
            number=number,
            system=system,
            document_type_id=type_ids.get(type_name),
            issuer_id=pk,
            issued_on=day,
            title=_title(rng, type_name, day),
            body=_body(rng, rng.choice(cited_pool) if rng.random() < 0.5 else ""),
            visibility="public" if rng.random() < 0.92 else "internal",
            status=status,
            published_at=published_at if status == "published" else None,
            signer_title="",
        )
        document.fill_derived()
        base = document._slug_base()
        slug, n = base, 1
        while (document.url_year, slug) in taken:  # the same rule as Document._unique_slug
            n += 1
            slug = f"{base}--{n}"
        taken.add((document.url_year, slug))
        document.slug = slug
        values = [getattr(document, name) for name in attnames]
        buffer.write("\t".join([_copy_value(value) for value in values]) + "\n")
        count += 1
        if count % BATCH == 0:
            _copy(connection, columns, buffer)
            buffer = io.StringIO()
    _copy(connection, columns, buffer)
    connection.close()
    return count


def _copy_value(value):
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, datetime.date):  # dates, and aware datetimes with their offset
        return value.isoformat()
    text = str(value)
    return text.replace("\\", "\\\\").replace("\t", " ").replace("\n", " ").replace("\r", " ")


def _copy(connection, columns, buffer):
    data = buffer.getvalue()
    if not data:
        return
    connection.ensure_connection()
    with connection.connection.cursor() as cursor:
        column_list = ", ".join(columns)
        with cursor.copy(f"COPY documents_document ({column_list}) FROM STDIN") as copy:
            copy.write(data)
    connection.connection.commit()


def generate(size, seed, workers):
    from django.db import connection, connections

    from documents.models import Document

    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE documents_document CASCADE")
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'documents_document' "
            "AND indexname NOT IN (SELECT conname FROM pg_constraint)"
        )
        indexes = cursor.fetchall()
        for name, _definition in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
    rows = plan(size, seed)
    planned = time.perf_counter()
    type_ids = _type_ids()
    by_year = defaultdict(list)
    for row in rows:
        by_year[row[5].year].append(row)
    jobs = [(year_rows, seed + year, type_ids) for year, year_rows in sorted(by_year.items())]
    connections.close_all()
    with get_context("fork").Pool(workers) as pool:
        loaded = sum(pool.imap_unordered(build_rows, jobs))
    copied = time.perf_counter()

    def create(definition):
        from django.db import connections as conns

        with conns["default"].cursor() as cursor:
            cursor.execute("SET maintenance_work_mem = '1GB'")
            cursor.execute(definition)
        conns["default"].close()

    with ThreadPoolExecutor(max_workers=workers) as executor:
        list(executor.map(create, [definition for _name, definition in indexes]))
    indexed = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE documents_document")
    done = time.perf_counter()
    assert loaded == size == Document.objects.count(), (loaded, size)
    return {
        "plan_s": round(planned - started, 1),
        "build_and_copy_s": round(copied - planned, 1),
        "indexes_s": round(indexed - copied, 1),
        "vacuum_analyze_s": round(done - indexed, 1),
        "total_s": round(done - started, 1),
        "indexes": [name for name, _definition in indexes],
    }


# --- Measurement ---------------------------------------------------------------------------


def summary(samples):
    ordered = sorted(samples)
    return {
        "load_1min": round(os.getloadavg()[0], 2),  # the machine may be shared: say so
        "n": len(ordered),
        "p50_ms": round(statistics.median(ordered) * 1000, 2),
        "p95_ms": round(ordered[int(len(ordered) * 0.95) - 1] * 1000, 2),
        "max_ms": round(ordered[-1] * 1000, 2),
    }


VARIANTS = ["full", "slash", "code_serial", "type_words", "serial", "symbol"]


def number_queries(rng, count):
    """Numbers of existing documents, typed the ways reviewers type them."""
    from documents.models import Document
    from documents.numbering import parse_number

    lowest = Document.objects.order_by("pk").values_list("pk", flat=True).first()
    highest = Document.objects.order_by("-pk").values_list("pk", flat=True).first()
    ids = [rng.randint(lowest, highest) for _ in range(count * 2)]
    numbered = list(
        Document.objects.filter(pk__in=ids)
        .exclude(display="")
        .values_list("number", "document_type__name")[:count]
    )
    variants = []
    for index, (number, type_name) in enumerate(numbered):
        parsed = parse_number(number)
        serial, tokens = parsed.serial, parsed.tokens
        kind = index % 6
        if kind == 0:
            query = f"{serial} {' '.join(tokens)}"  # 341 KH TU
        elif kind == 1:
            query = f"{serial}/{'-'.join(tokens)}"  # 341/KH-TU
        elif kind == 2:
            query = f"{(parsed.type_code or 'cv').lower()} {serial}"  # kh 341
        elif kind == 3:
            query = f"{type_name or ''} số {number}".strip()  # Kế hoạch số 341-KH/TU
        elif kind == 4:
            query = str(serial)  # bare serial
        else:
            query = "/".join(tokens[:2])  # KH/TU
        variants.append((VARIANTS[kind], query))
    return variants


TEXT_QUERIES = [
    "to lich", "ho tay", "chuyen doi so", "giai phong mat bang", "chung cu cu", "rac thai",
    "vanh dai 4", "son tay", "nha o xa hoi", "an toan thuc pham", "tham nhung",
    "ket nap dang vien", "duong sat do thi", "pho co", "cong nghe cao", "nong thon moi",
    "tuyen quan", "thien tai", "dai hoi dang bo", "bau cu", "kinh te tu nhan",
    "hoi nhap quoc te", "doi moi sang tao", "chinh quyen hai cap", "cai cach hanh chinh",
    "phong chay", "trat tu xay dung", "dau tu cong", "me linh", "ba vi",
    "Tô Lịch", "chuyển đổi số", "thủ đô", "dich vu cong truc tuyen", "chu ky so",
    "bieu duong khen thuong", "thi diem", "to cong tac", "ve sinh moi truong", "quy I",
]  # fmt: skip


def list_view_number_search(visible, query: str) -> bool:
    """The list view's work for a number: rank, then read the address it redirects to, or
    load the first page of the chooser or the candidates. Whether anything matched."""
    from documents.numbering import Match
    from portal.lists import PER_PAGE

    found = visible.search_number(query, partial_too=False)
    if found:
        exact = found.at_least(Match.LOOSE)
        if len(exact) == 1:
            exact.address(0)
        else:
            list((exact or found)[:PER_PAGE])
    return bool(found)


def timed(function):
    started = time.perf_counter()
    function()
    return time.perf_counter() - started


def measure(size, queries, seed):
    from django.conf import settings
    from django.contrib.auth.models import AnonymousUser
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    from documents.models import Document
    from documents.word_search import TextMatches
    from portal import lists as views  # the lists' paginator and caps

    setup_test_environment()
    # No collectstatic in a bench checkout: serve static names unhashed.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    rng = random.Random(seed)
    visible = Document.objects.visible_to(AnonymousUser())
    results = {}

    # Number search ---------------------------------------------------------------------
    def number_search(query):
        return list_view_number_search(visible, query)

    variants = number_queries(rng, queries)
    for _kind, query in variants[:50]:  # warm the code paths (not the data)
        number_search(query)
    samples, by_kind, hits = [], defaultdict(list), Counter()
    for kind, query in variants:
        elapsed = timed(lambda q=query: hits.update([number_search(q)]))
        samples.append(elapsed)
        by_kind[kind].append(elapsed)
    results["number"] = summary(samples)
    results["number"]["found_share"] = round(hits[True] / len(variants), 3)
    results["number_by_variant"] = {kind: summary(s) for kind, s in sorted(by_kind.items())}
    results["number_examples"] = [query for _kind, query in variants[:6]]
    print("number search", results["number"], results["number_by_variant"], flush=True)

    # Text search: the view's path for prose (search_number declines, then text) ----------
    def text_search(query):
        if visible.search_number(query):
            return
        matches = TextMatches(visible, query, limit=views.MAX_LISTED + 1)
        list(views.ListPaginator(matches, views.PER_PAGE).get_page(1).object_list)

    text = [rng.choice(TEXT_QUERIES) for _ in range(queries)]
    for query in TEXT_QUERIES:
        text_search(query)
    results["text"] = summary([timed(lambda q=q: text_search(q)) for q in text])
    by_query = defaultdict(list)
    # The first 12 and the two known tails (words each common, rare together).
    for query in [*TEXT_QUERIES[:12], "bieu duong khen thuong", "dich vu cong truc tuyen"]:
        for _ in range(5):
            by_query[query].append(timed(lambda q=query: text_search(q)))
    results["text_by_query"] = {q: summary(s)["p50_ms"] for q, s in by_query.items()}
    print("text search", results["text"], results["text_by_query"], flush=True)

    # Plans of every query a text search runs (walks, index read, page) -----------------
    plans = {}
    for query in [*TEXT_QUERIES[:4], "thanh pho", "dich vu cong truc tuyen", "ve sinh"]:
        with CaptureQueries(connection) as captured:
            text_search(query)
        plans[query] = [plan_nodes(connection, sql, params) for sql, params in captured.queries]
    results["text_plans"] = plans

    # List page through the test client ------------------------------------------------
    client = Client()
    deep = views.MAX_LISTED // views.PER_PAGE
    pages = {
        "first": "/documents/",
        "deep": f"/documents/?page={deep}",
        "filter_state": "/documents/?system=state",
        "filter_state_deep": f"/documents/?system=state&page={deep}",
        "filter_year": "/documents/?year=2015",
        "filter_year_deep": f"/documents/?year=2015&page={deep}",
        "filter_issuer_type": "/documents/?issuer=UBND&type=cong-van",
        "text_deep": f"/documents/?q=thanh+pho&page={deep}",
    }
    for url in pages.values():
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    per_page = max(queries // len(pages), 125)
    page_samples = defaultdict(list)
    for _ in range(per_page):
        for name, url in pages.items():
            page_samples[name].append(timed(lambda u=url: client.get(u)))
    results["list"] = {name: summary(s) for name, s in page_samples.items()}
    results["list_plans"] = {
        "deep": plan_nodes(connection, *views_sql(visible.for_list()[980:1000])),
    }
    return results


def views_sql(queryset):
    return queryset.query.sql_with_params()


class CaptureQueries:
    def __init__(self, connection):
        self.connection = connection
        self.queries = []

    def __enter__(self):
        self.wrapper = self.connection.execute_wrapper(self)
        self.wrapper.__enter__()
        return self

    def __call__(self, execute, sql, params, many, context):
        if sql.startswith("SELECT"):  # not the SET LOCAL before a read by year
            self.queries.append((sql, params))
        return execute(sql, params, many, context)

    def __exit__(self, *exc):
        self.wrapper.__exit__(*exc)


def plan_nodes(connection, sql, params):
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params)
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    nodes = []

    def walk(node):
        label = node["Node Type"]
        if "Index Name" in node:
            label += f" ({node['Index Name']})"
        elif "Relation Name" in node:
            label += f" ({node['Relation Name']})"
        nodes.append(label)
        for child in node.get("Plans", []):
            walk(child)

    walk(plan[0]["Plan"])
    return nodes


def machine():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
        cursor.execute("SELECT pg_size_pretty(pg_total_relation_size('documents_document'))")
        table = cursor.fetchone()[0]
    memory = Path("/proc/meminfo").read_text().split("\n")[0].split()[1]
    return {
        "cpus": os.cpu_count(),
        "memory_gb": round(int(memory) / 1024 / 1024, 1),
        "postgresql": version,
        "table_with_indexes": table,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=20251125)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--regenerate", action="store_true", help="even if the size matches")
    parser.add_argument("--skip-measure", action="store_true")
    parser.add_argument("--out", help="JSON file for the figures (default /tmp/…_SIZE.json)")
    parser.add_argument("--compare", help="JSON of a smaller run: print the p95 ratios")
    parser.add_argument("--drop", action="store_true", help="drop the bench database and exit")
    args = parser.parse_args()

    from django.conf import settings

    settings.DATABASES  # noqa: B018 - loads DATABASE_URL
    ensure_database(drop=args.drop)
    if args.drop:
        return
    django_setup()
    from django.core.management import call_command

    from documents.models import Document

    call_command("migrate", verbosity=0)
    report = {"size": args.size}
    existing = Document.objects.count()
    if existing != args.size or args.regenerate:
        print(f"generating {args.size:,} documents (had {existing:,}) …", flush=True)
        report["generation"] = generate(args.size, args.seed, args.workers)
        print(json.dumps(report["generation"]), flush=True)
    report["machine"] = machine()
    print(json.dumps(report["machine"]), flush=True)
    if args.skip_measure:
        return
    report.update(measure(args.size, args.queries, args.seed))
    out = Path(args.out or f"/tmp/documents_bench_{args.size}.json")
    if args.compare:
        before = json.loads(Path(args.compare).read_text())
        report["p95_ratio_vs"] = {
            "size": before["size"],
            "number": round(report["number"]["p95_ms"] / before["number"]["p95_ms"], 2),
            "text": round(report["text"]["p95_ms"] / before["text"]["p95_ms"], 2),
        }
    out.write_text(json.dumps(report, indent=2, ensure_ascii=False))
    print_report(report)
    print(f"figures written to {out}")


def print_report(report):
    print(f"\n== {report['size']:,} documents ==")
    rows = [("number search", report["number"]), ("text search", report["text"])]
    rows += [(f"  number: {k}", v) for k, v in report["number_by_variant"].items()]
    rows += [(f"list: {k}", v) for k, v in report["list"].items()]
    print(f"{'':32} {'n':>6} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'load':>6}")
    for name, s in rows:
        print(
            f"{name:32} {s['n']:>6} {s['p50_ms']:>8} {s['p95_ms']:>8} {s['max_ms']:>8}"
            f" {s['load_1min']:>6}"
        )
    print("text search p50 by query:", report["text_by_query"])
    for query, plans in report["text_plans"].items():
        scans = [n for plan in plans for n in plan if n == "Seq Scan (documents_document)"]
        print(f"plans {query!r}: {plans}")
        print("   SEQ SCAN of documents!" if scans else "   no sequential scan of documents")
    print("deep list page plan:", report["list_plans"]["deep"])
    if "p95_ratio_vs" in report:
        print("p95 ratio vs", report["p95_ratio_vs"])


if __name__ == "__main__":
    main()
