"""Number and text search through the queryset; runs on SQLite and on PostgreSQL."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal.models import OrganizationKind
from portal.publication import PublicationStatus

from .. import word_search
from ..models import LIST_ORDER, Document, Visibility
from ..numbering import Match, match, parse_number, parse_query, rank_key
from .factories import make_document, make_state_document, organization

pytestmark = pytest.mark.django_db


@pytest.fixture
def register():
    cp = organization("CP", OrganizationKind.STATE)
    return {
        "341": make_document(number="341-KH/TU"),
        "34": make_document(number="34-KH/TU"),
        "3410": make_document(number="3410-KH/TU"),
        "7799": make_document(number="7799-QĐ/TU", issued_on=datetime.date(2024, 11, 14)),
        "ctr": make_state_document(number="04/CTr-UBND"),
        "ct": make_state_document(number="04/CT-UBND"),
        "cv": make_state_document(number="2237/UBND-KT"),
        "ktn": make_state_document(number="2237/UBND-KTN", issued_on=datetime.date(2024, 1, 2)),
        "nd": make_state_document(
            number="30/2020/NĐ-CP", issuer=cp, issued_on=datetime.date(2020, 3, 5)
        ),
        "hd": make_document(number="17-HĐ/TU"),
        "hd_ascii": make_document(number="17-HD/TU"),
        "ubkt": make_document(number="134-CV/UBKTTU", issuer=organization("UBKTTU")),
    }


@pytest.mark.parametrize(
    ("typed", "expected", "strength"),
    [
        ("341 kh tu", ["341"], Match.EXACT),
        ("Số: 341/KH-TU", ["341"], Match.EXACT),
        ("Kế hoạch số 341-KH/TU ngày 12/6/2025", ["341"], Match.EXACT),
        ("341", ["341"], Match.PARTIAL),
        ("34", ["34"], Match.PARTIAL),
        ("7799", ["7799"], Match.PARTIAL),
        ("7799 qd tu", ["7799"], Match.LOOSE),
        ("04 CT UBND", ["ct"], Match.EXACT),
        ("04/ctr-ubnd", ["ctr"], None),
        ("2237/UBND-KT", ["cv"], Match.EXACT),
        ("cv 2237", ["cv", "ktn"], None),
        ("30/2020/ND-CP", ["nd"], Match.LOOSE),
        ("30/2019/NĐ-CP", [], None),
        ("17 HĐ TU", ["hd"], Match.EXACT),
        ("134 CV UBKT TU", ["ubkt"], None),
        # The letters joined may be part of the number's: UBKT TU = UBKTTU without CV.
        ("134 UBKT TU", ["ubkt"], Match.PARTIAL),
        ("UBKT/TU", ["ubkt"], Match.PARTIAL),
    ],
)
def test_search_number(register, typed, expected, strength):
    hits = Document.objects.search_number(typed)
    assert list(hits) == [register[name] for name in expected]
    if strength is not None:
        assert hits.strengths[0] == strength


def test_search_number_returns_none_for_words(register):
    assert Document.objects.search_number("tô lịch") is None


def test_search_number_reads_partial_matches_only_when_asked_or_none_is_complete(register):
    """The list and the download show complete matches alone when there are any, so they
    skip reading the numbers that match partially at best."""
    sub_unit = make_document(number="341-KH/TU/VP")
    assert list(Document.objects.search_number("341 KH TU")) == [register["341"], sub_unit]
    only = Document.objects.search_number("341 KH TU", partial_too=False)
    assert list(only) == [register["341"]]
    # Nothing complete: the partial matches are read all the same.
    partial = Document.objects.search_number("341 TU", partial_too=False)
    assert set(partial) == {register["341"], sub_unit}
    assert set(partial.strengths) == {Match.PARTIAL}


def test_search_number_ranks_exact_before_partial(register):
    hits = Document.objects.search_number("17 HD TU")
    assert hits[0] == register["hd_ascii"]


def test_search_text_folds_diacritics_on_both_databases():
    document = make_document(number="", title="Dự án xử lý nước thải Yên Xá, sông Tô Lịch")
    for typed in ("to lich", "TÔ LỊCH", "yen xa", "nuoc thai", "Tô  Lịch", "YÊN"):
        assert list(Document.objects.search_text(typed)) == [document], typed
    assert list(Document.objects.search_text("100%_x")) == []


def test_search_text_matches_whole_words_on_both_databases():
    document = make_document(number="341-KH/TU", title="An toàn giao thông đường thủy, vành đai 4")
    for typed in ("an toan", "giao thong duong", "341 kh", "kh/tu", "thuy", "vanh dai 4"):
        assert list(Document.objects.search_text(typed)) == [document], typed
    # A part of a word is not the word: "ich" is not "lịch", "thu" is not "thủy", "40" is
    # not "4", and "tô lị" (still being typed) does not find "Tô Lịch".
    for typed in ("oan", "iao", "41", "thu", "vanh dai 40", "giao tho", "%", "--"):
        assert list(Document.objects.search_text(typed)) == [], typed
    assert Document.objects.search_text("   ").count() == 1


def test_number_hits_load_only_the_documents_read():
    for n in range(1, 31):
        make_document(number=f"{n}-KH/TU", issued_on=datetime.date(2025, 1, n))
    hits = Document.objects.published().search_number("KH/TU")
    assert len(hits) == 30 and hits.strengths == [Match.PARTIAL] * 30
    with CaptureQueriesContext(connection) as queries:
        page = hits[20:30]
    assert [d.number for d in page] == [f"{n}-KH/TU" for n in range(10, 0, -1)]
    (loading,) = queries.captured_queries
    assert re.search(r"\bIN \(([^)]*)\)", loading["sql"]).group(1).count(",") == 9
    # A document unpublished between the ranking and the page is left out, not an error.
    Document.objects.filter(number="30-KH/TU").update(status=PublicationStatus.DRAFT)
    assert [d.number for d in hits[:2]] == ["29-KH/TU"]


def test_search_number_stops_reading_when_the_best_are_found():
    newest = [
        make_document(number=f"{n}-KH/TU", issued_on=datetime.date(2025, 6, n))
        for n in range(1, 8)
    ]
    newest.reverse()
    # A symbol alone only matches partially: the newest win, whatever the batch size.
    for show in (1, 2, 3, 50):
        hits = Document.objects.search_number("KH/TU", show=show)
        assert list(hits) == newest[:show], show
        assert set(hits.strengths) == {Match.PARTIAL}
    # An exact match older than partial ones still comes first, even past the first batch.
    old = make_document(number="5-KH/UBKTTU", issued_on=datetime.date(2020, 1, 1))
    hits = Document.objects.search_number("5 KH UBKTTU", show=1, limit=10)
    assert list(hits) == [old]
    hits = Document.objects.search_number("kh 5", show=1, limit=10)
    assert list(hits) == [newest[2]]


def _pairs(hits) -> list:
    return list(zip(hits, hits.strengths, strict=True))


def _every_candidate_ranked(typed: str, show: int) -> list:
    """The number search's answer the slow way: every document parsed and ranked."""
    query = parse_query(typed)
    hits = []
    for document in Document.objects.exclude(display=""):
        strength = match(query, parse_number(document.number))
        if strength is not None:
            rank = rank_key(query, parse_number(document.number), strength)
            day = document.issued_on or datetime.date.min
            hits.append(((rank, day, document.pk), document, strength))
    hits.sort(key=lambda hit: hit[0], reverse=True)
    return [(document, strength) for _key, document, strength in hits[:show]]


