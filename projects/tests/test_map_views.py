"""`/projects/map/` and the map on a project's page, as the server sends them: the places
in words for whoever reads without JavaScript, the data the script draws, drafts left out."""

import json

import pytest
from django.urls import reverse
from lxml import html as lxml_html

from portal.publication import PublicationStatus
from projects.models import Sector

from .factories import make_project, make_update

pytestmark = pytest.mark.django_db

MAP = reverse("projects:map")
LONG_NAME = "Dự án đầu tư xây dựng đường Vành đai 4 – Vùng Thủ đô Hà Nội, đoạn qua Hà Nội"
RING = {
    "type": "MultiLineString",
    "coordinates": [
        [[105.7030, 21.0300], [105.7140, 21.1840]],  # Hoài Đức → Mê Linh
        [[105.8480, 21.1370], [105.9450, 21.0210]],  # Đông Anh → Gia Lâm
    ],
}
MAP_BOX = "//*[contains(concat(' ', @class, ' '), ' project-map ')]"
BRIDGE = {"type": "Point", "coordinates": [105.8941, 21.0471]}  # by Long Biên


@pytest.fixture
def shapes():
    ring = make_project(
        name=LONG_NAME,
        slug="vanh-dai-4",
        sector=Sector.RING_ROAD,
        is_key=True,
        location="Các huyện Mê Linh, Đông Anh, Gia Lâm, Hoài Đức",
        geometry=RING,
    )
    bridge = make_project(
        name="Cầu Tứ Liên", slug="cau-tu-lien", location="Quận Tây Hồ – huyện Đông Anh"
    )
    bridge.geometry = BRIDGE
    bridge.save()
    make_project(name="Nhà máy xử lý nước thải Yên Xá", slug="yen-xa")  # no shape
    make_project(
        name="Tuyến nháp zqdraft",
        slug="nhap",
        status=PublicationStatus.DRAFT,
        geometry={"type": "Point", "coordinates": [105.8, 21.0]},
    )
    return {"ring": ring, "bridge": bridge}


def page(response):
    assert response.status_code == 200
    return lxml_html.fromstring(response.content.decode())


def places(tree) -> list[str]:
    return [
        " ".join(li.text_content().split())
        for li in tree.xpath("//ul[contains(@class, 'project-places')]/li")
    ]


def drawn(tree) -> dict:
    return json.loads(tree.get_element_by_id("project-map-data").text)


def test_the_map_page_lists_every_place_in_words(client, shapes):
    tree = page(client.get(MAP))

    listed = places(tree)
    assert len(listed) == 2
    ring, bridge = listed  # key projects first, as on the list
    assert ring.startswith(LONG_NAME)
    assert "Các huyện Mê Linh, Đông Anh, Gia Lâm, Hoài Đức" in ring
    assert "gồm 2 đoạn" in ring and "từ vĩ độ 21,03000; kinh độ 105,70300" in ring
    assert "Khu vực (gần đúng): Hoài Đức, Mê Linh, Đông Anh, Gia Lâm" in ring
    assert bridge.startswith("Cầu Tứ Liên")
    assert "Một điểm: vĩ độ 21,04710; kinh độ 105,89410." in bridge
    assert "Khu vực (gần đúng): Long Biên" in bridge
    links = [a.get("href") for a in tree.xpath("//ul[contains(@class, 'project-places')]//a")]
    assert links == ["/projects/vanh-dai-4/", "/projects/cau-tu-lien/"]
    status = tree.xpath("//*[@role='status']")[0].text_content()
    assert "2 dự án có vị trí trên bản đồ" in status and "1 dự án chưa có tọa độ" in status


def test_the_map_page_draws_the_same_projects_and_hides_drafts(client, shapes):
    response = client.get(MAP)
    data = drawn(page(response))

    assert [f["id"] for f in data["features"]["features"]] == ["vanh-dai-4", "cau-tu-lien"]
    assert data["features"]["features"][0]["geometry"] == RING
    assert data["tiles"] == "" and len(data["districts"]) == 30
    assert "zqdraft" not in response.content.decode()
    assert "/projects/nhap/" not in response.content.decode()


