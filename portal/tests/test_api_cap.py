"""The API's lists count and page their first MAX_LISTED rows, as the HTML list does
(issue 19: an exact COUNT of every public document on each call grew with the register).
`capped` tells a caller that more match; a filter that selects fewer is counted exactly."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from documents.models import Document
from documents.tests.factories import organization
from portal.lists import MAX_LISTED
from portal.publication import PublicationStatus

pytestmark = pytest.mark.django_db

API = reverse("api:documents-list")
LIST = reverse("documents:list")
TITLE = "Kế hoạch số {n} về cải tạo, phục hồi sông Tô Lịch đoạn qua quận Cầu Giấy, Đống Đa"


@pytest.fixture
def register():
    """MAX_LISTED + 30 published public documents, 2024 and 2025, and drafts."""
    issuer = organization("TU")
    rows = []
    for n in range(1, MAX_LISTED + 41):
        document = Document(
            number=f"{n}-KH/TU",
            issuer=issuer,
            issued_on=datetime.date(2024, 1, 1) + datetime.timedelta(days=n % 700),
            title=TITLE.format(n=n),
            status=PublicationStatus.DRAFT if n > MAX_LISTED + 30 else PublicationStatus.PUBLISHED,
            published_at=datetime.datetime(2025, 7, 1, tzinfo=datetime.UTC),
            slug=f"kh-{n}",
        )
        document.fill_derived()
        rows.append(document)
    Document.objects.bulk_create(rows, batch_size=500)


def test_api_counts_up_to_the_cap_and_says_so(client, register):
    with CaptureQueriesContext(connection) as captured:
        data = client.get(API).json()
    assert data["count"] == MAX_LISTED and data["capped"] is True
    assert list(data) == ["count", "capped", "next", "previous", "results"]
    [count] = [q["sql"] for q in captured.captured_queries if "COUNT(" in q["sql"]]
    assert f"LIMIT {MAX_LISTED + 1}" in count  # never a count of the whole register
    # The HTML list says the same.
    page = client.get(LIST).context["page_obj"]
    assert page.paginator.count == MAX_LISTED and page.paginator.truncated


def test_api_pages_stop_at_the_cap(client, register):
    last = client.get(API, {"page_size": 100, "page": MAX_LISTED // 100})
    assert last.status_code == 200
    assert len(last.json()["results"]) == 100 and last.json()["next"] is None
    past = client.get(API, {"page_size": 100, "page": MAX_LISTED // 100 + 1})
    assert past.status_code == 404
    assert past["Content-Type"].startswith("application/json")


def test_a_narrower_filter_is_counted_exactly(client, register):
    in_2024 = Document.objects.published().public().filter(issued_on__year=2024).count()
    assert in_2024 < MAX_LISTED
    data = client.get(API, {"year": 2024}).json()
    assert data == data | {"count": in_2024, "capped": False}
    assert client.get(LIST, {"year": 2024}).context["page_obj"].paginator.count == in_2024


def test_a_words_query_over_the_cap_is_capped_too(client, register):
    data = client.get(API, {"q": "tô lịch"}).json()
    assert data["count"] == MAX_LISTED and data["capped"] is True
    assert data["results"][0]["title"].startswith("Kế hoạch số")
    narrow = client.get(API, {"q": "tô lịch", "year": 2024}).json()
    assert narrow["capped"] is False and narrow["count"] < MAX_LISTED


def test_the_schema_gives_the_cap(client):
    schema = client.get(reverse("api:schema"), {"format": "json"}).json()
    page = schema["components"]["schemas"]["PaginatedDocumentList"]
    assert page["properties"]["count"]["maximum"] == MAX_LISTED
    assert "capped" in page["required"]