def test_search_number_reads_few_candidates_yet_finds_the_best():
    """Exact matches older than many partial ones, a State công văn typed with "cv", type
    words, undated documents: reading stops early and still returns the best."""
    tu, ubnd = organization("TU"), organization("UBND", OrganizationKind.STATE)
    for n in range(12):
        day = datetime.date(2025, 1, 1) + datetime.timedelta(days=n)
        make_document(number=f"7-KH/HU{n}", issued_on=day)
        make_document(number=f"7-KH/TU-VP{n}", issued_on=day, issuer=tu)
        make_document(number=f"7-CV/TU{n}", issued_on=day, issuer=tu)
        make_state_document(number=f"7/UBND-KT{n}", issued_on=day, issuer=ubnd)
    make_document(number="7-KH/TU", issued_on=datetime.date(2012, 5, 5), issuer=tu)
    make_document(number="7-KH/TU", issued_on=None, issuer=tu)
    make_state_document(number="7/UBND-KT", issued_on=datetime.date(2011, 1, 1), issuer=ubnd)
    typed_ways = ["7 KH TU", "kh 7", "7", "KH/TU", "cv 7", "cv 7 ubnd kt", "Kế hoạch số 7"]
    for typed in typed_ways:
        for show in (1, 3, 10):
            hits = Document.objects.search_number(typed, show=show)
            assert _pairs(hits) == _every_candidate_ranked(typed, show), (typed, show)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL indexes")
