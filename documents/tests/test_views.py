import datetime

import pytest
from django.urls import reverse

from portal.lists import MAX_LISTED
from portal.publication import PublicationStatus
from portal.tests.factories import make_staff

from .. import number_search
from ..models import Document, Visibility
from ..status import RelationKind
from .factories import (
    document_type,
    make_attachment,
    make_document,
    make_relation,
    make_state_document,
    make_topic,
)

pytestmark = pytest.mark.django_db
LIST = reverse("documents:list")


@pytest.fixture
def register():
    """A small register: Party and State documents, one internal, one draft."""
    return {
        "plan": make_document(
            number="341-KH/TU",
            title="Kế hoạch vận hành thử nghiệm mô hình chính quyền địa phương 2 cấp",
            document_type=document_type("Kế hoạch"),
        ),
        "programme": make_state_document(
            number="04/CTr-UBND",
            issued_on=datetime.date(2025, 2, 14),
            title="Chương trình hành động",
            document_type=document_type("Chương trình"),
        ),
        "directive": make_state_document(
            number="04/CT-UBND",
            issued_on=datetime.date(2025, 3, 28),
            title="Chỉ thị về xử lý ô nhiễm sông Tô Lịch",
            document_type=document_type("Chỉ thị"),
        ),
        "old_plan": make_document(
            number="34-KH/TU", issued_on=datetime.date(2021, 1, 5), title="Kế hoạch năm 2021"
        ),
        "internal": make_document(
            number="35-KH/TU", title="Kế hoạch nội bộ mật", visibility=Visibility.INTERNAL
        ),
        "draft": make_document(
            number="36-KH/TU", title="Kế hoạch chưa công bố", status=PublicationStatus.DRAFT
        ),
    }


def listed(response):
    return list(response.context["page_obj"].object_list)


def test_list_shows_published_public_documents_newest_first(client, register):
    response = client.get(LIST)
    assert listed(response) == [
        register["plan"],
        register["directive"],
        register["programme"],
        register["old_plan"],
    ]
    assert "341-KH/TU" in response.text
    assert "Kế hoạch nội bộ mật" not in response.text
    assert "Kế hoạch chưa công bố" not in response.text
    assert response.context["page_obj"].paginator.count == 4


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"type": "chi-thi"}, ["directive"]),
        ({"issuer": "UBND"}, ["directive", "programme"]),
        ({"system": "party"}, ["plan", "old_plan"]),
        ({"year": "2021"}, ["old_plan"]),
        ({"in_force": "in_force", "system": "state"}, ["directive", "programme"]),
    ],
)
def test_filters(client, register, params, expected):
    response = client.get(LIST, params)
    assert listed(response) == [register[name] for name in expected]


def test_status_and_topic_filters(client, register):
    topic = make_topic(name="Môi trường")
    register["directive"].topics.add(topic)
    replacing = make_state_document(number="09/CT-UBND", issued_on=datetime.date(2025, 5, 1))
    make_relation(replacing, RelationKind.REPLACES, register["programme"])
    assert listed(client.get(LIST, {"topic": topic.slug})) == [register["directive"]]
    assert listed(client.get(LIST, {"in_force": "replaced"})) == [register["programme"]]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"year": "abc"}, "Bỏ qua bộ lọc “Năm ban hành”"),
        ({"year": "99999999999999999999"}, "Bỏ qua bộ lọc “Năm ban hành”"),
        ({"year": "2025.5"}, "Bỏ qua bộ lọc “Năm ban hành”"),
        ({"year": "-1"}, "Bỏ qua bộ lọc “Năm ban hành”"),
        ({"system": "both"}, "Bỏ qua bộ lọc “Hệ thống”"),
        ({"topic": "x" * 5000}, "Bỏ qua bộ lọc “Chủ đề”"),
        ({"type": "khong-co"}, "Bỏ qua bộ lọc “Loại văn bản”"),
        ({"issuer": "TU\x00"}, ""),
        ({"in_force": "bogus"}, "Bỏ qua bộ lọc “Tình trạng hiệu lực”"),
        ({"page": "99999"}, "Không có trang “99999”"),
        ({"page": "abc"}, "Không có trang “abc”"),
        ({"q": "x" * 10_000}, "Từ khóa quá dài"),
        ({"q": "tô\x00 lịch"}, ""),
        ({"q": "341\x00-KH/TU", "page": "2"}, ""),
    ],
)
def test_bad_input_gives_a_message_never_a_500(client, register, params, message):
    response = client.get(LIST, params)
    assert response.status_code == 200
    shown = [str(m) for m in response.context["messages"]]
    if message:
        assert any(message in text for text in shown), shown
    assert "Kế hoạch nội bộ mật" not in response.text


