"""The publication rule on documents, their relations and attachments (issue 14).

Through the real admin: an editor cannot change a published document's relations or
attachments, adds new ones only as pending rows the public does not see until a publisher
approves them, and never moves a document between internal and public. Staff without
`documents.view_internal_document` find no internal document's number or title on any
admin screen; staff with it do (so these tests would notice a leak).
"""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from portal.publication import PublicationStatus, set_status
from portal.tests.admin_forms import (
    INTERNAL_LABEL,
    LOCKED,
    make_editor,
    make_publisher,
    make_publisher_of,
    messages_of,
    public_text,
    read_form,
    run_action,
)

from ..models import Attachment, Document, DocumentRelation, Visibility
from ..status import RelationKind
from .factories import PDF_BYTES, make_attachment, make_document, make_relation

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:documents_document_changelist")
INTERNAL_NUMBER = "4321-TB/TU"
INTERNAL_TITLE = "Thông báo kết luận về công tác cán bộ quận Hoàn Kiếm"


def change_url(document) -> str:
    return reverse("admin:documents_document_change", args=[document.pk])


def history_url(document) -> str:
    return reverse("admin:documents_document_history", args=[document.pk])


def version_url(document, version) -> str:
    return reverse(
        "admin:documents_document_simple_history", args=[document.pk, version.history_id]
    )


@pytest.fixture
def plan():
    return make_document(
        number="341-KH/TU",
        title="Kế hoạch triển khai Nghị quyết số 15-NQ/TW về phát triển Thủ đô",
    )


@pytest.fixture
def decision():
    return make_document(
        number="57-QĐ/TU",
        title="Quyết định ban hành Quy chế làm việc của Ban Chấp hành Đảng bộ Thành phố",
    )


@pytest.fixture
def internal():
    return make_document(
        number=INTERNAL_NUMBER, title=INTERNAL_TITLE, visibility=Visibility.INTERNAL
    )


# Relations and attachments of a published document, as an editor -------------------


def test_editor_cannot_alter_a_relation_of_a_published_document(client, plan, decision):
    relation = make_relation(plan, RelationKind.IMPLEMENTS, decision)
    client.force_login(make_editor())
    form = read_form(client, change_url(plan), Document)
    assert LOCKED in form.html
    assert not form.has_input("relations_out-0-kind")

    client.post(
        change_url(plan),
        form.data(
            **{
                "relations_out-0-id": str(relation.pk),
                "relations_out-0-kind": RelationKind.CANCELS,
                "relations_out-0-DELETE": "on",
            }
        ),
    )

    relation.refresh_from_db()
    assert relation.kind == RelationKind.IMPLEMENTS
    assert not relation.pending
    assert "được triển khai bởi" in public_text(decision)
    assert "bị bãi bỏ bởi" not in public_text(decision)


def test_editor_adds_a_relation_that_waits_for_a_publisher(client, plan, decision):
    client.force_login(make_editor())
    form = read_form(client, change_url(plan), Document)

    response = client.post(
        change_url(plan),
        form.with_new_row("relations_out", kind=RelationKind.IMPLEMENTS, to_document=decision.pk),
    )

    assert response.status_code == 302
    relation = DocumentRelation.all_objects.get(from_document=plan)
    assert relation.pending
    assert "57-QĐ/TU" not in public_text(plan)
    assert "341-KH/TU" not in public_text(decision)

    run_action(client, "publish_pending", plan)  # forged: not offered to an editor

    assert DocumentRelation.all_objects.get(from_document=plan).pending

    client.force_login(make_publisher())
    response = run_action(client, "publish_pending", plan)

    assert "Đã công bố 1 thay đổi đang chờ." in messages_of(response)
    relation.refresh_from_db()
    assert not relation.pending
    assert "57-QĐ/TU" in public_text(plan)
    assert "341-KH/TU" in public_text(decision)


def test_a_second_pending_relation_like_the_first_is_a_form_error(client, plan, decision):
    """Both wait for a publisher, so neither shows to Django's own unique check."""
    client.force_login(make_editor())
    for _attempt in range(2):
        form = read_form(client, change_url(plan), Document)
        response = client.post(
            change_url(plan),
            form.with_new_row(
                "relations_out", kind=RelationKind.IMPLEMENTS, to_document=decision.pk
            ),
        )

    assert response.status_code == 200
    formset = response.context["inline_admin_formsets"][0].formset
    assert "trùng lặp" in str(formset.non_form_errors())
    assert DocumentRelation.all_objects.filter(from_document=plan).count() == 1


