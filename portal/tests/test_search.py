"""Site-wide search (/search/): every kind, diacritics and case ignored, drafts and internal
documents hidden, exact document numbers first, odd queries answered, bounded queries.

The same tests run on SQLite and on PostgreSQL (none is skipped on either)."""

import datetime
import unicodedata

import pytest
from django.urls import reverse

from documents.models import Visibility
from documents.tests.factories import make_document, organization
from indicators.tests.factories import make_indicator
from meetings.tests.factories import make_item, make_meeting
from portal import search as site_search
from portal.publication import PublicationStatus
from portal.tests.factories import make_staff
from portal.text import search_words
from projects.tests.factories import make_project

pytestmark = pytest.mark.django_db

URL = reverse("portal:search")
DRAFT = PublicationStatus.DRAFT


@pytest.fixture
def river():
    """One published record of every kind about the Tô Lịch river, and hidden twins."""
    records = {
        "document": make_document(number="", title="Kế hoạch cải tạo sông Tô Lịch"),
        "meeting": make_meeting(title="Hội nghị bàn về sông Tô Lịch"),
        "project": make_project(name="Xử lý ô nhiễm sông Tô Lịch", location="Quận Đống Đa"),
        "indicator": make_indicator(name="Chất lượng nước sông Tô Lịch", code="nuoc-to-lich"),
    }
    records["item"] = make_item(
        make_meeting(title="Hội nghị thường kỳ"), title="Báo cáo xử lý nước sông Tô Lịch"
    )
    hidden = [
        make_document(number="", title="Dự thảo về sông Tô Lịch", status=DRAFT),
        make_document(number="", title="Tô Lịch nội bộ", visibility=Visibility.INTERNAL),
        make_meeting(title="Hội nghị nháp Tô Lịch", status=DRAFT),
        make_item(make_meeting(title="Hội nghị nháp khác", status=DRAFT), title="Tô Lịch nháp"),
        make_project(name="Dự án nháp Tô Lịch", status=DRAFT),
        make_indicator(name="Chỉ tiêu nháp Tô Lịch", status=DRAFT),
    ]
    records["hidden"] = hidden
    return records


def _found(response) -> dict[str, list]:
    groups = {group.kind: group.results for group in response.context["results"].groups}
    groups["exact"] = response.context["results"].exact
    return groups


@pytest.mark.parametrize(
    "query",
    [
        "to lich",
        "TÔ LỊCH",
        "Tô Lịch",
        "tÔ   lỊcH",
        unicodedata.normalize("NFD", "Tô Lịch"),  # decomposed, as some keyboards send it
        "“Tô Lịch”,",
    ],
)
def test_every_kind_is_found_with_or_without_diacritics(client, river, query):
    response = client.get(URL, {"q": query})

    assert response.status_code == 200
    found = _found(response)
    assert found["documents"] == [river["document"]]
    assert found["meetings"] == [river["meeting"]]
    assert found["agenda_items"] == [river["item"]]
    assert found["indicators"] == [river["indicator"]]
    assert found["projects"] == [river["project"]]
    html = response.content.decode()
    for url in [
        river["document"].get_absolute_url(),
        river["meeting"].get_absolute_url(),
        river["item"].get_absolute_url(),
        river["indicator"].get_absolute_url(),
        river["project"].get_absolute_url(),
    ]:
        assert f'href="{url}"' in html


def test_drafts_and_internal_documents_are_not_found(client, river):
    response = client.get(URL, {"q": "to lich"})

    found = _found(response)
    shown = [record for records in found.values() for record in records]
    assert not set(shown) & set(river["hidden"])
    html = response.content.decode()
    for text in ["Dự thảo về sông", "nội bộ", "nháp"]:
        assert text not in html
    assert response.context["results"].total == 5


def test_internal_documents_are_found_by_users_allowed_to_read_them(client, river):
    client.force_login(make_staff("documents.view_internal_document"))

    response = client.get(URL, {"q": "to lich noi bo"})

    assert [d.title for d in _found(response)["documents"]] == ["Tô Lịch nội bộ"]


def test_every_word_must_appear(client, river):
    found = _found(client.get(URL, {"q": "to lich dong da"}))

    assert found["projects"] == [river["project"]]
    assert found["meetings"] == found["documents"] == found["indicators"] == []


