"""CSV and JSON downloads of the project list (`?format=csv|json` on the list URL)."""

import csv
import datetime
import io
import json
from decimal import Decimal

import pytest
from django.urls import reverse

from portal.lists import PER_PAGE as PAGE_SIZE

from ..exports import COLUMN_NAMES
from ..models import Sector, Stage
from .factories import make_project, make_update

pytestmark = pytest.mark.django_db
LIST = reverse("projects:list")


def body(response) -> str:
    assert response.status_code == 200
    assert response.streaming is True
    return b"".join(response.streaming_content).decode("utf-8")


def read_csv(response) -> list[dict]:
    text = body(response)
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert rows[0] == COLUMN_NAMES
    return [dict(zip(COLUMN_NAMES, row, strict=True)) for row in rows[1:]]


@pytest.fixture
def projects():
    ring = make_project(
        name="Đường Vành đai 4",
        slug="vanh-dai-4",
        sector=Sector.RING_ROAD,
        is_key=True,
        stage=Stage.UNDER_CONSTRUCTION,
        planned_start=datetime.date(2023, 6, 1),
        planned_finish=datetime.date(2027, 12, 31),
    )
    make_update(ring, date=datetime.date(2025, 6, 30), physical_percent=Decimal("35.5"))
    bridge = make_project(name="Cầu Tứ Liên", slug="cau-tu-lien", sector=Sector.BRIDGE)
    draft = make_project(name="Dự án nháp", slug="nhap", status="draft")
    return {"ring": ring, "bridge": bridge, "draft": draft}


def test_csv_rows_have_progress_and_schedule(client, projects):
    response = client.get(LIST, {"format": "csv"})
    assert response["Content-Disposition"].startswith('attachment; filename="projects-')
    rows = read_csv(response)
    assert [row["slug"] for row in rows] == ["vanh-dai-4", "cau-tu-lien"]
    ring = rows[0]
    assert ring["is_key"] == "true"
    assert ring["latest_percent"] == "35.5"
    assert ring["latest_percent_on"] == "2025-06-30"
    assert ring["schedule"] in {"on_schedule", "behind"}
    assert ring["url"] == "http://testserver/projects/vanh-dai-4/"


def test_all_pages_are_downloaded(client):
    for n in range(PAGE_SIZE + 2):
        make_project(slug=f"p-{n}")
    assert len(json.loads(body(client.get(LIST, {"format": "json"})))) == PAGE_SIZE + 2


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"sector": "bridge"}, ["cau-tu-lien"]),
        ({"key": "yes"}, ["vanh-dai-4"]),
        ({"stage": "none"}, ["cau-tu-lien"]),
        ({"q": "vanh dai"}, ["vanh-dai-4"]),
        ({"schedule": "unknown"}, ["cau-tu-lien"]),
    ],
)
def test_downloads_honour_the_list_filters(client, projects, params, expected):
    records = json.loads(body(client.get(LIST, {**params, "format": "json"})))
    assert [r["slug"] for r in records] == expected
    assert [r["slug"] for r in read_csv(client.get(LIST, {**params, "format": "csv"}))] == (
        expected
    )


def test_drafts_are_never_downloaded(client, projects):
    assert "nhap" not in body(client.get(LIST, {"format": "csv"}))


@pytest.mark.parametrize(
    ("params", "label"),
    [
        ({"sector": "nope"}, "Lĩnh vực"),
        ({"stage": "xyz"}, "Tình trạng thực hiện"),
        ({"schedule": "late"}, "Tiến độ"),
    ],
)
def test_invalid_filters_are_a_clear_400(client, projects, params, label):
    response = client.get(LIST, {**params, "format": "json"})
    assert response.status_code == 400
    assert label in response.content.decode()


def test_download_query_count_does_not_grow(client, django_assert_max_num_queries):
    for n in range(10):
        make_update(make_project(slug=f"q-{n}"))
    with django_assert_max_num_queries(2):
        assert len(read_csv(client.get(LIST, {"format": "csv"}))) == 10


def test_list_page_links_to_downloads_of_the_same_filter(client, projects):
    content = client.get(LIST, {"sector": "bridge"}).content.decode()
    assert "?sector=bridge&amp;format=csv" in content
    assert "?sector=bridge&amp;format=json" in content
