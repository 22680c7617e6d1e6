"""/sitemap.xml lists every published public page and nothing else; /robots.txt points to it."""

import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from documents.models import Visibility
from documents.tests.factories import make_document
from indicators.tests.factories import make_indicator
from meetings.tests.factories import make_meeting
from portal.publication import PublicationStatus
from projects.tests.factories import make_project

from .factories import make_page, make_person

pytestmark = pytest.mark.django_db

DRAFT = PublicationStatus.DRAFT
NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def _locations(client) -> list[str]:
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    root = ET.fromstring(response.content)
    return [loc.text for loc in root.findall("s:url/s:loc", NS)]


def test_sitemap_lists_every_published_public_page_and_no_other(client):
    public = [
        make_document(title="Công khai"),
        make_meeting(title="Hội nghị công bố"),
        make_indicator(name="Chỉ tiêu công bố"),
        make_project(name="Dự án công bố"),
        make_person(full_name="Bùi Thị Minh Hoài"),
        make_page(title="Giới thiệu", slug="gioi-thieu"),
    ]
    hidden = [
        make_document(title="Nháp", status=DRAFT),
        make_document(title="Nội bộ", visibility=Visibility.INTERNAL),
        make_meeting(title="Hội nghị nháp", status=DRAFT),
        make_meeting(title="Hội nghị lưu trữ", status=PublicationStatus.ARCHIVED),
        make_indicator(name="Chỉ tiêu nháp", status=DRAFT),
        make_project(name="Dự án nháp", status=DRAFT),
        make_page(title="Trang nháp", slug="trang-nhap", status=DRAFT),
    ]

    locations = _locations(client)

    expected = [
        reverse(name)
        for name in ("portal:home", "documents:list", "meetings:list", "indicators:list")
    ]
    expected += [reverse("projects:list")] + [record.get_absolute_url() for record in public]
    assert sorted(locations) == sorted(f"http://testserver{path}" for path in expected)
    for record in hidden:
        assert f"http://testserver{record.get_absolute_url()}" not in locations


def test_sitemap_query_count_is_bounded(client, django_assert_max_num_queries):
    for n in range(5):
        make_meeting(title=f"Hội nghị {n}")
        make_document(title=f"Văn bản {n}")
    with django_assert_max_num_queries(10):
        assert len(_locations(client)) == 15


def test_robots_txt_points_to_the_sitemap_and_keeps_crawlers_out_of_the_admin(client):
    response = client.get("/robots.txt")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert lines[0] == "User-agent: *"
    assert "Disallow: /admin/" in lines
    assert "Disallow: /search/" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines
