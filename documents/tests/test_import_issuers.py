"""An import names a document's issuer by its code or by the name the portal shows, case
and diacritics aside; anything else is a row error that says what to write."""

import pytest

from portal.models import Organization, OrganizationKind

from ..models import Document
from ..services import import_documents

pytestmark = pytest.mark.django_db
HEADER = "number,issued_on,title,issuer\n"


@pytest.fixture
def bodies():
    party = Organization.objects.create(
        code="TU", name="Thành ủy Hà Nội", short_name="Thành ủy", kind=OrganizationKind.PARTY
    )
    return [
        party,
        Organization.objects.create(
            code="HĐND",
            name="Hội đồng nhân dân Thành phố Hà Nội",
            short_name="HĐND Thành phố",
            kind=OrganizationKind.ASSEMBLY,
        ),
        Organization.objects.create(
            code="BTVTU",
            parent=party,  # its numbers print the Thành ủy's code, TU
            name="Ban Thường vụ Thành ủy Hà Nội",
            short_name="Thành ủy",  # shown as the Thành ủy too: the name alone is ambiguous
            kind=OrganizationKind.PARTY,
        ),
    ]


@pytest.mark.parametrize(
    ("issuer", "code"),
    [
        ("HĐND", "HĐND"),
        ("hđnd", "HĐND"),
        ("HDND", "HĐND"),  # Đ typed as D
        ("hội đồng nhân dân thành phố hà nội", "HĐND"),
        ("HOI DONG NHAN DAN THANH PHO HA NOI", "HĐND"),
        ("Hđnd thành phố", "HĐND"),
        ("thanh uy ha noi", "TU"),
        ("ban thuong vu thanh uy ha noi", "BTVTU"),
    ],
)
def test_an_issuer_by_its_code_or_its_shown_name(bodies, issuer, code):
    number = "05/2025/NQ-HĐND" if code == "HĐND" else "341-KH/TU"
    report = import_documents(data=HEADER + f"{number},2025-06-12,Văn bản,{issuer}\n")
    assert report.ok, report.errors
    assert Document.objects.get().issuer.code == code


@pytest.mark.parametrize(
    ("issuer", "message"),
    [
        ("Thành ủy", "“Thành ủy” có thể là nhiều cơ quan (BTVTU, TU): ghi mã."),
        ("Sở Nội vụ Hà Nội", "Không có cơ quan nào có mã hoặc tên “Sở Nội vụ Hà Nội”."),
    ],
)
def test_an_issuer_that_names_none_or_several_is_a_row_error(bodies, issuer, message):
    report = import_documents(data=HEADER + f"341-KH/TU,2025-06-12,Văn bản,{issuer}\n")
    assert report.errors == [(2, message)]
    assert not Document.objects.exists()
