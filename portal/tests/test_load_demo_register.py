"""`load_demo` on a register it did not make (issue 19): a generated or imported register
already holds documents bearing the demo's numbers. The demo never changes a row it did
not create: it skips its own document, names it, links nothing to the one found, and a
second run writes nothing."""

import datetime
import io

import pytest
from django.core.management import call_command

from documents.demo import DRAFT_AMENDMENTS
from documents.models import Document, DocumentRelation
from meetings.models import AgendaItem
from portal.models import Organization, OrganizationKind
from portal.publication import PublicationStatus

from .factories import row_counts

pytestmark = pytest.mark.django_db

GENERATED = 3_000
TITLE = "Kế hoạch số {n} về cải tạo, phục hồi sông Tô Lịch đoạn qua quận Cầu Giấy, Đống Đa"
# Documents the register already has that the demo would add too (the same number, issuer
# and numbering cycle, or unnumbered the same title), and one of another cycle.
COLLIDING = [
    ("341-KH/TU", "BTVTU", datetime.date(2025, 3, 4)),
    ("09-QC/TU", "TU", datetime.date(2021, 2, 1)),
    ("04/CT-UBND", "UBND", datetime.date(2025, 1, 9)),
    ("", "TU", None),  # the demo's unnumbered Đề án, by its title
]
OTHER_CYCLE = ("7799-QĐ/TU", "TU", datetime.date(2016, 5, 3))
DEAN = "Đề án phân bổ số lượng đại biểu dự Đại hội Đảng bộ Thành phố lần thứ XVIII"


def generated(number, issuer, issued_on, title, n) -> Document:
    document = Document(
        number=number,
        issuer=issuer,
        issued_on=issued_on,
        title=title,
        summary=f"Bản ghi số {n} do bộ sinh dữ liệu tạo, không phải dữ liệu mẫu.",
        status=PublicationStatus.PUBLISHED,
        published_at=datetime.datetime(2025, 7, 1, tzinfo=datetime.UTC),
        slug=f"sinh-{n}",
    )
    document.fill_derived()
    return document


@pytest.fixture
def register():
    """Issuers named as a generator names them, a few thousand documents bulk-created (no
    history, as an import or `bench/documents_search.py` leaves them), the colliding ones
    among them."""
    party, state = OrganizationKind.PARTY, OrganizationKind.STATE
    issuers = {
        "TU": Organization.objects.create(code="TU", name="Thành ủy", kind=party),
        "BTVTU": Organization.objects.create(code="BTVTU", name="BTV Thành ủy", kind=party),
        "UBND": Organization.objects.create(code="UBND", name="UBND Thành phố", kind=state),
    }
    first_day = datetime.date(2007, 1, 1)
    rows = [
        generated(
            f"{n}-KH/TU",
            issuers["TU"],
            first_day + datetime.timedelta(days=n * 7000 // GENERATED),
            TITLE.format(n=n),
            n,
        )
        for n in range(1, GENERATED + 1)
    ]
    for n, (number, code, issued_on) in enumerate([*COLLIDING, OTHER_CYCLE], GENERATED + 1):
        title = DEAN if not number else f"Văn bản sinh tự động số {number}"
        rows.append(generated(number, issuers[code], issued_on, title, n))
    Document.objects.bulk_create(rows, batch_size=1000)
    return issuers


def snapshot(queryset) -> list[tuple]:
    return list(
        queryset.order_by("pk").values_list(
            "pk", "number", "title", "summary", "issued_on", "document_type", "status", "slug"
        )
    )


def load_demo() -> str:
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def test_load_demo_twice_on_a_register_with_colliding_documents(register):
    theirs = Document.objects.all()
    before = snapshot(theirs)
    names = {code: o.name for code, o in register.items()}

    first = load_demo()
    counts = row_counts()
    second = load_demo()

    # Nothing it did not make was changed, nor given a history entry.
    generated_pks = [row[0] for row in before]
    assert snapshot(Document.objects.filter(pk__in=generated_pks)) == before
    assert not Document.history.filter(id__in=generated_pks).exists()
    assert {o.code: o.name for o in Organization.objects.filter(code__in=names)} == names
    # Each demo document the register already holds is skipped and named, on every run.
    for output in (first, second):
        for number in ("341-KH/TU (BTV Thành ủy)", "09-QC/TU (Thành ủy)", "04/CT-UBND"):
            assert f"skipped {number}" in output
        assert f"skipped {DEAN}" in output
        assert "Demo content loaded." in output
    # The other demo documents are there, 7799-QĐ/TU beside the register's of 2016.
    demo_made = Document.objects.exclude(pk__in=generated_pks)
    assert demo_made.filter(number="7799-QĐ/TU", issued_on=datetime.date(2024, 11, 14)).exists()
    assert demo_made.count() == 13 - len(COLLIDING)
    # Nothing of the demo points at a document it did not make.
    amends = DocumentRelation.objects.filter(from_document__title=DRAFT_AMENDMENTS)
    assert [r.to_document.number for r in amends] == ["7799-QĐ/TU"]
    assert not amends.filter(to_document__in=generated_pks).exists()
    linked = AgendaItem.documents.through.objects.values_list("document_id", flat=True)
    assert linked and not set(linked) & set(generated_pks)
    # The second run wrote nothing.
    assert row_counts() == counts
