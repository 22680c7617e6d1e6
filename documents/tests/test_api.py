"""The documents API: `/api/documents/` and `/api/documents/<year>/<slug>/`."""

import datetime

import pytest
from django.urls import reverse

from portal.publication import PublicationStatus
from portal.tests.factories import make_staff

from ..models import Visibility
from ..status import RelationKind
from .factories import (
    make_attachment,
    make_document,
    make_relation,
    make_state_document,
    make_topic,
)

pytestmark = pytest.mark.django_db
LIST = reverse("api:documents-list")


def detail_url(document) -> str:
    return reverse(
        "api:documents-detail", kwargs={"year": document.url_year, "slug": document.slug}
    )


@pytest.fixture
def register():
    plan = make_document(number="341-KH/TU", title="Kế hoạch vận hành chính quyền 2 cấp")
    return {
        "plan": plan,
        "directive": make_state_document(
            number="04/CT-UBND", issued_on=datetime.date(2025, 3, 28), title="Chỉ thị Tô Lịch"
        ),
        "internal": make_document(
            number="35-KH/TU", title="Kế hoạch nội bộ mật", visibility=Visibility.INTERNAL
        ),
        "draft": make_document(
            number="36-KH/TU", title="Kế hoạch chưa công bố", status=PublicationStatus.DRAFT
        ),
    }


def displays(response) -> list[str]:
    return [row["display"] for row in response.json()["results"]]


def test_list_shows_published_public_documents_with_stable_identifiers(client, register):
    response = client.get(LIST)
    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 2
    assert displays(response) == ["341-KH/TU", "04/CT-UBND"]
    plan = data["results"][0]
    assert plan["number"] == "341-KH/TU"
    assert plan["serial"] == 341
    assert plan["number_year"] is None
    assert plan["type_code"] == "KH"
    assert plan["issuer"] == "TU"
    assert plan["year"] == 2025
    assert plan["slug"] == register["plan"].slug
    assert plan["url"] == "http://testserver" + register["plan"].get_absolute_url()


def test_signed_in_readers_still_get_only_the_anonymous_view(client, register):
    client.force_login(make_staff("documents.view_internal_document"))
    assert displays(client.get(LIST)) == ["341-KH/TU", "04/CT-UBND"]
    for name in ("internal", "draft"):
        assert client.get(detail_url(register[name])).status_code == 404


def test_detail_has_relations_attachments_and_body(client, register, media_root):
    plan, directive = register["plan"], register["directive"]
    make_relation(directive, RelationKind.IMPLEMENTS, plan)
    make_relation(register["internal"], RelationKind.AMENDS, plan)
    attachment = make_attachment(plan)
    topic = make_topic(name="Bộ máy")
    plan.topics.add(topic)
    response = client.get(detail_url(plan))
    assert response.status_code == 200
    data = response.json()
    assert data["display"] == "341-KH/TU"
    assert data["topics"] == [topic.slug]
    assert data["relations"] == [
        {
            "kind": "implements",
            "direction": "in",
            "document": {
                "number": "04/CT-UBND",
                "display": "04/CT-UBND",
                "year": 2025,
                "slug": directive.slug,
                "title": "Chỉ thị Tô Lịch",
                "issued_on": "2025-03-28",
                "url": "http://testserver" + directive.get_absolute_url(),
            },
        }
    ]
    assert data["attachments"] == [
        {
            "name": "Kế hoạch số 341.pdf",
            "content_type": "application/pdf",
            "size": attachment.size,
            "url": "http://testserver" + attachment.get_absolute_url(),
        }
    ]
    assert "body" in data
    assert "summary" in data


def test_filters_are_the_list_filters(client, register):
    assert displays(client.get(LIST, {"issuer": "UBND"})) == ["04/CT-UBND"]
    assert displays(client.get(LIST, {"system": "party"})) == ["341-KH/TU"]
    assert displays(client.get(LIST, {"year": "2024"})) == []