def test_postgres_indexes_serve_the_searches(register):
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'documents_document'")
        names = {row[0] for row in cursor.fetchall()}
        assert {
            "documents_document_number_by_date",
            "documents_document_search_words",
            "documents_text_words_by_date",
            "documents_number_words",
            "documents_number_words_by_date",
            "documents_document_list_order",
            "documents_document_number_by_serial",
        } <= names
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = Document.objects.search_text("to lich").order_by().explain()
        assert "search_words" in plan, plan
        # The index by date serves the expression `TextMatches` reads a span at a time.
        dated = Document.objects.alias(_dated=word_search.DATED_TEXT_WORDS)
        in_months = dated.filter(_dated__overlap=["lich@2025"], _dated__contains=["@m202511"])
        plan = in_months.order_by().explain()
        assert "documents_text_words_by_date" in plan, plan
        # Number candidates never need the table read in full (PostgreSQL falls back to a
        # sequential scan, even when disabled, when no index can serve a query).
        for typed in ("UBKT/TU", "341 KH TU", "kh 341"):
            candidates = Document.objects.number_candidates(parse_query(typed))
            plan = candidates.order_by(*LIST_ORDER).values_list("pk", "number")[:60].explain()
            assert "Seq Scan" not in plan, plan


@pytest.fixture
def river_register():
    """Twelve documents about Tô Lịch among twelve others, one a year from 2001 to 2023 and
    one undated, and two that are not visible: the matches the list must show, newest
    first, undated last."""
    matches = []
    for day in range(1, 25):
        about_river = day % 2 == 0
        document = make_document(
            number="",
            title=f"Kế hoạch sông Tô Lịch {day}" if about_river else f"Kế hoạch Hồ Tây {day}",
            issued_on=None if day == 2 else datetime.date(2000 + day, 1, day),
        )
        if about_river:
            matches.append(document)
    make_document(number="", title="Sông Tô Lịch (nội bộ)", visibility=Visibility.INTERNAL)
    make_document(number="", title="Sông Tô Lịch (dự thảo)", status=PublicationStatus.DRAFT)
    dated = sorted((d for d in matches if d.issued_on), key=lambda d: d.issued_on, reverse=True)
    return [*dated, *(d for d in matches if not d.issued_on)]


# Which plan reads the matches on PostgreSQL: the list's cap, the settings, and the
# documents in the statistics (the expected matches are the probe's share of them).
PLANS = {
    "the first rows hold them": dict(limit=5, PROBE_ROWS=2_000, WALK_ROWS=50_000),
    "a longer walk finds them": dict(limit=5, PROBE_ROWS=4, WALK_ROWS=40),
    "all at once": dict(limit=20, PROBE_ROWS=2, WALK_ROWS=4, ALL_AT_ONCE=100),
    "too many at once, then by date": dict(limit=5, PROBE_ROWS=2, WALK_ROWS=4, ALL_AT_ONCE=0.6),
    "by date, a month first": dict(limit=5, PROBE_ROWS=2, WALK_ROWS=4, ALL_AT_ONCE=-1),
    "by date, all": dict(limit=20, PROBE_ROWS=2, WALK_ROWS=4, ALL_AT_ONCE=-1),
    "by date, months first": dict(limit=5, PROBE_ROWS=2, WALK_ROWS=4, ALL_AT_ONCE=-1, rows=600),
    "by date, years first": dict(limit=5, PROBE_ROWS=2, WALK_ROWS=4, ALL_AT_ONCE=-1, rows=6),
}


