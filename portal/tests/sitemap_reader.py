"""Reading the sitemap as a crawler does: the index, then each section it names, every
answer checked against the sitemaps.org schema by libxml2 (`sitemaps.xsd` beside this file)."""

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from lxml import etree

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
SCHEMA = etree.XMLSchema(etree.parse(str(Path(__file__).with_name("sitemaps.xsd"))))
# W3C Datetime as the protocol asks for it: a date, or a time with its time zone.
W3C_DATETIME = re.compile(r"\d{4}-\d\d-\d\d(T\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d))?")


@dataclass
class Url:
    location: str
    lastmod: str | None


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


def section(client, path: str) -> list[Url]:
    document = read(client, path, "urlset")
    return [
        Url(url.findtext("s:loc", namespaces=NS), url.findtext("s:lastmod", namespaces=NS))
        for url in document.iterfind("s:url", NS)
    ]


def crawl(client) -> dict[str, list[Url]]:
    """Every section the index names, with its addresses."""
    return {path: section(client, path) for path in index(client)}


def locations(client) -> list[str]:
    """Every address of every section, as listed (a repeat shows twice)."""
    return [url.location for urls in crawl(client).values() for url in urls]
