"""The city's identity from the environment: logo, contact block, footer links."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from portal import identity


@pytest.mark.parametrize(
    "value",
    ["", "img/logo.svg", "/media/logo.png", "https://hanoi.gov.vn/logo.png"],
)
def test_a_logo_is_a_static_file_a_path_or_an_https_url(value):
    assert identity.checked_logo(f" {value} ") == value


@pytest.mark.parametrize(
    "value", ["http://example.com/logo.png", "javascript:alert(1)", "//evil.example/x.png"]
)
def test_a_logo_elsewhere_is_refused_at_start_up(value):
    with pytest.raises(ImproperlyConfigured, match="PORTAL_LOGO"):
        identity.checked_logo(value)


def test_only_a_logo_on_another_site_widens_the_image_policy():
    assert identity.logo_origin("https://cdn.hanoi.gov.vn/a/logo.png") == (
        "https://cdn.hanoi.gov.vn"
    )
    assert identity.logo_origin("/media/logo.png") is None
    assert identity.logo_origin("img/logo.svg") is None


def test_footer_links_are_read_in_order():
    links = identity.footer_links(
        "Cổng thông tin điện tử Chính phủ|https://chinhphu.vn; Liên hệ | /trang/lien-he/ ;"
        "Đường dây nóng|tel:02438253536"
    )
    assert links == [
        identity.Link("Cổng thông tin điện tử Chính phủ", "https://chinhphu.vn"),
        identity.Link("Liên hệ", "/trang/lien-he/"),
        identity.Link("Đường dây nóng", "tel:02438253536"),
    ]
    assert identity.footer_links("") == []


@pytest.mark.parametrize(
    "value", ["Chính phủ", "|https://chinhphu.vn", "Chính phủ|javascript:alert(1)", "A|//x"]
)
def test_a_malformed_footer_link_is_refused_at_start_up(value):
    with pytest.raises(ImproperlyConfigured, match="PORTAL_FOOTER_LINKS"):
        identity.footer_links(value)


@pytest.mark.django_db
def test_the_default_identity_is_the_demo_citys_name_and_no_logo(client):
    page = client.get("/").text
    assert "Cổng thông tin chính quyền Thành phố Hà Nội" in page
    assert 'class="site-logo"' not in page
    assert "<address" not in page


@pytest.mark.django_db
def test_the_configured_identity_shows_in_header_and_footer(client, settings):
    settings.PORTAL_SITE_NAMES = {"vi": "Cổng thông tin Thành phố Huế", "en": "Hue City Portal"}
    settings.PORTAL_LOGO = "img/favicon.svg"
    settings.PORTAL_CONTACT = {
        "address": "Số 16 Lê Lợi, phường Thuận Hóa, thành phố Huế",
        "phone": "0234 3822 121",
        "email": "vanphong@hue.gov.vn",
    }
    settings.PORTAL_FOOTER_LINKS = {
        "vi": [identity.Link("Cổng Chính phủ", "https://chinhphu.vn")],
        "en": [],
    }
    page = client.get("/").text
    assert "Cổng thông tin Thành phố Huế" in page
    assert '<img class="site-logo" src="/static/img/favicon.svg"' in page
    assert "Số 16 Lê Lợi, phường Thuận Hóa, thành phố Huế" in page
    assert '<a href="tel:02343822121">0234 3822 121</a>' in page
    assert '<a href="mailto:vanphong@hue.gov.vn">' in page
    assert '<li><a href="https://chinhphu.vn">Cổng Chính phủ</a></li>' in page
    # English falls back to the Vietnamese links when none are set for it.
    client.cookies["django_language"] = "en"
    english = client.get("/", follow=True).text
    assert "Hue City Portal" in english
    assert "https://chinhphu.vn" in english
