import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from portal.tests.factories import make_staff

from ..models import Document, Visibility
from .factories import PDF_BYTES, document_type, make_document, organization

pytestmark = pytest.mark.django_db
CHANGELIST = reverse("admin:documents_document_changelist")
ADD = reverse("admin:documents_document_add")
IMPORT = reverse("admin:documents_document_import")


@pytest.fixture
def editor(client):
    user = make_staff(
        "documents.add_document",
        "documents.change_document",
        "documents.view_document",
        "documents.view_internal_document",
        "documents.add_attachment",
        "documents.change_attachment",
        "documents.view_attachment",
        "documents.add_documentrelation",
        "documents.change_documentrelation",
        "documents.view_documentrelation",
    )
    client.force_login(user)
    return user


def form_data(**overrides):
    data = {
        "number": "341-KH/TU",
        "system": "",
        "document_type": document_type("Kế hoạch").pk,
        "issuer": organization("TU").pk,
        "issued_on": "12/06/2025",
        "title": "Kế hoạch vận hành thử nghiệm",
        "visibility": Visibility.PUBLIC,
        "relations_out-TOTAL_FORMS": "0",
        "relations_out-INITIAL_FORMS": "0",
        "relations_in-TOTAL_FORMS": "0",
        "relations_in-INITIAL_FORMS": "0",
        "attachments-TOTAL_FORMS": "0",
        "attachments-INITIAL_FORMS": "0",
    }
    return data | overrides


def test_admin_adds_a_document(client, editor):
    response = client.post(ADD, form_data())
    assert response.status_code == 302, response.context["adminform"].form.errors
    document = Document.objects.get()
    assert document.display == "341-KH/TU" and document.cycle == "term:XVII"
    assert document.status == "draft"


def test_admin_derives_the_type_from_the_number(client, editor):
    response = client.post(
        ADD,
        form_data(number="04/CTr-UBND", document_type="", issuer=organization("UBND", "state").pk),
    )
    assert response.status_code == 302
    assert Document.objects.get().document_type == document_type("Chương trình")


def test_admin_refuses_a_duplicate_in_the_same_term(client, editor):
    make_document(number="341-KH/TU", issued_on=datetime.date(2025, 6, 12))
    response = client.post(ADD, form_data(issued_on="01/08/2025"))
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "đã có trong nhiệm kỳ XVII" in errors["number"][0]


def test_admin_accepts_the_same_number_in_another_term(client, editor):
    make_document(number="06-CTr/TU", issued_on=datetime.date(2021, 3, 1))
    response = client.post(
        ADD,
        form_data(
            number="06-CTr/TU",
            document_type=document_type("Chương trình").pk,
            issued_on="12/01/2026",
        ),
    )
    assert response.status_code == 302
    assert Document.objects.filter(display="06-CTr/TU").count() == 2


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"document_type": "quyet-dinh"}, "document_type"),
        ({"issuer": "UBND"}, "issuer"),
        ({"system": "state"}, "system"),
        ({"effective_on": "01/06/2025"}, "effective_on"),
        ({"number": "Số: /HC-TH"}, "number"),
    ],
)
def test_admin_refuses_contradictions(client, editor, overrides, field):
    if "document_type" in overrides:
        overrides["document_type"] = document_type("Quyết định").pk
    if "issuer" in overrides:
        overrides["issuer"] = organization("UBND", "state").pk
    response = client.post(ADD, form_data(**overrides))
    assert response.status_code == 200
    assert field in response.context["adminform"].form.errors
    assert not Document.objects.exists()


def test_admin_attachment_checked_by_content(client, editor, media_root):
    fake = SimpleUploadedFile("ke-hoach.pdf", b"<html>not a pdf</html>")
    data = form_data(**{"attachments-TOTAL_FORMS": "1", "attachments-0-order": "0"})
    response = client.post(ADD, {**data, "attachments-0-file": fake})
    assert response.status_code == 200
    assert not Document.objects.exists()
    real = SimpleUploadedFile("Kế hoạch.pdf", PDF_BYTES)
    response = client.post(ADD, {**data, "attachments-0-file": real})
    assert response.status_code == 302
    attachment = Document.objects.get().attachments(manager="all_objects").get()
    assert attachment.pending, "an editor's attachment waits for a publisher"
    assert attachment.original_name == "Kế hoạch.pdf"
    assert attachment.size == len(PDF_BYTES)
    assert attachment.content_type == "application/pdf"