def test_editor_saves_a_draft_again_after_adding_a_relation(client, decision):
    """The pending row now listed in the form does not stop the next save."""
    draft = make_document(
        number="343-KH/TU",
        title="Dự thảo kế hoạch phát triển giao thông công cộng",
        status=PublicationStatus.DRAFT,
    )
    client.force_login(make_editor())
    form = read_form(client, change_url(draft), Document)
    client.post(
        change_url(draft),
        form.with_new_row("relations_out", kind=RelationKind.IMPLEMENTS, to_document=decision.pk),
    )
    form = read_form(client, change_url(draft), Document)

    response = client.post(
        change_url(draft), form.data(title="Kế hoạch phát triển giao thông công cộng")
    )

    assert response.status_code == 302, response.context["inline_admin_formsets"][0].formset.errors
    draft.refresh_from_db()
    assert draft.title == "Kế hoạch phát triển giao thông công cộng"
    assert DocumentRelation.all_objects.get(from_document=draft).pending


def test_publisher_saves_a_document_with_pending_relations_both_ways(client, plan, decision):
    """Pending rows (outgoing, and incoming from another document) are listed for the
    publisher to see; they do not stop a save, and stay pending until approved."""
    DocumentRelation.all_objects.create(
        from_document=plan, kind=RelationKind.IMPLEMENTS, to_document=decision, pending=True
    )
    DocumentRelation.all_objects.create(
        from_document=decision, kind=RelationKind.GUIDES, to_document=plan, pending=True
    )
    client.force_login(make_publisher())
    form = read_form(client, change_url(plan), Document)

    response = client.post(
        change_url(plan),
        form.data(
            title="Kế hoạch triển khai Nghị quyết số 15-NQ/TW (bản cập nhật)",
            change_note="Cập nhật trích yếu.",  # required of a public record (changes/)
        ),
    )

    assert response.status_code == 302, [
        inline.formset.errors for inline in response.context["inline_admin_formsets"]
    ]
    assert "Nghị quyết số 15-NQ/TW (bản cập nhật)" in public_text(plan)
    assert DocumentRelation.all_objects.filter(pending=True).count() == 2


def test_editor_adds_an_attachment_that_waits_for_a_publisher(client, media_root, plan):
    client.force_login(make_editor())
    form = read_form(client, change_url(plan), Document)
    upload = SimpleUploadedFile("Kế hoạch 341-KH-TU toàn văn.pdf", PDF_BYTES)

    response = client.post(
        change_url(plan), form.with_new_row("attachments", file=upload, order="1")
    )

    assert response.status_code == 302
    attachment = Attachment.all_objects.get(document=plan)
    assert attachment.pending
    assert "toàn văn.pdf" not in public_text(plan)
    assert Client().get(attachment.get_absolute_url()).status_code == 404

    client.force_login(make_publisher())
    run_action(client, "publish_pending", plan)

    assert "toàn văn.pdf" in public_text(plan)
    assert Client().get(attachment.get_absolute_url()).status_code == 200


def test_editor_cannot_alter_an_attachment_of_a_published_document(client, media_root, plan):
    attachment = make_attachment(plan, name="Kế hoạch 341 bản ký.pdf", order=1)
    stored_name = attachment.file.name
    client.force_login(make_editor())
    form = read_form(client, change_url(plan), Document)
    assert not form.has_input("attachments-0-order")

    client.post(
        change_url(plan),
        form.data(
            **{
                "attachments-0-id": str(attachment.pk),
                "attachments-0-order": "9",
                "attachments-0-file": SimpleUploadedFile("giả mạo.pdf", PDF_BYTES),
                "attachments-0-DELETE": "on",
            }
        ),
    )

    attachment.refresh_from_db()
    assert (attachment.order, attachment.file.name, attachment.pending) == (1, stored_name, False)
    assert "bản ký.pdf" in public_text(plan)


# Visibility: only a publisher moves a document between internal and public ---------


@pytest.mark.parametrize(
    ("stored", "forged"),
    [(Visibility.PUBLIC, Visibility.INTERNAL), (Visibility.INTERNAL, Visibility.PUBLIC)],
)
def test_editor_cannot_change_the_visibility_even_of_a_draft(client, stored, forged):
    draft = make_document(
        number="58-KH/TU",
        title="Dự thảo kế hoạch tổ chức Đại hội Đảng bộ các cấp",
        status=PublicationStatus.DRAFT,
        visibility=stored,
    )
    client.force_login(make_editor(reads_internal=True))
    form = read_form(client, change_url(draft), Document)
    assert form.has_input("title")  # a draft: the rest stays editable
    assert not form.has_input("visibility")

    response = client.post(
        change_url(draft),
        form.data(title="Kế hoạch tổ chức Đại hội Đảng bộ các cấp", visibility=forged),
    )

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.title == "Kế hoạch tổ chức Đại hội Đảng bộ các cấp"
    assert draft.visibility == stored


