"""The site search's query budget (issue 19): the same number of queries with three times
the documents, the documents it shows read at once whatever mix of exact numbers, other
numbers and words they are."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from documents.models import Document
from documents.tests.factories import make_document, organization
from indicators.tests.factories import make_indicator
from meetings.tests.factories import make_item, make_meeting
from portal.publication import PublicationStatus
from projects.tests.factories import make_project

pytestmark = pytest.mark.django_db

RIVER = "cải tạo, phục hồi sông Tô Lịch đoạn qua các quận Cầu Giấy, Đống Đa, Thanh Xuân"
# Besides the documents' reads (number search, words): one read of the documents shown,
# then a count and a page for meetings, agenda items, indicators and projects.
BUDGET = 20


def grow_register(count: int, start: int) -> None:
    """`count` more published documents about the river, one in ten citing 341-KH/TU."""
    issuer = organization("TU")
    rows = []
    for n in range(start, start + count):
        cites = " Căn cứ Kế hoạch số 341-KH/TU." if n % 10 == 0 else ""
        document = Document(
            number=f"{n}-KH/TU",
            issuer=issuer,
            issued_on=datetime.date(2007, 1, 1) + datetime.timedelta(days=n % 6500),
            title=f"Kế hoạch số {n} về {RIVER}",
            body=f"Triển khai thực hiện.{cites}",
            status=PublicationStatus.PUBLISHED,
            published_at=datetime.datetime(2025, 7, 1, tzinfo=datetime.UTC),
            slug=f"kh-{n}",
        )
        document.fill_derived()
        rows.append(document)
    Document.objects.bulk_create(rows)


@pytest.fixture
def site():
    make_document(number="341-KH/TU", title=f"Kế hoạch {RIVER}")
    make_document(number="341-KH/QU", title="Kế hoạch của Quận ủy", issuer=organization("QU"))
    make_item(make_meeting(title=f"Hội nghị về {RIVER}"), title=f"Báo cáo {RIVER}")
    make_indicator(name=f"Chất lượng nước sông Tô Lịch, {RIVER}")
    make_project(name=f"Dự án {RIVER}")


def searched(client, query: str) -> tuple[object, int]:
    # Once before: the words' statistics are read once, then kept (documents.word_search).
    client.get(reverse("portal:search"), {"q": query})
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("portal:search"), {"q": query})
    assert response.status_code == 200
    return response.context["results"], len(captured)


@pytest.mark.parametrize("query", ["tô lịch", "341 KH TU", "341-KH/TU"])
def test_site_search_costs_the_same_with_three_times_the_documents(client, site, query):
    grow_register(100, start=1000)
    results, queries = searched(client, query)
    grow_register(200, start=2000)
    more, more_queries = searched(client, query)

    assert more_queries == queries <= BUDGET
    groups = {group.kind: group for group in more.groups}
    assert groups["documents"].count > results.groups[0].count  # the register grew
    assert len(groups["documents"].results) == 5
    if query == "tô lịch":
        assert all(groups[kind].count == 1 for kind in ("meetings", "indicators", "projects"))
    else:
        assert [d.display for d in more.exact] == ["341-KH/TU"]