@pytest.mark.parametrize("plan", PLANS)
def test_text_matches_list_the_same_pages_whatever_the_plan(river_register, monkeypatch, plan):
    settings = dict(PLANS[plan])
    limit, rows = settings.pop("limit"), settings.pop("rows", 0)
    for name, value in settings.items():
        monkeypatch.setattr(word_search, name, value)
    monkeypatch.setattr(word_search, "WALK_SHARE", 10.0)  # the register here is tiny
    monkeypatch.setattr(word_search, "word_frequencies", lambda alias: ({}, rows))
    visible = Document.objects.visible_to(None)
    matches = word_search.TextMatches(visible, "to lich", limit=limit)
    expected = river_register[:limit]
    assert len(matches) == len(expected)
    assert matches[0:3] == expected[0:3]
    assert matches[3:limit] == expected[3:limit]


def month(year: int, number: int) -> int:
    return year * 12 + number - 1


@pytest.mark.parametrize(
    ("high", "span", "top", "bottom", "window"),
    [
        # Months back from the newest.
        ((2026, 11), 3, (2026, 11), (2021, 1),
         ([2026], [(2026, 11), (2026, 10), (2026, 9)], (2026, 9))),
        # 12 months or more from the newest: whole years, rounded up.
        ((2026, 11), 12, (2026, 11), (2021, 1), ([2026], None, (2026, 1))),
        ((2026, 11), 23, (2026, 11), (2021, 1), ([2026, 2025], None, (2025, 1))),
        # ... from the middle of a year: the rest of that year first.
        ((2026, 2), 24, (2026, 11), (2021, 1), ([2026], [(2026, 2), (2026, 1)], (2026, 1))),
        # Months across the new year: both years' tags, each month's marker.
        ((2026, 2), 4, (2027, 1), (2021, 1),
         ([2026, 2025], [(2026, 2), (2026, 1), (2025, 12), (2025, 11)], (2025, 11))),
        # Nothing is issued after the newest or before the oldest: whole years.
        ((2027, 1), 1, (2027, 1), (2021, 1), ([2027], None, (2027, 1))),
        ((2025, 12), 36, (2027, 1), (2024, 6), ([2025, 2024], None, (2024, 6))),
        ((2025, 10), 24, (2027, 1), (2025, 6),
         ([2025], [(2025, 10), (2025, 9), (2025, 8), (2025, 7), (2025, 6)], (2025, 6))),
    ],
)  # fmt: skip
def test_date_window_spans_months_or_whole_years(high, span, top, bottom, window):
    years, months, low = window
    found = word_search.date_window(month(*high), span, month(*top), month(*bottom))
    assert found == (years, months, month(*low))


def test_text_matches_read_by_month_find_the_newest_across_a_new_year(monkeypatch):
    """Two documents a month from March 2025 to February 2026 and a month first: the reads
    of a few months, crossing the new year, keep the list order."""
    documents = [
        make_document(number="", title=f"Quy hoạch Hồ Tây {month}/{year}",
                      issued_on=datetime.date(year, month, day))
        for year, month in [*((2025, m) for m in range(3, 13)), (2026, 1), (2026, 2)]
        for day in (3, 17)
    ]  # fmt: skip
    make_document(number="", title="Hồ Gươm", issued_on=datetime.date(2026, 2, 20))
    for name, value in dict(PROBE_ROWS=2, WALK_ROWS=4, ALL_AT_ONCE=-1).items():
        monkeypatch.setattr(word_search, name, value)
    monkeypatch.setattr(word_search, "word_frequencies", lambda alias: ({}, 10**6))
    matches = word_search.TextMatches(Document.objects.visible_to(None), "ho tay", limit=7)
    newest_first = sorted(documents, key=lambda d: d.issued_on, reverse=True)
    assert matches[0:7] == newest_first[:7]


def test_text_matches_find_nothing_for_absent_words(river_register):
    matches = word_search.TextMatches(Document.objects.visible_to(None), "ve sinh", limit=5)
    assert len(matches) == 0
    assert matches[0:5] == []