@pytest.mark.parametrize(
    ("then", "now"),
    [(Visibility.PUBLIC, Visibility.INTERNAL), (Visibility.INTERNAL, Visibility.PUBLIC)],
)
def test_editor_revert_of_a_draft_keeps_its_visibility(client, then, now):
    document = make_document(
        number="59-KH/TU",
        title="Kế hoạch kiểm tra, giám sát năm 2025",
        status=PublicationStatus.DRAFT,
        visibility=then,
    )
    old = document.history.latest()
    document.visibility = now  # a publisher's decision
    document.title = "Kế hoạch kiểm tra, giám sát năm 2025 (sửa đổi)"
    document.save()
    client.force_login(make_editor(reads_internal=True))
    url = version_url(document, old)

    response = client.post(url, read_form(client, url, Document).data())

    assert response.status_code == 302
    document.refresh_from_db()
    assert document.title == "Kế hoạch kiểm tra, giám sát năm 2025"
    assert document.visibility == now
    assert document.status == PublicationStatus.DRAFT


# As a publisher ------------------------------------------------------------------------


def test_publisher_publishes_a_draft_with_its_pending_relation_and_attachment(
    client, media_root, decision
):
    draft = make_document(
        number="342-KH/TU",
        title="Kế hoạch chỉnh trang đô thị phục vụ Đại lễ",
        status=PublicationStatus.DRAFT,
    )
    DocumentRelation.all_objects.create(
        from_document=draft, kind=RelationKind.IMPLEMENTS, to_document=decision, pending=True
    )
    make_attachment(draft, name="Kế hoạch 342 chỉnh trang.pdf", pending=True)
    client.force_login(make_publisher())

    response = run_action(client, "publish", draft)

    assert "Đã công bố 1 mục." in messages_of(response)
    assert not DocumentRelation.all_objects.filter(pending=True).exists()
    assert not Attachment.all_objects.filter(pending=True).exists()
    page = public_text(draft)
    assert "57-QĐ/TU" in page
    assert "342 chỉnh trang.pdf" in page


def test_publisher_relation_goes_live_at_once(client, plan, decision):
    client.force_login(make_publisher())
    form = read_form(client, change_url(plan), Document)
    assert LOCKED not in form.html

    client.post(
        change_url(plan),
        form.with_new_row("relations_out", kind=RelationKind.GUIDES, to_document=decision.pk),
    )

    assert not DocumentRelation.all_objects.get(from_document=plan).pending
    assert "57-QĐ/TU" in public_text(plan)


def test_publisher_makes_a_published_document_internal(client, plan):
    client.force_login(make_publisher())
    form = read_form(client, change_url(plan), Document)

    client.post(change_url(plan), form.data(visibility=Visibility.INTERNAL))

    plan.refresh_from_db()
    assert plan.visibility == Visibility.INTERNAL
    assert Client().get(plan.get_absolute_url()).status_code == 404


# Internal documents on admin screens --------------------------------------------------


@pytest.fixture(params=["editor", "publisher of other apps"])
def blind(request):
    """Staff without `documents.view_internal_document`."""
    if request.param == "editor":
        user = make_editor()
    else:
        user = make_publisher_of("meetings", "indicators", "projects")
    assert not user.has_perm("documents.view_internal_document")
    return user


def assert_hidden(text: str) -> None:
    assert INTERNAL_NUMBER not in text
    assert INTERNAL_TITLE not in text
    assert "Hoàn Kiếm" not in text


def assert_shown(text: str) -> None:
    assert INTERNAL_NUMBER in text or INTERNAL_TITLE in text


def test_document_list_hides_internal_documents(client, blind, internal, plan):
    client.force_login(blind)

    listed = client.get(CHANGELIST).content.decode()
    searched = client.get(CHANGELIST, {"q": "4321 tb tu"}).content.decode()

    assert "341-KH/TU" in listed
    assert_hidden(listed)
    assert_hidden(searched)


def test_document_list_shows_internal_documents_to_who_may_read_them(client, internal):
    client.force_login(make_publisher())

    assert_shown(client.get(CHANGELIST).content.decode())
    assert_shown(client.get(CHANGELIST, {"q": "4321 tb tu"}).content.decode())


