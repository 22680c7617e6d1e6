"""The indicators API: each published indicator with its figures and their periods."""

from decimal import Decimal

import pytest
from django.urls import reverse

from documents.models import Visibility
from documents.tests.factories import make_document
from meetings.tests.factories import make_meeting

from ..models import Category, ValueKind
from .factories import make_indicator, make_period, make_value, quarter

pytestmark = pytest.mark.django_db
LIST = reverse("api:indicators-list")


@pytest.fixture
def grdp():
    indicator = make_indicator(code="grdp-growth", name="Tăng trưởng GRDP", is_headline=True)
    report = make_document(number="500-BC/TU", title="Báo cáo 6 tháng")
    make_value(
        indicator=indicator,
        value=Decimal("7.63"),
        source_document=report,
        source_meeting=make_meeting(number=23),
    )
    make_value(
        indicator=indicator,
        kind=ValueKind.TARGET,
        value=Decimal("8"),
        source_document=make_document(number="501-BC/TU", visibility=Visibility.INTERNAL),
        source_meeting=make_meeting(number=24, status="draft"),
    )
    make_indicator(code="draft-one", status="draft")
    return indicator


def test_list_has_values_with_periods_and_public_sources_only(client, grdp):
    response = client.get(LIST)
    assert response.status_code == 200
    data = response.json()
    assert [row["code"] for row in data["results"]] == ["grdp-growth"]
    row = data["results"][0]
    assert row["url"] == "http://testserver/indicators/grdp-growth/"
    actual, target = row["values"]
    assert actual["kind"] == "actual"
    assert Decimal(actual["value"]) == Decimal("7.63")
    assert actual["period"]["slug"] == make_period().slug
    assert actual["period"]["kind"] == "half_year"
    assert actual["source_document"]["display"] == "500-BC/TU"
    assert actual["source_meeting"]["number"] == 23
    assert target["source_document"] is None
    assert target["source_meeting"] is None


def test_detail_by_code_and_drafts_are_404(client, grdp):
    url = reverse("api:indicators-detail", kwargs={"code": "grdp-growth"})
    assert client.get(url).json()["name"] == "Tăng trưởng GRDP"
    draft = reverse("api:indicators-detail", kwargs={"code": "draft-one"})
    assert client.get(draft).status_code == 404


def test_filters(client, grdp):
    make_value(
        indicator=make_indicator(code="budget", category=Category.BUDGET), period=quarter(2025, 1)
    )
    codes = lambda params: [r["code"] for r in client.get(LIST, params).json()["results"]]  # noqa: E731
    assert codes({"category": "budget"}) == ["budget"]
    assert codes({"period": quarter(2025, 1).slug}) == ["budget"]
    assert codes({"headline": "true"}) == ["grdp-growth"]
    response = client.get(LIST, {"category": "nope"})
    assert response.status_code == 400
    assert "category" in response.json()
    assert client.get(LIST, {"page": "abc"}).json() == {"page": ["Cần một số nguyên dương."]}


def test_periods_endpoint(client, grdp):
    data = client.get(reverse("api:periods-list")).json()
    assert [p["slug"] for p in data["results"]] == [make_period().slug]
    url = reverse("api:periods-detail", kwargs={"slug": make_period().slug})
    assert client.get(url).json()["kind"] == "half_year"


def test_list_query_count_does_not_grow(client, django_assert_max_num_queries):
    source = make_document()
    meeting = make_meeting()
    for n in range(6):
        indicator = make_indicator()
        make_value(indicator=indicator, source_document=source, source_meeting=meeting)
        make_value(indicator=indicator, period=quarter(2025, n % 4 + 1))
    with django_assert_max_num_queries(4):
        response = client.get(LIST)
    assert len(response.json()["results"]) == 6
