"""Reading the sitemap as a crawler does: the index, then each section it names, every
answer checked against the sitemaps.org schema by libxml2 (`sitemaps.xsd` beside this file),
and every page checked to be listed in each language with the same alternates."""

import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from lxml import etree

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "xhtml": "http://www.w3.org/1999/xhtml"}
LANGUAGES = ("vi", "en")
SCHEMA = etree.XMLSchema(etree.parse(str(Path(__file__).with_name("sitemaps.xsd"))))
# W3C Datetime as the protocol asks for it: a date, or a time with its time zone.
W3C_DATETIME = re.compile(r"\d{4}-\d\d-\d\d(T\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d))?")


@dataclass
class Url:
    location: str
    lastmod: str | None
    alternates: dict[str, str] = field(default_factory=dict)  # hreflang → address


def read(client, path: str, root: str):
    """The parsed answer to `path`, which must be valid sitemap XML of the `root` element."""
    response = client.get(path)
    assert response.status_code == 200, path
    assert response["Content-Type"] == "application/xml; charset=utf-8"
    document = etree.fromstring(response.content)
    SCHEMA.assertValid(document)
    assert document.tag == f"{{{NS['s']}}}{root}"
    for lastmod in document.iterfind(".//s:lastmod", NS):
        assert W3C_DATETIME.fullmatch(lastmod.text), lastmod.text
    return document


def index(client) -> dict[str, str | None]:
    """Section path → its lastmod, in the index's order."""
    document = read(client, "/sitemap.xml", "sitemapindex")
    return {
        urlsplit(entry.findtext("s:loc", namespaces=NS)).path: entry.findtext(
            "s:lastmod", namespaces=NS
        )
        for entry in document.iterfind("s:sitemap", NS)
    }


def _alternates(url) -> dict[str, str]:
    links = url.findall("xhtml:link", NS)
    alternates = {link.get("hreflang"): link.get("href") for link in links}
    assert len(alternates) == len(links), "a language named twice"
    return alternates


def check_languages(urls: list[Url]) -> None:
    """Each page is listed once at its address in each language, every listing naming the
    same addresses, itself among them, and the Vietnamese one as x-default."""
    listed = defaultdict(list)
    for url in urls:
        assert set(url.alternates) == {*LANGUAGES, "x-default"}, url
        assert url.alternates["x-default"] == url.alternates["vi"], url
        listed[tuple(sorted(url.alternates.items()))].append(url.location)
    for alternates, locations in listed.items():
        assert sorted(locations) == sorted(dict(alternates)[code] for code in LANGUAGES)


def section(client, path: str, language: str = "vi") -> list[Url]:
    """The section's pages at their address in `language`."""
    document = read(client, path, "urlset")
    urls = [
        Url(
            url.findtext("s:loc", namespaces=NS),
            url.findtext("s:lastmod", namespaces=NS),
            _alternates(url),
        )
        for url in document.iterfind("s:url", NS)
    ]
    check_languages(urls)
    return [url for url in urls if url.alternates[language] == url.location]


def crawl(client, language: str = "vi") -> dict[str, list[Url]]:
    """Every section the index names, with its addresses in `language`."""
    return {path: section(client, path, language) for path in index(client)}


def locations(client, language: str = "vi") -> list[str]:
    """Every address in `language` of every section, as listed (a repeat shows twice)."""
    return [url.location for urls in crawl(client, language).values() for url in urls]