def test_exact_number_comes_first_and_the_page_says_so(client):
    plan = make_document(number="341-KH/TU", title="Kế hoạch thực hiện Nghị quyết")
    citing = make_document(number="", title="Báo cáo triển khai Kế hoạch số 341-KH/TU")

    response = client.get(URL, {"q": "341-KH/TU"})

    results = response.context["results"]
    assert results.exact == [plan]
    assert citing in results.groups[0].results
    assert plan not in results.groups[0].results
    html = response.content.decode()
    assert "Văn bản có số đúng như bạn tìm" in html
    assert html.index(plan.get_absolute_url()) < html.index(citing.get_absolute_url())


def test_no_empty_groups_under_an_exact_match(client):
    plan = make_document(number="341-KH/TU", title="Kế hoạch thực hiện Nghị quyết")

    html = client.get(URL, {"q": "341-KH/TU"}).content.decode()

    assert plan.get_absolute_url() in html
    assert 'id="search-documents"' not in html  # no other document: no "Văn bản 0" box
    assert "Không có kết quả." not in html


@pytest.mark.parametrize("query", ["341 kh tu", "341/KH-TU", "Kế hoạch số 341-KH/TU"])
def test_number_typed_loosely_is_still_exact(client, query):
    plan = make_document(number="341-KH/TU", title="Kế hoạch thực hiện Nghị quyết")

    assert client.get(URL, {"q": query}).context["results"].exact == [plan]


def test_no_exact_number_no_exact_section(client):
    make_document(number="341-KH/TU")

    response = client.get(URL, {"q": "999-KH/TU"})

    assert response.context["results"].exact == []
    assert "Văn bản có số đúng như bạn tìm" not in response.content.decode()


def test_see_all_links_carry_the_query_to_lists_that_filter_by_it(client):
    for n in range(site_search.SHOWN_PER_GROUP + 2):
        make_project(name=f"Cầu vượt sông Hồng số {n}")
        make_meeting(title=f"Hội nghị về cầu sông Hồng {n}")

    response = client.get(URL, {"q": "song hong"})

    html = response.content.decode()
    groups = {group.kind: group for group in response.context["results"].groups}
    assert groups["projects"].count == site_search.SHOWN_PER_GROUP + 2
    assert len(groups["projects"].results) == site_search.SHOWN_PER_GROUP
    assert 'href="/projects/?q=song+hong"' in html
    assert 'href="/meetings/?q=song+hong"' in html
    # The lists really filter by it, with the same rule.
    listed = client.get("/projects/?q=song+hong").context["page_obj"].paginator.count
    assert listed == groups["projects"].count
    meetings = client.get("/meetings/?q=song+hong").context["page_obj"].paginator.count
    assert meetings == groups["meetings"].count


def test_meetings_group_links_the_calendar(client, river):
    html = client.get(URL, {"q": "to lich"}).content.decode()

    assert f'href="{reverse("meetings:calendar")}"' in html


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("", "Hãy nhập số văn bản hoặc từ khóa cần tìm."),
        ("   ", "Hãy nhập số văn bản hoặc từ khóa cần tìm."),
        ("!!! ... ---", "ít nhất một chữ hoặc chữ số"),
        ("😀🎉", "ít nhất một chữ hoặc chữ số"),
        ("\x00", "Hãy nhập số văn bản hoặc từ khóa cần tìm."),
        ("x" * 10_000, "Từ khóa quá dài"),
        ("%", "ít nhất một chữ hoặc chữ số"),
    ],
)
def test_empty_huge_or_odd_queries_get_a_message(client, river, query, message):
    response = client.get(URL, {"q": query})

    assert response.status_code == 200
    assert message in response.content.decode()


@pytest.mark.parametrize(
    "query",
    [
        "tô\x00lịch",
        "to lich 😀",
        "'; DROP TABLE projects_project; --",
        '" OR 1=1 --',
        "50% _x_ \\",
        "Tô Lịch" * 2_000,
        "\x1b[31m tô lịch",
    ],
)
def test_odd_queries_never_fail(client, river, query):
    response = client.get(URL, {"q": query})

    assert response.status_code == 200
    assert len(response.context["query"]) <= site_search.MAX_QUERY_LENGTH
    assert "\x00" not in response.context["query"]


def test_null_byte_between_words_still_finds(client, river):
    assert _found(client.get(URL, {"q": "tô\x00lịch"}))["projects"] == [river["project"]]


def test_header_box_submits_here(client):
    html = client.get("/").content.decode()

    assert f'<form class="site-search" role="search" action="{URL}"' in html
    assert 'placeholder="Số văn bản hoặc từ khóa"' in html


