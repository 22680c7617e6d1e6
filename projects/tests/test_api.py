"""The projects API: progress updates and milestones nested, identified by slug."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from documents.models import Visibility
from meetings.tests.factories import make_meeting

from .factories import make_document, make_milestone, make_project, make_update

pytestmark = pytest.mark.django_db
LIST = reverse("api:projects-list")


@pytest.fixture
def ring():
    project = make_project(
        name="Đường Vành đai 4",
        slug="vanh-dai-4",
        is_key=True,
        approval_document=make_document(number="10/QĐ-UBND", visibility=Visibility.INTERNAL),
    )
    make_update(
        project,
        date=datetime.date(2025, 6, 30),
        physical_percent=Decimal("35.5"),
        source_document=make_document(number="11/BC-UBND"),
        meeting=make_meeting(number=23),
    )
    make_update(
        project,
        date=datetime.date(2025, 3, 31),
        physical_percent=Decimal("30"),
        source_document=make_document(number="12/BC-UBND", status="draft"),
        meeting=make_meeting(number=24, status="draft"),
    )
    make_milestone(project, name="Khởi công")
    make_project(name="Nháp", slug="nhap", status="draft")
    return project


def test_list_nests_progress_and_milestones_with_public_sources_only(client, ring):
    response = client.get(LIST)
    assert response.status_code == 200
    data = response.json()
    assert [r["slug"] for r in data["results"]] == ["vanh-dai-4"]
    row = data["results"][0]
    assert row["url"] == "http://testserver/projects/vanh-dai-4/"
    assert Decimal(row["latest_percent"]) == Decimal("35.5")
    assert row["approval_document"] is None
    first, latest = row["progress_updates"]
    assert latest["date"] == "2025-06-30"
    assert latest["source_document"]["display"] == "11/BC-UBND"
    assert latest["meeting"]["number"] == 23
    assert first["source_document"] is None
    assert first["meeting"] is None
    assert [m["name"] for m in row["milestones"]] == ["Khởi công"]


def test_detail_by_slug_and_drafts_are_404(client, ring):
    url = reverse("api:projects-detail", kwargs={"slug": "vanh-dai-4"})
    assert client.get(url).json()["name"] == "Đường Vành đai 4"
    assert client.get(reverse("api:projects-detail", kwargs={"slug": "nhap"})).status_code == 404


def test_filters_are_the_list_filters(client, ring):
    make_project(slug="cau", name="Cầu Tứ Liên")
    slugs = [r["slug"] for r in client.get(LIST, {"key": "yes"}).json()["results"]]
    assert slugs == ["vanh-dai-4"]
    slugs = [r["slug"] for r in client.get(LIST, {"q": "tu lien"}).json()["results"]]
    assert slugs == ["cau"]
    for params in ({"sector": "nope"}, {"stage": "xyz"}):
        response = client.get(LIST, params)
        assert response.status_code == 400
        assert response["Content-Type"] == "application/json"
        assert list(response.json()) == list(params)
    # A long or odd `q` is read as every list reads it (cut, cleaned), never refused.
    assert client.get(LIST, {"q": "tu lien " + "x" * 10_000}).status_code == 200
    assert client.get(LIST, {"page": "2"}).status_code == 404


def test_list_query_count_does_not_grow(client, django_assert_max_num_queries):
    parent = make_project(slug="parent")
    for n in range(5):
        project = make_project(slug=f"p-{n}", parent=parent)
        make_update(project, source_document=make_document(), meeting=make_meeting())
        make_update(project, date=datetime.date(2025, 1, 1))
        make_milestone(project)
    with django_assert_max_num_queries(8):
        response = client.get(LIST)
    assert len(response.json()["results"]) == 6
