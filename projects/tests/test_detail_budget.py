"""A project's page and its linked documents (issue 19): the same number of queries
whatever the number of its documents, updates and of documents in the register; only
published public documents are listed, and not the source of an update a publisher has
not approved yet."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from documents.models import Visibility
from portal.publication import PublicationStatus

from .factories import make_document, make_project, make_update

pytestmark = pytest.mark.django_db


def link(project, n: int, start: int = 0) -> list:
    """`n` related documents and `n` updates each citing its source document; returns the
    public documents added."""
    shown = []
    for i in range(start, start + n):
        related = make_document(title=f"Quyết định điều chỉnh chủ trương đầu tư số {i}")
        source = make_document(
            title=f"Báo cáo tiến độ giải phóng mặt bằng tháng {i % 12 + 1}",
            issued_on=datetime.date(2025, i % 12 + 1, 1),
        )
        project.documents.add(related)
        make_update(
            project,
            date=datetime.date(2025, 1, 1) + datetime.timedelta(days=i),
            source_document=source,
        )
        shown += [related, source]
    return shown


def detail(client, project) -> tuple[list, int]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(project.get_absolute_url())
    assert response.status_code == 200
    return response.context["documents"], len(captured)


def test_project_page_costs_the_same_with_three_times_the_documents(client):
    approval = make_document(title="Quyết định phê duyệt dự án đầu tư xây dựng cầu Tứ Liên")
    stated = make_document(title="Thông báo kết luận của Ban Thường vụ về tiến độ dự án")
    project = make_project(
        name="Dự án đầu tư xây dựng cầu Tứ Liên và đường dẫn hai đầu cầu, quận Tây Hồ",
        approval_document=approval,
        behind_stated=True,
        behind_statement="Dự án chậm tiến độ do vướng mặt bằng.",
        behind_stated_in=stated,
    )
    hidden = [
        make_document(status=PublicationStatus.DRAFT),
        make_document(visibility=Visibility.INTERNAL),
    ]
    project.documents.add(*hidden)
    pending = make_document(title="Báo cáo chưa được duyệt")
    make_update(project, date=datetime.date(2024, 1, 1), source_document=pending, pending=True)
    make_project().documents.add(make_document(title="Văn bản của dự án khác"))

    shown = [approval, stated, *link(project, 3)]
    documents, queries = detail(client, project)
    assert set(documents) == set(shown)

    shown += link(project, 6, start=3)
    for _ in range(20):
        make_document(title="Văn bản khác trong sổ đăng ký, không liên quan đến dự án")
    documents, more_queries = detail(client, project)
    assert set(documents) == set(shown)
    assert more_queries == queries
