"""Projects as GeoJSON in the API: the filtered list and one project, published only, with
public fields only, as `application/geo+json`."""

import pytest
from django.urls import reverse

from documents.models import Visibility
from portal.publication import PublicationStatus

from .factories import make_document, make_project

pytestmark = pytest.mark.django_db

COLLECTION = reverse("api:projects-geojson")
POINT = {"type": "Point", "coordinates": [105.8941, 21.0471]}
LINE = {"type": "LineString", "coordinates": [[105.70, 21.03], [105.71, 21.18]]}


def one(slug: str) -> str:
    return reverse("api:projects-detail-geojson", kwargs={"slug": slug})


@pytest.fixture
def shapes():
    make_project(
        name="Đường Vành đai 4",
        slug="vanh-dai-4",
        is_key=True,
        geometry=LINE,
        location="Mê Linh – Hoài Đức",
        behind_stated=True,
        behind_statement="Trích báo cáo zqinternal",
        approval_document=make_document(visibility=Visibility.INTERNAL),
    )
    make_project(name="Cầu Tứ Liên", slug="cau-tu-lien", geometry=POINT)
    make_project(name="Nhà máy nước thải Yên Xá", slug="yen-xa")
    make_project(name="Nháp", slug="nhap", geometry=POINT, status=PublicationStatus.DRAFT)
    make_project(name="Lưu trữ", slug="luu", geometry=POINT, status=PublicationStatus.ARCHIVED)


def test_the_collection_holds_published_projects_with_a_shape(client, shapes):
    response = client.get(COLLECTION)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    data = response.json()
    assert data["type"] == "FeatureCollection"
    assert [f["id"] for f in data["features"]] == ["vanh-dai-4", "cau-tu-lien"]
    ring = data["features"][0]
    assert ring == {
        "type": "Feature",
        "id": "vanh-dai-4",
        "geometry": LINE,
        "properties": {
            "name": "Đường Vành đai 4",
            "url": "http://testserver/projects/vanh-dai-4/",
            "sector": "bridge",
            "stage": "",
            "is_key": True,
            "location": "Mê Linh – Hoài Đức",
        },
    }
    assert "zqinternal" not in response.content.decode()


def test_the_collection_takes_the_list_filters(client, shapes):
    data = client.get(COLLECTION, {"key": "no"}).json()
    assert [f["id"] for f in data["features"]] == ["cau-tu-lien"]
    data = client.get(COLLECTION, {"q": "vanh dai"}).json()
    assert [f["id"] for f in data["features"]] == ["vanh-dai-4"]
    response = client.get(COLLECTION, {"sector": "khong-co"})
    assert response.status_code == 400
    assert list(response.json()) == ["sector"]


def test_plain_json_for_a_client_that_asks(client, shapes):
    response = client.get(COLLECTION, headers={"Accept": "application/json"})
    assert response["Content-Type"] == "application/json"
    assert len(response.json()["features"]) == 2
    response = client.get(COLLECTION, {"format": "json"})
    assert response["Content-Type"] == "application/json"


def test_a_browser_gets_the_file_itself(client, shapes):
    accept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    response = client.get(COLLECTION, headers={"Accept": accept})
    assert response["Content-Type"] == "application/geo+json"
    assert client.get(COLLECTION, {"format": "api"}).status_code == 404


def test_one_project_is_a_feature(client, shapes):
    response = client.get(one("cau-tu-lien"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    data = response.json()
    assert (data["type"], data["id"], data["geometry"]) == ("Feature", "cau-tu-lien", POINT)
    # Without a shape: a Feature all the same, its geometry null (RFC 7946, 3.2).
    assert client.get(one("yen-xa")).json()["geometry"] is None


@pytest.mark.parametrize("slug", ["nhap", "luu", "khong-co"])
def test_hidden_projects_are_404(client, shapes, slug):
    response = client.get(one(slug))
    assert response.status_code == 404
    assert "detail" in response.json()


def test_the_collection_costs_the_same_with_many_projects(client, django_assert_max_num_queries):
    for n in range(3):
        make_project(slug=f"a-{n}", geometry=POINT)
    with django_assert_max_num_queries(3) as captured:
        client.get(COLLECTION)
    for n in range(30):
        make_project(slug=f"b-{n}", geometry=LINE)
    with django_assert_max_num_queries(len(captured)):
        assert len(client.get(COLLECTION).json()["features"]) == 33
