"""English at its own addresses (docs/languages.md): `/en/…` pages, Vietnamese ones
unprefixed, the switch that keeps the page, `hreflang` alternates in every page's head,
and old links followed by a visitor who chose English by the cookie."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation
from lxml import etree, html

from documents.tests.factories import make_document

from .every_page import make_records, public_pages

pytestmark = pytest.mark.django_db

SITE = "http://testserver"
# Pages of every_page.public_pages that are no page in two languages.
NOT_BILINGUAL = {"not found", "browsable API", "API docs"}


@pytest.fixture
def records(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return make_records()


@pytest.fixture
def chose_english() -> Client:
    """A visitor who chose English with the switch before `/en/` existed."""
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def pages_in(language: str, records) -> dict[str, str]:
    with translation.override(language):
        pages = public_pages(records)
    return {name: url for name, url in pages.items() if name not in NOT_BILINGUAL}


def head_links(response) -> tuple[str, str | None, dict[str, str]]:
    """(the page's `<html lang>`, its canonical address, hreflang → alternate address)."""
    document = html.fromstring(response.content)
    canonical = document.xpath("//head/link[@rel='canonical']/@href")
    alternates = document.xpath("//head/link[@rel='alternate'][@hreflang]")
    found = {link.get("hreflang"): link.get("href") for link in alternates}
    assert len(found) == len(alternates), "a language named twice"
    assert len(canonical) <= 1
    return document.get("lang"), (canonical or [None])[0], found


# The addresses ---------------------------------------------------------------------------


def test_every_public_page_is_english_under_en_and_vietnamese_without_it(client, records):
    vietnamese, english = pages_in("vi", records), pages_in("en", records)
    assert english["document"] == f"/en{vietnamese['document']}"
    for url in english.values():
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Language"] == "en", url
        assert head_links(response)[0] == "en", url
    for url in vietnamese.values():
        # A browser asking for English is still answered in Vietnamese: the address says.
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
        assert response.status_code == 200, url
        assert response["Content-Language"] == "vi", url
        assert head_links(response)[0] == "vi", url


def test_a_visitor_who_chose_vietnamese_still_reads_english_at_an_english_address(records):
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"
    page = client.get(f"/en{records.plan.get_absolute_url()}")
    assert page.status_code == 200
    assert head_links(page)[0] == "en"
    assert "Related documents" in page.content.decode()


@pytest.mark.parametrize(
    "path",
    [
        "/en/api/documents/",
        "/en/sitemap.xml",
        "/en/robots.txt",
        "/en/health/",
        "/en/admin/",
        "/en/i18n/setlang/",
        "/en/en/documents/",
    ],
)
def test_what_has_no_language_has_no_english_address(client, path):
    assert client.get(path).status_code == 404


# Old links and the English cookie -----------------------------------------------------


@pytest.mark.parametrize("method", ["get", "head"])
def test_an_old_link_takes_a_visitor_who_chose_english_to_the_english_page(chose_english, method):
    document = make_document(title="Kế hoạch phát triển đô thị thông minh")
    old_link = document.get_absolute_url()

    response = getattr(chose_english, method)(old_link)

    assert response.status_code == 302
    assert response["Location"] == f"/en{old_link}"
    assert "Cookie" in response["Vary"]
    page = chose_english.get(response["Location"])
    assert head_links(page)[0] == "en"
    assert document.title in page.content.decode()


def test_the_redirect_keeps_the_query(chose_english):
    response = chose_english.get("/documents/", {"q": "kế hoạch", "page": "2"})
    assert response["Location"] == "/en/documents/?q=k%E1%BA%BF+ho%E1%BA%A1ch&page=2"


def test_without_the_english_cookie_an_old_link_stays_vietnamese(client):
    response = client.get("/documents/")
    assert response.status_code == 200
    assert head_links(response)[0] == "vi"


def test_a_form_posted_to_an_old_address_is_answered_not_redirected(chose_english):
    make_document(title="Kế hoạch số 341", number="341-KH/TU")
    response = chose_english.post(reverse("documents:lookup"), {"numbers": "341-KH/TU"})
    assert response.status_code == 200
    assert "341-KH/TU" in response.content.decode()


def test_addresses_in_no_language_keep_following_the_cookie(chose_english, records, settings):
    settings.PORTAL_RATES = {"search": "", "download": "", "api": ""}
    for url in (
        reverse("api:documents-list") + "?format=json",
        reverse("robots"),
        reverse("sitemap"),
        reverse("admin:login"),
    ):
        response = chose_english.get(url)
        assert response.status_code == 200, url
        assert response["Content-Language"] == "en", url
    # A file is the same in both languages: answered where it was asked.
    assert chose_english.get(records.pdf.get_absolute_url()).status_code == 200


# The switch ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["home", "documents, filtered", "meeting", "project", "person"])
def test_the_switch_lands_on_the_same_page_in_the_other_language(client, records, name):
    vietnamese, english = pages_in("vi", records)[name], pages_in("en", records)[name]

    to_english = client.post(reverse("set_language"), {"language": "en", "next": vietnamese})
    assert (to_english.status_code, to_english["Location"]) == (302, english)
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"

    to_vietnamese = client.post(reverse("set_language"), {"language": "vi", "next": english})
    assert (to_vietnamese.status_code, to_vietnamese["Location"]) == (302, vietnamese)
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "vi"
    # Having chosen Vietnamese again, old links are Vietnamese again.
    assert client.get(vietnamese).status_code == 200


def test_the_switch_on_a_page_posts_where_it_lands_back(client):
    """The form in the header sends the page's own address; without it, the referrer."""
    page = html.fromstring(client.get("/en/projects/?stage=x").content)
    (form,) = page.xpath("//form[contains(@class, 'language-switch')]")
    assert form.get("action") == reverse("set_language")
    data = {"next": form.xpath(".//input[@name='next']/@value")[0], "language": "vi"}
    assert client.post(form.get("action"), data)["Location"] == "/projects/?stage=x"

    from_referrer = client.post(
        reverse("set_language"), {"language": "vi"}, HTTP_REFERER=f"{SITE}/en/meetings/"
    )
    assert from_referrer["Location"] == f"{SITE}/meetings/"


# What the head says -------------------------------------------------------------------


def test_every_page_names_its_addresses_in_both_languages(client, records):
    vietnamese, english = pages_in("vi", records), pages_in("en", records)
    for name in vietnamese:
        expected = {
            "vi": SITE + vietnamese[name],
            "en": SITE + english[name],
            "x-default": SITE + vietnamese[name],
        }
        for language, url in (("vi", vietnamese[name]), ("en", english[name])):
            lang, canonical, alternates = head_links(client.get(url))
            assert alternates == expected, (name, language)
            assert canonical == expected[language], (name, language)
            assert lang == language


@pytest.mark.parametrize(
    "url",
    [
        "/khong-co-trang-nay/",
        "/en/khong-co-trang-nay/",
        "/en/documents/2025/khong-co-van-ban-nay/",  # a page's address, but no page there
        "/people/khong-co-ai/",
        "/api/docs/",
    ],
)
def test_a_page_in_no_language_names_no_alternates(client, url):
    _lang, canonical, alternates = head_links(client.get(url))
    assert canonical is None
    assert alternates == {}


def test_an_english_list_links_its_english_feeds_and_they_link_english_pages(client):
    document = make_document(title="Kế hoạch chuyển đổi số năm 2025")
    address = document.get_absolute_url()
    page = html.fromstring(client.get("/en/documents/").content)
    feeds = page.xpath("//head/link[@rel='alternate'][@type]/@href")
    assert feeds and all(feed.startswith("/en/documents/feed/") for feed in feeds)

    rss = etree.fromstring(client.get("/en/documents/feed/rss/").content)
    assert rss.findtext("channel/link") == f"{SITE}/en/documents/"
    assert rss.findtext("channel/item/link") == f"{SITE}/en{address}"
    vietnamese = etree.fromstring(client.get("/documents/feed/rss/").content)
    assert vietnamese.findtext("channel/item/link") == SITE + address