def test_the_map_without_javascript_is_hidden_and_its_script_is_a_file(client, shapes):
    tree = page(client.get(MAP))
    box = tree.xpath(MAP_BOX)[0]
    assert box.get("hidden") is not None  # the script shows it; without it, only the list
    scripts = [s.get("src") for s in tree.xpath("//script[@src]")]
    assert scripts == ["/static/vendor/leaflet/leaflet.js", "/static/js/project-map.js"]
    assert all(s.get("type") == "application/json" for s in tree.xpath("//script[not(@src)]"))
    assert not tree.xpath("//*[@style]")


def test_the_map_takes_the_list_filters(client, shapes):
    tree = page(client.get(MAP, {"key": "yes"}))
    assert [f["id"] for f in drawn(tree)["features"]["features"]] == ["vanh-dai-4"]
    assert len(places(tree)) == 1
    links = {
        a.text_content(): a.get("href") for a in tree.xpath("//p[contains(@class, 'downloads')]/a")
    }
    assert links == {
        "Xem dạng danh sách": "/projects/?key=yes",
        "Tải GeoJSON": "/api/projects/geojson/?key=yes",
    }
    tree = page(client.get(MAP, {"q": "tu lien"}))
    assert [f["id"] for f in drawn(tree)["features"]["features"]] == ["cau-tu-lien"]


def test_a_bad_filter_is_dropped_with_a_warning(client, shapes):
    response = client.get(MAP, {"sector": "khong-co", "page": "x" * 50})
    tree = page(response)
    assert len(places(tree)) == 2
    warnings = [str(m) for m in response.context["messages"]]
    assert warnings == ["Bỏ qua bộ lọc “Lĩnh vực”: Giá trị không có trong danh sách lựa chọn."]


def test_no_place_no_map(client, shapes):
    tree = page(client.get(MAP, {"sector": Sector.WASTE_TREATMENT}))
    assert not tree.xpath(MAP_BOX)
    assert not tree.xpath("//script[@src]")
    text = tree.text_content()
    assert "Không có dự án nào có tọa độ phù hợp với bộ lọc." in text


def test_the_map_page_costs_the_same_with_many_projects(client, django_assert_max_num_queries):
    def add(count, start):
        for n in range(start, start + count):
            shaped = make_project(
                name=f"Cầu vượt nút giao số {n}",
                slug=f"cau-vuot-{n}",
                geometry={"type": "Point", "coordinates": [105.80 + n / 1000, 21.02]},
            )
            make_update(shaped)

    add(3, 0)
    with django_assert_max_num_queries(4) as captured:
        client.get(MAP)
    few = len(captured)
    add(30, 3)
    with django_assert_max_num_queries(few):
        tree = page(client.get(MAP))
    assert len(places(tree)) == 33


def test_a_project_page_shows_its_place(client, shapes):
    tree = page(client.get(shapes["ring"].get_absolute_url()))
    section = tree.get_element_by_id("map-title").getparent()
    assert section.xpath(".//h2")[0].text_content() == "Vị trí trên bản đồ"
    (described,) = places(tree)
    assert "Tuyến dài khoảng" in described and "gồm 2 đoạn" in described
    assert LONG_NAME not in described  # the page's own title says it
    assert [f["id"] for f in drawn(tree)["features"]["features"]] == ["vanh-dai-4"]
    assert "/static/js/project-map.js" in [s.get("src") for s in tree.xpath("//script[@src]")]


def test_a_project_without_a_shape_has_no_map(client, shapes):
    response = client.get(reverse("projects:detail", kwargs={"slug": "yen-xa"}))
    tree = page(response)
    assert not tree.xpath(f"//*[@id='map-title'] | {MAP_BOX} | //script[@src]")


def test_the_list_links_to_the_map_with_its_filters(client, shapes):
    tree = page(client.get(reverse("projects:list"), {"key": "yes", "page": "1"}))
    (link,) = [a for a in tree.xpath("//a") if a.text_content() == "Xem các dự án này trên bản đồ"]
    assert link.get("href") == "/projects/map/?key=yes"
