"""Property-based requests: no query string makes a public list answer 5xx (issue 14).

Every public page that takes no path argument — the lists, their feeds and calendar, the
site search, the API's lists, the sitemap… — is read from the URLconf (so a new one is
fuzzed without anyone adding it here) and asked generated query strings: the filters'
own parameter names and random ones, repeated or not; values of random text with NUL and
odd Unicode, very long strings, huge and negative integers, dates real and impossible,
number-like text, and raw bytes that are not valid percent-encoding. The database holds
published and hidden records of every kind (`hidden_records.py`), so filters match rows.

The examples are bounded (`EXAMPLES` per page) to keep the file near half a minute on
SQLite; `bench/fuzz.py` sends more than a thousand per page to gunicorn and PostgreSQL.
"""

import datetime
from urllib.parse import urlencode

import django_filters
import pytest
from django.test import Client
from django.urls import get_resolver
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from portal.roles import PORTAL_APPS

from .hidden_records import build_world
from .urlconf import MAY_ANSWER_503, list_patterns

pytestmark = pytest.mark.django_db

EXAMPLES = 25
# The health probe reads no parameter and loads the migration graph on every call.
FEWER_EXAMPLES = {"health": 5}


def filter_parameters() -> list[str]:
    """The parameter names of every FilterSet of the portal's apps, and those the views
    read themselves. The URLconf is loaded first: it imports every view, hence every
    FilterSet."""
    get_resolver().url_patterns  # noqa: B018 (imports the views)
    found: set[str] = set()
    pending = list(django_filters.FilterSet.__subclasses__())
    while pending:
        filterset = pending.pop()
        pending += filterset.__subclasses__()
        if filterset.__module__.split(".")[0] in PORTAL_APPS:
            found.update(filterset.base_filters)
    return sorted(found | {"q", "page", "page_size", "format", "period", "body", "next"})


# Values a careless or hostile client sends; and some that a real one does.
ODD_VALUES = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "\u202e\u202d",
    "\ufeff",
    "\u200b",
    "e\u0301\u0323",
    "Đ",
    "ð",
    "𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
    "😀",
    "'",
    '"',
    "<script>alert(1)</script>",
    "../../etc/passwd",
    "\\",
    "%",
    "%00",
    "1e309",
    "NaN",
    "-0",
    "0x1F",
    "9" * 40,
    "-" + "9" * 40,
    "2025-02-30",
    "0000-00-00",
    "9999-12-31",
    "341-KH/TU",
    "341 KH TU",
    "Kế hoạch số 341-KH/TU",
    "04/CTr-UBND",
    "30/2020/NĐ-CP",
    "BCHTU",
    "bchtu",
    "TU",
    "xvii",
    "XVII",
    "2025",
    "2025-h1",
    "2025-q2",
    "2025-06",
    "csv",
    "json",
    "api",
    "html",
    "CSV ",
    "true",
    "false",
    "yes",
    "no",
    "none",
    "on",
    "behind",
    "under_construction",
    "bridge",
    "growth",
    "regular",
    "to lich",
    "Tô Lịch",
    "tô li",
]
RAW_TAILS = ["", "&", "&&=", "=", "%", "%zz", "%ff%fe", "q=%C0%AF", ";a=1", "page", "&q"]


def values(longest: int = 20_000):
    """A parameter's value; `longest` bounds the very long ones (a server in front of the
    portal refuses request lines of more than a few kilobytes before Django sees them)."""
    return st.one_of(
        st.sampled_from(ODD_VALUES),
        st.text(max_size=40),
        st.integers(min_value=-(10**30), max_value=10**30).map(str),
        st.dates(min_value=datetime.date(1, 1, 1)).map(datetime.date.isoformat),
        st.from_regex(r"\A\d{1,6}[-/ .]{0,2}[A-Za-zĐđ]{0,5}[-/ ]?[A-Za-zĐđ]{0,6}\Z"),
        # Very long: a pasted page, or a probe for buffer sizes.
        st.builds(
            lambda character, times: character * times,
            st.characters(exclude_categories=["Cs"]),
            st.integers(min_value=min(500, longest), max_value=longest),
        ),
    )


def queries(names: list[str], longest: int = 20_000):
    """A query string: pairs of known or random names with odd values, some repeated,
    and sometimes raw bytes that are not valid percent-encoding."""
    name = st.one_of(st.sampled_from(names), st.text(min_size=1, max_size=12))
    pairs = st.lists(st.tuples(name, values(longest)), max_size=6)
    repeated = pairs.map(lambda p: p + p[:2])
    return st.tuples(st.one_of(pairs, repeated), st.sampled_from(RAW_TAILS)).map(
        lambda parts: "&".join(q for q in (urlencode(parts[0]), parts[1]) if q)
    )


ACCEPT = ["", "text/html", "application/json", "*/*", "text/csv", "application/xml"]
LANGUAGES = ["", "vi", "en", "xx"]


def _read(response) -> bytes:
    """The whole body: a download fails, if it does, while it streams."""
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def fuzz(pattern, names: list[str]) -> None:
    """`EXAMPLES` generated requests to the page of `pattern`; fails on the first 5xx,
    shrunk to the simplest query string that gives it."""
    url = pattern.address()
    allowed = {503} if pattern.name in MAY_ANSWER_503 else set()

    @hypothesis_settings(
        max_examples=FEWER_EXAMPLES.get(pattern.name, EXAMPLES),
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
        database=None,
    )
    @given(
        query=queries(names),
        accept=st.sampled_from(ACCEPT),
        language=st.sampled_from(LANGUAGES),
    )
    def ask(query, accept, language):
        # A view's exception becomes the 500 a visitor would get (and is logged).
        client = Client(raise_request_exception=False)
        if language:
            client.cookies["django_language"] = language
        headers = {"accept": accept} if accept else {}
        response = client.get(f"{url}?{query}", headers=headers)
        # Read, not closed by hand: the test client closes the response as a WSGI server
        # would, without the request_finished signal that would close the test's
        # connection on PostgreSQL.
        _read(response)
        status = response.status_code
        assert status < 500 or status in allowed, f"{status} for {url}?{query}"

    ask()


def test_no_query_string_gives_a_server_error(settings, tmp_path):
    """Every page without arguments, one after the other over the same records; every
    page is tried even when an earlier one fails, and the report names them all."""
    build_world(settings, tmp_path)
    names = filter_parameters()
    assert {"issuer", "topic", "in_force", "term", "sector", "schedule", "category"} <= set(names)
    patterns = list_patterns()
    assert {"documents:list", "api:documents-list", "portal:search"} <= {p.name for p in patterns}
    failures = []
    for pattern in patterns:
        try:
            fuzz(pattern, names)
        except Exception as error:  # reported below, with the others
            failures.append(f"{pattern.name}: {error!r}"[:2000])
    assert not failures, "\n".join(failures)