def test_text_search_ignores_diacritics_and_case(client, register):
    response = client.get(LIST, {"q": "to lich"})
    assert listed(response) == [register["directive"]]
    assert listed(client.get(LIST, {"q": "CHÍNH QUYỀN địa phương"})) == [register["plan"]]


@pytest.mark.parametrize("typed", ["341 kh tu", "341/KH-TU", "Kế hoạch số 341-KH/TU", "341-kh/tu"])
def test_exact_number_redirects_to_the_document(client, register, typed):
    response = client.get(LIST, {"q": typed})
    assert response.status_code == 302
    assert response["Location"] == "/documents/2025/341-kh-tu/"


def test_a_document_unpublished_while_its_number_is_searched_is_left_out(
    client, register, monkeypatch
):
    """The search ranks ids, then reads the documents it shows: one unpublished in between
    is left out, not a failed redirect."""
    search = number_search.search

    def search_then_unpublish(*args, **kwargs):
        hits = search(*args, **kwargs)
        Document.objects.filter(pk__in=hits.pks).update(status=PublicationStatus.DRAFT)
        return hits

    monkeypatch.setattr(number_search, "search", search_then_unpublish)
    response = client.get(LIST, {"q": "341 kh tu"})
    assert response.status_code == 200
    assert listed(response) == []


def test_number_shared_by_two_cycles_offers_a_choice(client, register):
    newer = make_document(number="34-KH/TU", issued_on=datetime.date(2026, 1, 12), title="Mới")
    response = client.get(LIST, {"q": "34-KH/TU"})
    assert response.status_code == 200
    assert response.context["mode"] == "choose"
    assert listed(response) == [newer, register["old_plan"]]
    assert "Có nhiều văn bản cùng số" in response.text


def test_partial_number_lists_candidates_with_a_message(client, register):
    response = client.get(LIST, {"q": "04"})
    assert response.context["mode"] == "candidates"
    assert set(listed(response)) == {register["programme"], register["directive"]}
    assert "Không có văn bản nào đúng số" in response.text
    # 34 never finds 341, CT never finds CTr
    assert listed(client.get(LIST, {"q": "34"})) == [register["old_plan"]]
    assert (
        client.get(LIST, {"q": "04 CT UBND"})["Location"]
        == register["directive"].get_absolute_url()
    )


def test_internal_and_draft_numbers_are_not_found(client, register):
    for number in ("35-KH/TU", "36-KH/TU"):
        response = client.get(LIST, {"q": number})
        assert response.status_code == 200
        assert listed(response) == []


def test_reader_with_permission_finds_internal_documents(client, register):
    client.force_login(make_staff("documents.view_internal_document"))
    response = client.get(LIST, {"q": "35-KH/TU"})
    assert response["Location"] == register["internal"].get_absolute_url()
    assert client.get(register["internal"].get_absolute_url()).status_code == 200
    assert client.get(LIST).context["page_obj"].paginator.count == 5


def test_list_query_budget(client, register, django_assert_max_num_queries):
    for n in range(30):
        make_document(number=f"{500 + n}-KH/TU", document_type=document_type("Kế hoạch"))
    with django_assert_max_num_queries(6):
        response = client.get(LIST, {"page": "2"})
    assert len(listed(response)) == 14
    with django_assert_max_num_queries(6):
        client.get(LIST, {"q": "ke hoach", "system": "party"})


def test_deep_pages_are_capped(client, register, monkeypatch):
    monkeypatch.setattr("portal.lists.MAX_LISTED", 2)
    response = client.get(LIST, {"page": "2"})
    assert response.context["page_obj"].paginator.count == 2
    assert any("Chỉ liệt kê" in str(m) for m in response.context["messages"])
    assert MAX_LISTED >= 1000


# --- detail ---------------------------------------------------------------------------


def test_detail_shows_metadata_relations_both_ways_and_status(client, register):
    plan = register["plan"]
    plan.summary = "Thực hiện Chương trình 04/CTr-UBND và Kế hoạch 35-KH/TU."
    plan.save()
    make_relation(plan, RelationKind.IMPLEMENTS, register["programme"])
    amending = make_document(number="400-KH/TU", issued_on=datetime.date(2025, 6, 20))
    make_relation(amending, RelationKind.AMENDS, plan)
    response = client.get(plan.get_absolute_url())
    text = response.text
    assert response.context["document"] == plan
    assert "Được sửa đổi, bổ sung một phần" in text
    assert "Văn bản này triển khai thực hiện" in text
    assert "Văn bản này được sửa đổi, bổ sung bởi" in text
    assert '<a href="/documents/2025/04-ctr-ubnd/">04/CTr-UBND</a>' in text
    # The internal document is cited but not linked for the public.
    assert "35-KH/TU" in text and "/documents/2025/35-kh-tu/" not in text
    assert "12/06/2025" in text
    programme = client.get(register["programme"].get_absolute_url()).text
    assert "Văn bản này được triển khai bởi" in programme


def test_detail_of_internal_or_draft_is_404(client, register):
    for name in ("internal", "draft"):
        assert client.get(register[name].get_absolute_url()).status_code == 404
        url = reverse("documents:by_id", kwargs={"pk": register[name].pk})
        assert client.get(url).status_code == 404


def test_relations_to_hidden_documents_are_not_shown(client, register):
    make_relation(register["internal"], RelationKind.AMENDS, register["plan"])
    text = client.get(register["plan"].get_absolute_url()).text
    assert "35-KH/TU" not in text
    # …but the amendment still counts for the status in force.
    assert "Được sửa đổi, bổ sung một phần" in text


def test_relations_from_internal_documents_show_to_readers_with_permission(client, register):
    make_relation(register["internal"], RelationKind.AMENDS, register["plan"])
    make_relation(register["draft"], RelationKind.GUIDES, register["plan"])
    client.force_login(make_staff("documents.view_internal_document"))
    text = client.get(register["plan"].get_absolute_url()).text
    assert "Văn bản này được sửa đổi, bổ sung bởi" in text and "35-KH/TU" in text
    # A draft is shown to no one.
    assert "36-KH/TU" not in text


def test_old_id_url_redirects_permanently(client, register):
    url = reverse("documents:by_id", kwargs={"pk": register["plan"].pk})
    response = client.get(url)
    assert response.status_code == 301
    assert response["Location"] == "/documents/2025/341-kh-tu/"


def test_detail_bad_year_is_404(client, register):
    assert client.get("/documents/2024/341-kh-tu/").status_code == 404
    assert client.get("/documents/99999999999/341-kh-tu/").status_code == 404


def test_detail_query_budget(client, register, media_root, django_assert_max_num_queries):
    plan = register["plan"]
    plan.body = "Căn cứ 04/CTr-UBND và 04/CT-UBND."
    plan.save()
    plan.topics.add(make_topic(), make_topic())
    for other in ("programme", "directive", "old_plan"):
        make_relation(plan, RelationKind.BASED_ON, register[other])
        make_relation(register[other], RelationKind.GUIDES, plan)
    make_attachment(plan)
    make_attachment(plan, name="Phụ lục.pdf")
    with django_assert_max_num_queries(8):
        response = client.get(plan.get_absolute_url())
    assert "Phụ lục.pdf" in response.text


