"""CSV and JSON downloads of the indicators dashboard (`?format=csv|json&period=…`)."""

import csv
import datetime
import io
import json
from decimal import Decimal

import pytest
from django.urls import reverse

from documents.tests.factories import make_document

from ..exports import DASHBOARD_COLUMNS
from ..models import Category, ValueKind
from .factories import make_indicator, make_period, make_value, quarter

pytestmark = pytest.mark.django_db
LIST = reverse("indicators:list")
HEADER = [column.name for column in DASHBOARD_COLUMNS]


def body(response) -> str:
    assert response.status_code == 200
    assert response.streaming is True
    return b"".join(response.streaming_content).decode("utf-8")


def read_csv(response) -> list[dict]:
    text = body(response)
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert rows[0] == HEADER
    return [dict(zip(HEADER, row, strict=True)) for row in rows[1:]]


@pytest.fixture
def figures():
    half = make_period()
    q1 = quarter(2025, 1)
    grdp = make_indicator(code="grdp-growth", name="Tăng trưởng GRDP", order=1)
    budget = make_indicator(
        code="budget-revenue", name="Thu ngân sách", category=Category.BUDGET, order=0
    )
    hidden = make_indicator(code="hidden", name="Chỉ tiêu nháp", status="draft")
    make_value(indicator=grdp, period=half, value=Decimal("7.63"))
    make_value(indicator=grdp, period=half, kind=ValueKind.TARGET, value=Decimal("8"))
    make_value(indicator=grdp, period=q1, value=Decimal("7.35"))
    make_value(indicator=budget, period=half, value=Decimal("310000"))
    make_value(indicator=hidden, period=half, value=Decimal("1"))
    return {"half": half, "q1": q1, "grdp": grdp}


def test_csv_is_the_latest_period_in_the_dashboard_order(client, figures):
    response = client.get(LIST, {"format": "csv"})
    assert response["Content-Disposition"].startswith('attachment; filename="indicators-')
    rows = read_csv(response)
    # Growth is shown before the budget, whatever their own order.
    assert [row["indicator_code"] for row in rows] == ["grdp-growth", "budget-revenue"]
    grdp = rows[0]
    assert grdp["period"] == figures["half"].slug
    assert grdp["actual"] == "7.63"
    assert grdp["target"] == "8"
    assert grdp["verdict"] == "missed"
    assert grdp["url"] == "http://testserver/indicators/grdp-growth/"
    assert grdp["csv_url"] == "http://testserver/indicators/grdp-growth.csv"


def test_json_honours_the_period(client, figures):
    response = client.get(LIST, {"format": "json", "period": figures["q1"].slug})
    records = json.loads(body(response))
    assert [(r["indicator_code"], r["actual"], r["target"]) for r in records] == [
        ("grdp-growth", "7.35", None)
    ]


def test_drafts_are_never_downloaded(client, figures):
    assert "hidden" not in body(client.get(LIST, {"format": "csv"}))


def test_unknown_period_is_a_400_naming_the_filter(client, figures):
    for period in ("2030-q9", "x" * 10_000):
        response = client.get(LIST, {"format": "csv", "period": period})
        assert response.status_code == 400
        assert "“Kỳ báo cáo” không hợp lệ" in response.content.decode()


def test_no_figures_gives_a_header_only_file(client):
    assert read_csv(client.get(LIST, {"format": "csv"})) == []


def test_download_query_count_does_not_grow(client, django_assert_max_num_queries):
    period = make_period(start=datetime.date(2024, 1, 1), end=datetime.date(2024, 6, 30))
    source = make_document()
    for _n in range(15):
        make_value(indicator=make_indicator(), period=period, source_document=source)
    with django_assert_max_num_queries(3):
        assert len(read_csv(client.get(LIST, {"format": "csv"}))) == 15


def test_dashboard_links_to_downloads_of_its_period(client, figures):
    content = client.get(LIST, {"period": figures["q1"].slug}).content.decode()
    assert f"?period={figures['q1'].slug}&amp;format=csv" in content
    assert f"?period={figures['q1'].slug}&amp;format=json" in content
