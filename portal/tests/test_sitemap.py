"""The sitemap lists every published public page once and nothing else; /robots.txt points
to its index."""

import pytest
from django.urls import reverse
from django.utils import translation

from documents.models import Visibility
from documents.tests.factories import make_document
from indicators.tests.factories import make_indicator
from meetings.tests.factories import make_meeting, make_term
from portal.publication import PublicationStatus, set_status
from portal.sitemaps import SECTION_SIZE
from projects.tests.factories import make_project

from . import sitemap_reader
from .factories import make_organization, make_page, make_person

pytestmark = pytest.mark.django_db

DRAFT = PublicationStatus.DRAFT


def _public_and_hidden():
    term = make_term(body=make_organization(code="HĐND", name="Hội đồng nhân dân thành phố"))
    public = [
        make_document(title="Kế hoạch triển khai Nghị quyết về phát triển Thủ đô"),
        make_meeting(title="Kỳ họp thứ mười chín", term=term),
        make_indicator(name="Tốc độ tăng trưởng tổng sản phẩm trên địa bàn"),
        make_project(name="Đường vành đai 4 vùng Thủ đô Hà Nội"),
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
    return public, hidden


def test_sitemap_lists_every_published_public_page_once_and_no_other(client):
    public, hidden = _public_and_hidden()

    listed = sitemap_reader.locations(client)

    lists = ["portal:home", "documents:list", "meetings:list", "indicators:list", "projects:list"]
    expected = [reverse(name) for name in lists] + [r.get_absolute_url() for r in public]
    assert sorted(listed) == sorted(f"http://testserver{path}" for path in expected)
    for record in hidden:
        assert f"http://testserver{record.get_absolute_url()}" not in listed


def test_sitemap_lists_every_page_at_its_english_address_too(client):
    public, hidden = _public_and_hidden()

    listed = sitemap_reader.locations(client, "en")

    lists = ["portal:home", "documents:list", "meetings:list", "indicators:list", "projects:list"]
    with translation.override("en"):
        expected = [reverse(name) for name in lists] + [r.get_absolute_url() for r in public]
        hidden_addresses = [f"http://testserver{r.get_absolute_url()}" for r in hidden]
    assert all(path.startswith("/en/") for path in expected)
    assert sorted(listed) == sorted(f"http://testserver{path}" for path in expected)
    assert not set(listed) & set(hidden_addresses)


def test_each_address_names_both_languages_and_the_default(client):
    document = make_document(title="Kế hoạch triển khai Nghị quyết về phát triển Thủ đô")
    vietnamese = f"http://testserver{document.get_absolute_url()}"
    english = f"http://testserver/en{document.get_absolute_url()}"
    path = f"/sitemap-documents-{document.pk // SECTION_SIZE}.xml"

    (listed_vi,) = sitemap_reader.section(client, path, "vi")
    (listed_en,) = sitemap_reader.section(client, path, "en")

    alternates = {"vi": vietnamese, "en": english, "x-default": vietnamese}
    assert (listed_vi.location, listed_vi.alternates) == (vietnamese, alternates)
    assert (listed_en.location, listed_en.alternates) == (english, alternates)
    assert listed_vi.lastmod == listed_en.lastmod


@pytest.mark.parametrize(
    "urls",
    [
        [("/", {"vi": "/", "en": "/en/", "x-default": "/"})],  # English not listed
        [  # without x-default
            ("/", {"vi": "/", "en": "/en/"}),
            ("/en/", {"vi": "/", "en": "/en/"}),
        ],
        [  # x-default not the Vietnamese page
            ("/", {"vi": "/", "en": "/en/", "x-default": "/en/"}),
            ("/en/", {"vi": "/", "en": "/en/", "x-default": "/en/"}),
        ],
    ],
)
def test_the_reader_refuses_a_page_missing_a_language(urls):
    with pytest.raises(AssertionError):
        sitemap_reader.check_languages([sitemap_reader.Url(loc, None, alt) for loc, alt in urls])


def test_every_address_has_its_last_change(client):
    _public_and_hidden()

    for urls in sitemap_reader.crawl(client).values():
        for url in urls:
            assert url.lastmod, url.location


def test_a_withdrawn_document_leaves_the_sitemap(client):
    document = make_document(title="Quyết định về giá dịch vụ trông giữ xe")
    address = f"http://testserver{document.get_absolute_url()}"
    assert address in sitemap_reader.locations(client)

    set_status([document], PublicationStatus.ARCHIVED)

    assert address not in sitemap_reader.locations(client)


def test_robots_txt_points_to_the_sitemap_index_and_keeps_crawlers_out_of_the_admin(client):
    response = client.get("/robots.txt")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert lines[0] == "User-agent: *"
    assert "Disallow: /admin/" in lines
    assert "Disallow: /search/" in lines
    assert "Disallow: /en/search/" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    assert "<sitemapindex" in client.get("/sitemap.xml").content.decode()