def test_admin_attachment_size_limit(client, editor, media_root, settings):
    settings.PORTAL_ATTACHMENT_MAX_MB = 0
    data = form_data(**{"attachments-TOTAL_FORMS": "1", "attachments-0-order": "0"})
    response = client.post(
        ADD, {**data, "attachments-0-file": SimpleUploadedFile("a.pdf", PDF_BYTES)}
    )
    assert response.status_code == 200
    assert "giới hạn" in str(response.context["inline_admin_formsets"][2].formset.errors)


@pytest.mark.parametrize("typed", ["341 kh tu", "Số: 341/KH-TU", "341"])
def test_admin_search_by_number(client, editor, typed):
    plan = make_document(number="341-KH/TU")
    make_document(number="34-KH/TU")
    make_document(number="3410-KH/TU")
    response = client.get(CHANGELIST, {"q": typed})
    assert list(response.context["cl"].result_list) == [plan]


def test_admin_search_by_words(client, editor):
    river = make_document(title="Xử lý ô nhiễm sông Tô Lịch")
    make_document(title="Khác")
    response = client.get(CHANGELIST, {"q": "to lich"})
    assert list(response.context["cl"].result_list) == [river]


def test_admin_hides_internal_documents_without_permission(client):
    make_document(visibility=Visibility.INTERNAL, title="Nội bộ")
    public = make_document(title="Công khai")
    client.force_login(make_staff("documents.view_document"))
    response = client.get(CHANGELIST)
    assert list(response.context["cl"].result_list) == [public]


def test_admin_list_query_budget(client, editor, django_assert_max_num_queries):
    for n in range(25):
        make_document(number=f"{n + 1}-KH/TU", document_type=document_type("Kế hoạch"))
    with django_assert_max_num_queries(12):
        response = client.get(CHANGELIST)
    assert response.status_code == 200
    assert len(response.context["cl"].result_list) == 25


CSV_OK = (
    "number,issued_on,title,type,issuer,summary,visibility\n"
    "341-KH/TU,2025-06-12,Kế hoạch vận hành thử nghiệm,,,Tóm tắt,\n"
    "04/CTr-UBND,14/02/2025,Chương trình hành động,Chương trình,UBND,,public\n"
    "15-KH/BTGTU,2025-03-01,Kế hoạch tuyên truyền,,,,internal\n"
)


def test_admin_import_form(client, editor):
    """An upload is previewed (nothing written); "Nhập thật" writes it."""
    organization("TU")
    organization("UBND", "state")
    upload = SimpleUploadedFile("register.csv", CSV_OK.encode())
    response = client.post(IMPORT, {"file": upload})
    assert response.status_code == 302
    preview = client.get(response["Location"]).text
    assert "Tệp hợp lệ: 3 văn bản sẽ được nhập. Chưa ghi gì." in preview
    assert "BTGTU" in preview and "Nhập thật" in preview
    assert not Document.objects.exists()
    response = client.post(response["Location"])
    assert response.status_code == 302
    page = client.get(response["Location"]).text
    assert "Đã nhập 3 văn bản." in page and "BTGTU" in page
    assert Document.objects.count() == 3


def test_admin_import_form_errors(client, editor):
    bad = SimpleUploadedFile("bad.csv", b"number,issued_on,title\n341-KH/TU,hom qua,X\n")
    response = client.post(IMPORT, {"file": bad})
    page = client.get(response["Location"]).text
    assert "<td>2</td>" in page and "hom qua" in page
    assert "Nhập thật" not in page
    assert client.post(response["Location"]).status_code == 302  # nothing to confirm
    assert not Document.objects.exists()


def test_admin_import_publish_needs_permission(client, editor):
    upload = SimpleUploadedFile("register.csv", CSV_OK.encode())
    assert client.post(IMPORT, {"file": upload, "publish": "on"}).status_code == 403


def test_admin_pages_render(client, editor):
    document = make_document(number="341-KH/TU")
    assert "Số, ký hiệu" in client.get(ADD).text
    draft = make_document(number="", issued_on=None, title="Dự thảo sửa đổi")
    from ..models import DocumentRelation

    DocumentRelation.objects.create(from_document=draft, kind="amends", to_document=document)
    change = reverse("admin:documents_document_change", args=[document.pk])
    text = client.get(change).text
    assert "341-KH/TU" in text and "Dự thảo sửa đổi" in text
    assert "Còn hiệu lực (đang có dự thảo sửa đổi, thay thế)" in text
    assert "Nhập từ tệp CSV" in client.get(CHANGELIST).text
    autocomplete = client.get(
        reverse("admin:autocomplete"),
        {
            "term": "341 kh tu",
            "app_label": "documents",
            "model_name": "documentrelation",
            "field_name": "to_document",
        },
    )
    assert [r["text"] for r in autocomplete.json()["results"]] == ["341-KH/TU"]
