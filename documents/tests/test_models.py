import datetime

import pytest
from django.core.exceptions import ValidationError

from portal.models import OrganizationKind
from portal.publication import PublicationStatus
from portal.tests.factories import make_staff

from ..models import Document, Visibility
from ..status import InForce, RelationKind
from .factories import (
    document_type,
    make_document,
    make_relation,
    make_state_document,
    make_topic,
    organization,
)

pytestmark = pytest.mark.django_db


def test_save_fills_parts_from_the_printed_number():
    document = make_document(number="Số: 341 – KH / TU")
    assert (document.serial, document.type_code, document.issuer_code) == (341, "KH", "TU")
    assert document.display == "341-KH/TU"
    assert document.system == "party"
    assert document.search_key == " 341 KH TU KHTU "
    assert document.cycle == "term:XVII"
    assert document.get_absolute_url() == "/documents/2025/341-kh-tu/"


def test_state_number_with_year():
    document = make_state_document(
        number="30/2020/NĐ-CP",
        issuer=organization("CP", OrganizationKind.STATE),
        issued_on=datetime.date(2020, 3, 5),
    )
    assert (document.serial, document.number_year, document.display) == (30, 2020, "30/2020/NĐ-CP")
    assert document.cycle == "2020"
    assert document.slug == "30-2020-nd-cp"


def test_document_without_number_or_date_uses_title_and_creation_year():
    document = make_document(number="", issued_on=None, title="Đề án phân bổ đại biểu")
    assert document.display == "" and document.serial is None
    assert document.slug == "de-an-phan-bo-dai-bieu"
    assert document.url_year == datetime.date.today().year
    assert document.system == "party"  # from the issuer's kind


def test_slug_unique_per_year():
    first = make_document(number="", title="Báo cáo 6 tháng")
    second = make_document(number="", title="Báo cáo 6 tháng")
    assert first.slug == "bao-cao-6-thang"
    assert second.slug == "bao-cao-6-thang--2"


def test_search_text_is_folded():
    document = make_document(title="Xử lý ô nhiễm sông Tô Lịch", body="Đường sắt đô thị")
    assert "to lich" in document.search_text and "duong sat" in document.search_text
    assert list(Document.objects.search_text("TÔ LỊCH")) == [document]
    assert list(Document.objects.search_text("duong sat do thi")) == [document]
    assert list(Document.objects.search_text("to lich ha noi")) == []


# --- the admin's refusals live in clean() ---------------------------------------------


def test_duplicate_in_the_same_cycle_is_refused():
    make_document(number="06-CTr/TU", issued_on=datetime.date(2021, 3, 1))
    again = Document(
        number="06-CTr/TU",
        issuer=organization("TU"),
        title="Chương trình khác",
        issued_on=datetime.date(2024, 5, 1),
    )
    with pytest.raises(ValidationError) as error:
        again.full_clean()
    assert "đã có trong nhiệm kỳ XVII" in str(error.value)


def test_same_number_in_another_cycle_is_accepted():
    make_document(number="06-CTr/TU", issued_on=datetime.date(2021, 3, 1))
    later = Document(
        number="06-CTr/TU",
        issuer=organization("TU"),
        title="Chương trình công tác",
        issued_on=datetime.date(2026, 1, 12),
    )
    later.full_clean()
    later.save()
    assert later.cycle == "term:XVIII"
    assert later.get_absolute_url() == "/documents/2026/06-ctr-tu/"


def test_state_numbers_restart_every_year():
    make_state_document(number="04/CT-UBND", issued_on=datetime.date(2024, 3, 28))
    again = Document(
        number="04/CT-UBND",
        issuer=organization("UBND", OrganizationKind.STATE),
        title="Chỉ thị",
        issued_on=datetime.date(2025, 3, 28),
    )
    again.full_clean()
    same_year = Document(
        number="04/CT-UBND",
        issuer=organization("UBND", OrganizationKind.STATE),
        title="Chỉ thị",
        issued_on=datetime.date(2024, 12, 1),
    )
    with pytest.raises(ValidationError, match="năm 2024"):
        same_year.full_clean()


@pytest.mark.parametrize(
    ("number", "fields", "field", "message"),
    [
        ("341-KH/TU", {"type": "Quyết định"}, "document_type", "ký hiệu loại “KH”"),
        ("341-KH/TU", {"system": "state"}, "system", "“Văn bản của Đảng”"),
        ("04/CTr-UBND", {"issuer": "TU"}, "issuer", "“UBND”"),
        ("59-CV/TU", {"type": "Kế hoạch"}, "document_type", "“CV”"),
        ("2237/UBND-KT", {"type": "Kế hoạch"}, "document_type", "“—”"),
        ("12-HD/TU", {"type": "Hợp đồng"}, "document_type", "không có trong hệ thống"),
    ],
)
def test_contradictions_are_refused(number, fields, field, message):
    document = Document(
        number=number,
        title="Thử",
        issuer=organization(fields.get("issuer", "TU" if "/TU" in number else "UBND")),
        system=fields.get("system", ""),
        document_type=document_type(fields["type"]) if "type" in fields else None,
        issued_on=datetime.date(2025, 1, 2),
    )
    with pytest.raises(ValidationError) as error:
        document.full_clean()
    assert field in error.value.message_dict
    assert message in " ".join(error.value.message_dict[field])


