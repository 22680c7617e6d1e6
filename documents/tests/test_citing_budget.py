"""The detail page of a document whose text cites other numbers (issue 19): one query finds
every cited document, so the page costs the same whatever it cites and however large the
register is; drafts and internal documents cited are not linked."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from documents.models import Document, Visibility
from portal.publication import PublicationStatus

from .factories import make_document, organization

pytestmark = pytest.mark.django_db

TEXT = "Thực hiện Kế hoạch số {} của Ban Thường vụ Thành ủy về cải tạo sông Tô Lịch"


def grow_register(count: int, start: int) -> list[Document]:
    """`count` more published documents, numbered from `start`, none of them cited."""
    issuer = organization("TU")
    rows = []
    for n in range(start, start + count):
        document = Document(
            number=f"{n}-KH/TU",
            issuer=issuer,
            issued_on=datetime.date(2007, 1, 1) + datetime.timedelta(days=n % 6500),
            title=TEXT.format(n),
            status=PublicationStatus.PUBLISHED,
            published_at=datetime.datetime(2025, 7, 1, tzinfo=datetime.UTC),
            slug=f"kh-{n}",
        )
        document.fill_derived()
        rows.append(document)
    return Document.objects.bulk_create(rows)


def citing(number: str, cited: list[Document]) -> Document:
    """A plan whose text cites every one of `cited`, by number and with its date."""
    body = "\n".join(
        f"Căn cứ Kế hoạch số {d.display} ngày {d.issued_on:%d/%m/%Y} của Thành ủy;" for d in cited
    )
    return make_document(
        number=number,
        title="Kế hoạch tổng kết việc thực hiện các kế hoạch cải tạo sông Tô Lịch",
        body=body,
    )


def detail(client, document) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(document.get_absolute_url())
    assert response.status_code == 200
    return response.text, len(captured)


def test_citing_page_costs_the_same_whatever_it_cites(client):
    hidden = [
        make_document(number="900-KH/TU", status=PublicationStatus.DRAFT),
        make_document(number="901-KH/TU", visibility=Visibility.INTERNAL),
    ]
    few = make_document(number="501-KH/TU")
    grow_register(30, start=1000)
    html, queries = detail(client, citing("800-KH/TU", [few, *hidden]))
    assert f'<a href="{few.get_absolute_url()}">{few.display}</a>' in html

    cited = [make_document(number=f"{n}-KH/TU") for n in range(502, 502 + 30)]
    grow_register(90, start=2000)
    html, more_queries = detail(client, citing("801-KH/TU", [few, *cited, *hidden]))

    assert more_queries == queries
    for document in [few, *cited]:
        assert f'<a href="{document.get_absolute_url()}">{document.display}</a>' in html
    for document in hidden:
        assert document.display in html  # the text, not a link
        assert document.get_absolute_url() not in html