def _many_rows(n: int):
    body = organization("BCHTU")
    for i in range(n):
        make_document(number="", title=f"Kế hoạch sông Tô Lịch {i}", issuer=body)
        meeting = make_meeting(title=f"Hội nghị Tô Lịch {i}", date=datetime.date(2025, 1, i + 1))
        make_item(meeting, title=f"Nội dung Tô Lịch {i}")
        make_indicator(name=f"Chỉ tiêu Tô Lịch {i}")
        make_project(name=f"Dự án Tô Lịch {i}")


@pytest.mark.parametrize("query", ["to lich", "341-KH/TU", "Kế hoạch số 1"])
def test_query_count_is_bounded_and_does_not_grow(client, django_assert_max_num_queries, query):
    make_document(number="341-KH/TU", title="Kế hoạch sông Tô Lịch")
    _many_rows(3)
    with django_assert_max_num_queries(14):
        small = client.get(URL, {"q": query})
    _many_rows(12)
    with django_assert_max_num_queries(14):
        large = client.get(URL, {"q": query})
    assert large.context["results"].total >= small.context["results"].total


def test_query_count_for_a_signed_in_user_is_bounded(client, django_assert_max_num_queries):
    _many_rows(4)
    client.force_login(make_staff("documents.view_internal_document"))
    with django_assert_max_num_queries(16):
        response = client.get(URL, {"q": "to lich"})
    assert response.context["results"].total == 20


def test_search_words_fold_and_drop_punctuation():
    assert search_words("“Tô Lịch”, 2025!") == ["to", "lich", "2025"]
    assert search_words("ĐƯỜNG Vành đai 4") == ["duong", "vanh", "dai", "4"]
    assert search_words("09-QC/TU") == ["09-qc/tu"]
    assert search_words("!!! 😀") == []
    assert search_words("a\x00b") == ["a", "b"]
    assert len(search_words(" ".join(f"w{n}" for n in range(50)))) == 10


def test_normalise_query_cuts_and_cleans():
    assert site_search.normalise_query("  tô \x00 lịch ") == ("tô lịch", False)
    query, cut = site_search.normalise_query("a" * 10_000)
    assert cut and len(query) == site_search.MAX_QUERY_LENGTH


SEARCH_INDEXES = {
    "meetings_meeting": "meetings_meeting_search_trgm",
    "meetings_agendaitem": "meetings_agendaitem_search_trgm",
    "indicators_indicator": "indicators_indicator_search_trgm",
    "projects_project": "projects_project_search_trgm",
}


def test_trigram_indexes_exist_on_postgresql_only():
    from django.db import connection

    with connection.cursor() as cursor:
        for table, name in SEARCH_INDEXES.items():
            indexes = connection.introspection.get_constraints(cursor, table)
            if connection.vendor == "postgresql":
                assert name in indexes, name
                assert indexes[name]["columns"] == ["search_text"]
            else:
                assert name not in indexes


@pytest.mark.parametrize(
    ("module", "make", "model_path"),
    [
        ("meetings.migrations.0002_search_text", "meeting", "meetings.Meeting"),
        ("meetings.migrations.0002_search_text", "item", "meetings.AgendaItem"),
        ("indicators.migrations.0003_search_text", "indicator", "indicators.Indicator"),
        ("projects.migrations.0003_search_text", "project", "projects.Project"),
    ],
)
def test_migration_backfills_existing_rows(river, module, make, model_path):
    import importlib

    from django.apps import apps

    model = apps.get_model(model_path)
    model.objects.update(search_text="")
    importlib.import_module(module).backfill(apps, None)

    record = model.objects.get(pk=river[make].pk)
    assert record.search_text == record.folded_text()
    assert "to lich" in record.search_text


def test_counts_stop_at_a_cap_and_say_there_are_more(client, monkeypatch):
    monkeypatch.setattr(site_search, "MAX_COUNTED", 2)
    for n in range(3):
        make_project(name=f"Cầu vượt sông Hồng số {n}")

    response = client.get(reverse("portal:search"), {"q": "cau vuot"})

    projects = next(g for g in response.context["results"].groups if g.kind == "projects")
    assert (projects.count, projects.capped) == (2, True)
    html = response.content.decode()
    assert "Hơn 2 kết quả cho “cau vuot”" in html
    assert "2+" in html