# --- attachments ----------------------------------------------------------------------


def test_pdf_attachment_served_inline_with_safe_headers(client, register, media_root):
    attachment = make_attachment(register["plan"], name="Kế hoạch số 341.pdf")
    assert attachment.file.name.startswith("documents/")
    assert "Kế hoạch" not in attachment.file.name  # stored under a generated name
    response = client.get(attachment.get_absolute_url())
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("inline")
    assert "filename*=utf-8''K%E1%BA%BF%20ho%E1%BA%A1ch%20s%E1%BB%91%20341.pdf" in disposition
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_office_attachment_is_downloaded(client, register, media_root):
    attachment = make_attachment(
        register["plan"],
        name='Bảng "số liệu".xls',
        content=bytes.fromhex("D0CF11E0A1B11AE1") + b"\x00" * 32,
        content_type="application/vnd.ms-excel",
    )
    response = client.get(attachment.get_absolute_url())
    assert response["Content-Disposition"].startswith("attachment")
    assert "\n" not in response["Content-Disposition"]


def test_attachments_of_internal_or_draft_documents_are_404(client, register, media_root):
    for name in ("internal", "draft"):
        attachment = make_attachment(register[name])
        assert client.get(attachment.get_absolute_url()).status_code == 404
    reader = make_staff("documents.view_internal_document")
    client.force_login(reader)
    internal = register["internal"].attachments.get()
    assert client.get(internal.get_absolute_url()).status_code == 200


def test_home_tag_lists_latest_visible_documents(client, register, django_assert_max_num_queries):
    from django.template import Context, Template
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    with django_assert_max_num_queries(2):
        html = Template("{% load documents_home %}{% latest_documents %}").render(
            Context({"request": request})
        )
    assert "341-KH/TU" in html
    assert "35-KH/TU" not in html and "36-KH/TU" not in html
    assert 'aria-labelledby="home-documents-title"' in html


def test_detail_lists_the_published_meetings_that_discussed_it(
    client, register, django_assert_max_num_queries
):
    meetings = pytest.importorskip("meetings.tests.factories")
    held = meetings.make_meeting(title="Hội nghị lần thứ 23")
    hidden = meetings.make_meeting(title="Hội nghị chưa công bố", status=PublicationStatus.DRAFT)
    for meeting in (held, hidden):
        item = meetings.make_item(meeting, title="Thông qua kế hoạch")
        item.documents.add(register["plan"])
    another = meetings.make_item(meetings.make_meeting(title="Phiên họp khác"))
    another.documents.add(register["plan"])
    with django_assert_max_num_queries(10):
        response = client.get(register["plan"].get_absolute_url())
    text = response.text
    assert "Được bàn tại" in text
    assert "Hội nghị lần thứ 23" in text and "Thông qua kế hoạch" in text
    assert held.get_absolute_url() in text
    assert "Hội nghị chưa công bố" not in text


def test_an_address_cited_before_a_correction_redirects_to_the_document(client):
    document = make_document(number="341-KH/TU", issued_on=datetime.date(2025, 6, 12))
    cited = document.get_absolute_url()
    document.issued_on = datetime.date(2024, 6, 12)
    document.save()
    assert document.get_absolute_url() != cited
    response = client.get(cited)
    assert response.status_code == 301
    assert response["Location"] == document.get_absolute_url()
    # Only while the document may be seen there: an internal one stays hidden.
    document.visibility = Visibility.INTERNAL
    document.save()
    assert client.get(cited).status_code == 404
    assert client.get("/documents/2025/no-such-document/").status_code == 404