def test_internal_document_pages_are_closed(client, blind, internal):
    internal.title = INTERNAL_TITLE + " (lần 2)"
    internal.save()
    first = internal.history.earliest()
    client.force_login(blind)

    change = client.get(change_url(internal))
    history = client.get(history_url(internal))
    version = client.get(version_url(internal, first))
    revert = client.post(version_url(internal, first), {"title": "Sửa"})

    assert change.status_code in (302, 404)
    assert_hidden(client.get(change_url(internal), follow=True).content.decode())
    assert history.status_code in (403, 404)
    assert_hidden(history.content.decode())
    assert version.status_code in (403, 404)
    assert_hidden(version.content.decode())
    assert revert.status_code in (403, 404)
    internal.refresh_from_db()
    assert internal.title == INTERNAL_TITLE + " (lần 2)"


def test_internal_document_pages_open_to_who_may_read_them(client, internal):
    first = internal.history.earliest()
    client.force_login(make_publisher())

    assert_shown(client.get(change_url(internal)).content.decode())
    assert_shown(client.get(history_url(internal)).content.decode())
    assert_shown(client.get(version_url(internal, first)).content.decode())


AUTOCOMPLETES = [
    ("documents", "documentrelation", "to_document"),
    ("meetings", "agendaitem", "documents"),
    ("projects", "project", "approval_document"),
    ("projects", "project", "documents"),
    ("projects", "progressupdate", "source_document"),
    ("indicators", "value", "source_document"),
]


def autocomplete(client, source, term) -> list[str]:
    app_label, model_name, field_name = source
    response = client.get(
        reverse("admin:autocomplete"),
        {"app_label": app_label, "model_name": model_name, "field_name": field_name, "term": term},
    )
    if response.status_code != 200:
        return []
    return [result["text"] for result in json.loads(response.content)["results"]]


@pytest.mark.parametrize("source", AUTOCOMPLETES)
@pytest.mark.parametrize("term", ["4321", "Hoàn Kiếm", ""])
def test_autocomplete_hides_internal_documents(client, blind, internal, plan, source, term):
    client.force_login(blind)

    texts = autocomplete(client, source, term)

    assert_hidden(json.dumps(texts, ensure_ascii=False))
    assert INTERNAL_LABEL not in texts
    if term == "":
        assert "341-KH/TU" in texts  # the search itself works for this user


@pytest.mark.parametrize("source", AUTOCOMPLETES)
def test_autocomplete_shows_internal_documents_to_who_may_read_them(client, internal, source):
    client.force_login(make_publisher())

    assert autocomplete(client, source, "4321") == [INTERNAL_NUMBER]


def test_relations_of_a_public_document_hide_an_internal_one(client, blind, internal, plan):
    """Both directions: what the public plan does to the internal notice, and what the
    notice does to the plan."""
    make_relation(plan, RelationKind.GUIDES, internal)
    make_relation(internal, RelationKind.IMPLEMENTS, plan)
    client.force_login(blind)

    page = client.get(change_url(plan)).content.decode()

    assert "341-KH/TU" in page
    assert_hidden(page)


def test_relations_of_a_public_document_show_an_internal_one_to_who_may_read_it(
    client, internal, plan
):
    make_relation(plan, RelationKind.GUIDES, internal)
    make_relation(internal, RelationKind.IMPLEMENTS, plan)
    client.force_login(make_publisher())

    page = client.get(change_url(plan)).content.decode()

    assert page.count(INTERNAL_NUMBER) >= 2


def make_document_once_internal() -> Document:
    """A notice drafted as internal, then published as public under another title."""
    document = make_document(
        number="4322-TB/TU", title=INTERNAL_TITLE, visibility=Visibility.INTERNAL
    )
    document.visibility = Visibility.PUBLIC
    document.title = "Thông báo kết luận của Ban Thường vụ Thành ủy"
    document.save()
    set_status([document], PublicationStatus.PUBLISHED)
    return document


def test_history_of_a_document_once_internal_hides_what_it_said_then(client, blind):
    document = make_document_once_internal()
    client.force_login(blind)

    response = client.get(history_url(document))

    assert response.status_code == 200
    page = response.content.decode()
    assert "4322-TB/TU" in page
    assert_hidden(page)


def test_history_of_a_document_once_internal_shows_it_to_who_may_read_it(client):
    document = make_document_once_internal()
    client.force_login(make_editor(reads_internal=True))

    page = client.get(history_url(document)).content.decode()

    assert INTERNAL_TITLE in page  # what the title was changed from


def test_history_of_a_document_made_internal_is_closed(client, blind, plan):
    """Public first, internal now: its public versions are not listed either."""
    plan.visibility = Visibility.INTERNAL
    plan.save()
    client.force_login(blind)

    response = client.get(history_url(plan))

    assert response.status_code in (403, 404)
    assert "341-KH/TU" not in response.content.decode()