def test_consistent_parts_are_accepted():
    for number, type_name, code in [
        ("341-KH/TU", "Kế hoạch", "TU"),
        ("12-QĐ/TU", "Quy định", "TU"),  # Party Quy định is QĐ
        ("2237/UBND-KT", "Công văn", "UBND"),  # State công văn has no type code
        ("59-CV/TU", "Công văn", "TU"),
        ("04/CTr-UBND", "Chương trình", "UBND"),
        ("7-KH/TU", "Kế hoạch", "BTVTU"),  # the Ban Thường vụ prints TU
    ]:
        issuer = organization(code)
        if code == "BTVTU":
            issuer.parent = organization("TU")
            issuer.save()
        Document(
            number=number,
            title="Thử",
            issuer=issuer,
            document_type=document_type(type_name),
            issued_on=datetime.date(2025, 1, 2),
        ).full_clean()


def test_malformed_number_is_refused_with_the_parser_message():
    document = Document(number="Số: /HC-TH", title="Mẫu", issuer=organization("TU"))
    with pytest.raises(ValidationError) as error:
        document.full_clean()
    assert "number" in error.value.message_dict


def test_issued_after_effective_is_refused():
    document = Document(
        number="",
        title="Thử",
        issuer=organization("TU"),
        issued_on=datetime.date(2025, 6, 12),
        effective_on=datetime.date(2025, 6, 1),
    )
    with pytest.raises(ValidationError) as error:
        document.full_clean()
    assert "effective_on" in error.value.message_dict


# --- visibility -----------------------------------------------------------------------


def test_visible_to(django_user_model):
    public = make_document()
    internal = make_document(visibility=Visibility.INTERNAL)
    make_document(status=PublicationStatus.DRAFT)
    from django.contrib.auth.models import AnonymousUser

    assert set(Document.objects.visible_to(AnonymousUser())) == {public}
    plain = django_user_model.objects.create_user("dan", password="x")
    assert set(Document.objects.visible_to(plain)) == {public}
    reader = make_staff("documents.view_internal_document")
    assert set(Document.objects.visible_to(reader)) == {public, internal}


# --- status in force: the SQL twin agrees with the function ---------------------------


def _scenarios():
    today = datetime.date.today()
    past, future = today - datetime.timedelta(days=30), today + datetime.timedelta(days=30)
    documents = {
        "plain": make_document(),
        "expired": make_document(expires_on=past, issued_on=past - datetime.timedelta(days=9)),
        "not_yet": make_document(issued_on=past, effective_on=future),
        "amended": make_document(),
        "replaced": make_document(),
        "cancelled": make_document(),
        "pending": make_document(),
        "draft_replacement": make_document(),
        "unissued": make_document(number="", issued_on=None),
        "replaced_and_expired": make_document(
            expires_on=past, issued_on=past - datetime.timedelta(days=9)
        ),
    }
    acting = make_document(issued_on=past)
    make_relation(acting, RelationKind.AMENDS, documents["amended"])
    make_relation(acting, RelationKind.REPLACES, documents["replaced"])
    make_relation(acting, RelationKind.CANCELS, documents["cancelled"])
    make_relation(acting, RelationKind.REPLACES, documents["replaced_and_expired"])
    make_relation(acting, RelationKind.IMPLEMENTS, documents["plain"])
    unissued = make_document(number="", issued_on=None, title="Dự thảo sửa đổi")
    make_relation(unissued, RelationKind.AMENDS, documents["pending"])
    draft = make_document(status=PublicationStatus.DRAFT)
    make_relation(draft, RelationKind.REPLACES, documents["draft_replacement"])
    return documents


def test_status_in_force_on_documents_and_in_sql_agree():
    documents = _scenarios()
    expected = {
        "plain": InForce.IN_FORCE,
        "expired": InForce.EXPIRED,
        "not_yet": InForce.NOT_YET,
        "amended": InForce.PARTLY_AMENDED,
        "replaced": InForce.REPLACED,
        "cancelled": InForce.CANCELLED,
        "pending": InForce.IN_FORCE,
        "draft_replacement": InForce.IN_FORCE,
        "replaced_and_expired": InForce.REPLACED,
        "unissued": InForce.NOT_ISSUED,
    }
    today = datetime.date.today()
    for name, document in documents.items():
        assert document.standing().status == expected[name], name
    assert documents["pending"].standing().pending_change
    ids = [document.pk for document in documents.values()]
    for status in InForce:
        in_sql = set(
            Document.objects.filter(pk__in=ids)
            .with_status_in_force(status, today)
            .values_list("pk", flat=True)
        )
        in_python = {d.pk for d in documents.values() if d.standing(today).status == status}
        assert in_sql == in_python, status


def test_names_shared_with_numbering_agree():
    """The migration copies DOCUMENT_TYPES; the system values are numbering's."""
    import importlib

    from .. import numbering
    from ..models import DocumentType, System

    migration = importlib.import_module("documents.migrations.0002_document_types")
    copied = [(name, state, party) for name, _slug, state, party in migration.TYPES]
    assert copied == list(numbering.DOCUMENT_TYPES)
    assert {System.PARTY.value, System.STATE.value} == {numbering.PARTY, numbering.STATE}
    assert DocumentType.objects.count() == len(numbering.DOCUMENT_TYPES)
    assert DocumentType.objects.get(name="Quy định").code_for("state") == "QyĐ"
    assert DocumentType.objects.get(name="Quy định").code_for("party") == "QĐ"
    assert DocumentType.objects.get(name="Công văn").code_for("state") == ""
    assert DocumentType.objects.get(name="Kết luận").code_for("state") is None


def test_history_keeps_the_topics_a_document_had():
    document = make_document(number="341-KH/TU")
    transport = make_topic(name="Giao thông")
    document.topics.add(transport)
    document.topics.remove(transport)
    snapshots = [
        [row.topic_id for row in record.topics.all()]
        for record in document.history.order_by("history_date", "history_id")
    ]
    assert snapshots == [[], [transport.pk], []]