def test_q_finds_a_number_however_typed_and_words_without_diacritics(client, register):
    for typed in ("341 kh tu", "341/KH-TU", "Kế hoạch số 341-KH/TU", "kh 341"):
        assert displays(client.get(LIST, {"q": typed})) == ["341-KH/TU"], typed
    # A number matching nothing completely lists its partial matches.
    assert displays(client.get(LIST, {"q": "04"})) == ["04/CT-UBND"]
    assert displays(client.get(LIST, {"q": "TO LICH"})) == ["04/CT-UBND"]
    assert displays(client.get(LIST, {"q": "to lich", "system": "party"})) == []
    # Never an internal or draft document.
    assert displays(client.get(LIST, {"q": "35-KH/TU"})) == []
    assert displays(client.get(LIST, {"q": "ke hoach"})) == ["341-KH/TU"]


def test_q_pages_like_the_list(client):
    for n in range(25):
        make_document(number=f"{400 + n}-KH/TU", title=f"Kế hoạch Hồ Tây {n}")
    first = client.get(LIST, {"q": "ho tay"}).json()
    assert first["count"] == 25
    assert [row["number"] for row in first["results"]][:2] == ["424-KH/TU", "423-KH/TU"]
    second = client.get(first["next"]).json()
    assert len(second["results"]) == 5
    assert client.get(LIST, {"q": "ho tay", "page": "3"}).status_code == 404


@pytest.mark.parametrize("q", ["x" * 10_000, "\x00", "341\x00 KH TU", "   ", "%_*"])
def test_odd_q_is_never_a_server_error(client, register, q):
    response = client.get(LIST, {"q": q})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"


@pytest.mark.parametrize(
    "params",
    [
        {"year": "abc"},
        {"year": "1800"},
        {"system": "NOPE"},
        {"type": "x" * 10_000},
        {"in_force": "bad\x00"},
        {"issuer": ["TU", "UBND"]},
    ],
)
def test_invalid_filters_are_400_json(client, register, params):
    response = client.get(LIST, params)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert list(response.json()) == list(params)


@pytest.mark.parametrize("params", [{"issuer": "NOPE"}, {"type": "x"}, {"topic": "khong-co"}])
def test_a_choice_no_public_document_has_selects_nothing(client, register, params):
    response = client.get(LIST, params)
    assert response.status_code == 200
    assert response.json()["results"] == []


def test_a_page_past_the_last_is_404_json(client, register):
    response = client.get(LIST, {"page": "99999"})
    assert response.status_code == 404
    assert "detail" in response.json()


@pytest.mark.parametrize("page", ["abc", "0", "-1", "1.5", "\x00", "٣"])
def test_a_page_that_is_not_a_whole_number_is_400_json(client, register, page):
    response = client.get(LIST, {"page": page})
    assert response.status_code == 400
    assert list(response.json()) == ["page"]


def test_page_size_is_bounded(client):
    for n in range(105):
        make_document(number=f"{400 + n}-KH/TU", title="Văn bản")
    data = client.get(LIST, {"page_size": "100"}).json()
    assert len(data["results"]) == 100
    assert data["next"].endswith("page=2&page_size=100")
    response = client.get(LIST, {"page_size": "1000"})
    assert response.status_code == 400
    assert list(response.json()) == ["page_size"]


def test_writes_are_refused(client, register):
    assert client.post(LIST, {}).status_code in (403, 405)
    assert client.delete(detail_url(register["plan"])).status_code in (403, 405)


def test_unknown_detail_is_404(client, register):
    response = client.get(reverse("api:documents-detail", kwargs={"year": 1999, "slug": "x"}))
    assert response.status_code == 404


def test_list_query_count_does_not_grow(client, media_root, django_assert_max_num_queries):
    topic = make_topic()
    previous = None
    for n in range(6):
        document = make_document(number=f"{500 + n}-KH/TU")
        document.topics.add(topic)
        make_attachment(document, name=f"{n}.pdf")
        if previous is not None:
            make_relation(document, RelationKind.IMPLEMENTS, previous)
        previous = document
    with django_assert_max_num_queries(8):
        response = client.get(LIST)
    assert len(response.json()["results"]) == 6
    assert all(row["attachments"] for row in response.json()["results"])
    for q in ("KH/TU", "ke hoach"):
        # A read by date is one round trip, its savepoint included (`word_search._read_alone`).
        with django_assert_max_num_queries(8):
            response = client.get(LIST, {"q": q})
        assert len(response.json()["results"]) == 6, q
        assert all(row["attachments"] for row in response.json()["results"])