def test_text_matches_find_a_word_too_long_for_the_index_by_year(monkeypatch):
    """Words of more than 255 letters are left out of the index by year (a regular
    expression counts to 255 at most); such a query reads every match instead."""
    long_word = "x" * 300
    found = make_document(number="", title=f"Phụ lục {long_word}")
    make_document(number="", title="Phụ lục", issued_on=datetime.date(2025, 1, 2))
    for name, value in dict(PROBE_ROWS=1, WALK_ROWS=0, ALL_AT_ONCE=-1).items():
        monkeypatch.setattr(word_search, name, value)
    matches = word_search.TextMatches(Document.objects.visible_to(None), long_word, limit=5)
    assert matches[0:5] == [found]


# How a symbol typed without a serial is read (`word_search.NewestMatches`), as the probe
# of the newest numbers decides.
SYMBOL_PLANS = {
    "rare: every candidate at once": dict(PROBE_ROWS=2, WALK_ROWS=4, ALL_AT_ONCE=10**9),
    "dense: the newest numbers walked": dict(PROBE_ROWS=2_000, WALK_ROWS=50_000),
    "sparse: a span of years at a time": dict(PROBE_ROWS=2, WALK_ROWS=4, ALL_AT_ONCE=-1),
}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the GIN indexes of number words")
@pytest.mark.parametrize("plan", SYMBOL_PLANS)
@pytest.mark.parametrize("show", [1, 3, 30])
def test_a_symbol_without_serial_finds_the_newest_whatever_the_plan(monkeypatch, plan, show):
    for name, value in SYMBOL_PLANS[plan].items():
        monkeypatch.setattr(word_search, name, value)
    monkeypatch.setattr(word_search, "word_frequencies", lambda alias: ({}, 1_000))
    ubkt = organization("UBKTTU")
    for n, year in enumerate([2012, 2015, 2015, 2019, 2021, 2022, 2023, 2024, 2024, 2025], 1):
        make_document(number=f"{n}-CTr/UBKTTU", issued_on=datetime.date(year, 3, n), issuer=ubkt)
    for n in (11, 12):
        make_document(number=f"{n}-CTr/UBKTTU", issued_on=None, issuer=ubkt)
    make_document(number="13-CTr/UBKTTU-VP", issued_on=datetime.date(2020, 1, 1), issuer=ubkt)
    make_document(number="14-CTr/UBKT-TU", issued_on=datetime.date(2018, 1, 1), issuer=ubkt)
    for n in range(1, 7):  # newer numbers of other symbols
        make_document(number=f"{n}-KH/TU", issued_on=datetime.date(2026, 1, n))
    with CaptureQueriesContext(connection) as queries:
        hits = Document.objects.search_number("CTr/UBKTTU", show=show)
    assert _pairs(hits) == _every_candidate_ranked("CTr/UBKTTU", show)
    assert [d.number for d in hits][:3] == ["10-CTr/UBKTTU", "9-CTr/UBKTTU", "8-CTr/UBKTTU"][:show]
    if show == 30:  # all 14, the undated last
        assert [d.number for d in hits][-2:] == ["12-CTr/UBKTTU", "11-CTr/UBKTTU"]
    sql = [query["sql"] for query in queries.captured_queries]
    by_year = [query for query in sql if "replace(btrim" in query]
    if plan.startswith("sparse"):
        assert len(by_year) > 1, sql  # 2.2 numbers a year: batches of 11+ span several
    else:
        assert not by_year, sql
    assert any("string_to_array" in query for query in sql) == (
        plan != "dense: the newest numbers walked"
    )


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL settings")
def test_reads_by_date_leave_the_planner_settings_as_they_were(river_register, monkeypatch):
    """The reads turn off sequential scans, JIT and parallel workers for themselves only,
    even inside a longer transaction (as this test runs in)."""

    def planner_settings():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT current_setting('enable_seqscan'), current_setting('jit'), "
                "current_setting('max_parallel_workers_per_gather')"
            )
            return cursor.fetchone()

    before = planner_settings()
    for name, value in dict(PROBE_ROWS=2, WALK_ROWS=4, ALL_AT_ONCE=-1).items():
        monkeypatch.setattr(word_search, name, value)
    matches = word_search.TextMatches(Document.objects.visible_to(None), "to lich", limit=5)
    assert matches[0:5] == river_register[:5]
    assert planner_settings() == before
