"""One contract for every list (README, "Bad input on lists"; docs in `portal/lists.py`).

(a) For each kind, every surface — the HTML list, its CSV and JSON downloads, the API,
    its feed, the admin's search box and the site search — selects the same records for
    the same `q` and filters.
(b) Every list and every API list answers bad input by the one policy: a bad filter
    value, a page past the end, a valid value that selects nothing, an over-long `q`.
"""

import csv
import datetime
import io
import json
from decimal import Decimal
from urllib.parse import urlsplit

import feedparser
import pytest
from django.urls import reverse

from documents.models import Visibility
from documents.tests.factories import make_document
from indicators.models import Category
from indicators.tests.factories import make_indicator, make_period, make_value, quarter
from meetings.tests.factories import make_item, make_meeting
from portal.publication import PublicationStatus
from portal.tests.factories import make_staff
from portal.text import MAX_QUERY_LENGTH
from projects.models import Sector
from projects.tests.factories import make_project, make_update

pytestmark = pytest.mark.django_db

DRAFT = PublicationStatus.DRAFT
Q = "tô lịch"
H1 = make_period.__defaults__  # the half-year 2025-01-01 … 2025-06-30

RIVER = "sông Tô Lịch đoạn chảy qua các quận Cầu Giấy, Đống Đa, Thanh Xuân và Hoàng Mai"
OTHER = "hạ tầng giao thông kết nối vùng Thủ đô và các tỉnh Đồng bằng sông Hồng"


@pytest.fixture
def records(db):
    """Per kind: three published records the query and filters select, one the query finds
    but the filter excludes, two the query does not find, and hidden ones (drafts, an
    internal document) it would find. Long Vietnamese names, as in the register."""
    june = datetime.date(2025, 6, 12)
    for n in range(3):
        make_document(
            title=f"Kế hoạch số {n} về cải tạo, phục hồi và phát triển cảnh quan {RIVER}",
            issued_on=june,
        )
        make_document(title=f"Chương trình hành động {n} về {OTHER}", issued_on=june)
    make_document(title=f"Báo cáo năm 2024 về {RIVER}", issued_on=datetime.date(2024, 3, 1))
    make_document(title=f"Dự thảo kế hoạch về {RIVER}", issued_on=june, status=DRAFT)
    make_document(
        title=f"Văn bản nội bộ về {RIVER}", issued_on=june, visibility=Visibility.INTERNAL
    )

    july = datetime.date(2025, 7, 1)
    for n in range(2):
        make_meeting(title=f"Hội nghị chuyên đề {n} về xử lý ô nhiễm {RIVER}", date=july)
        make_meeting(title=f"Hội nghị thường kỳ {n} bàn về {OTHER}", date=july)
    # Found through its agenda only, as the meetings list finds it.
    by_item = make_meeting(title="Hội nghị Ban Chấp hành Đảng bộ Thành phố lần thứ 23", date=july)
    make_item(by_item, title=f"Báo cáo tiến độ dự án cải tạo {RIVER}")
    make_meeting(title=f"Hội nghị năm 2024 về {RIVER}", date=datetime.date(2024, 5, 2))
    make_meeting(title=f"Hội nghị nháp về {RIVER}", date=july, status=DRAFT)

    remediation = Sector.RIVER_REMEDIATION
    for n in range(3):
        project = make_project(name=f"Dự án {n} cải tạo, làm sạch {RIVER}", sector=remediation)
        make_update(project)
        make_update(make_project(name=f"Dự án {n} đầu tư {OTHER}", sector=remediation))
    make_update(make_project(name=f"Cầu vượt bắc qua {RIVER}", sector=Sector.BRIDGE))
    make_update(make_project(name=f"Dự án nháp {RIVER}", sector=remediation, status=DRAFT))

    half = make_period(*H1)
    for n in range(3):
        make_value(
            indicator=make_indicator(name=f"Chỉ tiêu {n}: chất lượng nước {RIVER}"), period=half
        )
        make_value(indicator=make_indicator(name=f"Chỉ tiêu {n} về {OTHER}"), period=half)
    make_value(
        indicator=make_indicator(name=f"Chỉ tiêu thu ngân sách {RIVER}", category=Category.BUDGET),
        period=half,
    )
    make_value(
        indicator=make_indicator(name=f"Chỉ tiêu quý {RIVER}"),
        period=quarter(2025, 3),
        value=Decimal("1"),
    )
    make_value(indicator=make_indicator(name=f"Chỉ tiêu nháp {RIVER}", status=DRAFT), period=half)
    return {"period": half.slug}


# Per kind: its list's URL name, the API's, the filters used with `q`, the records the
# query and filters select (from the fixture), and the admin's changelist.
KINDS = {
    "documents": ("documents:list", "api:documents-list", {"year": "2025"}, 3),
    "meetings": ("meetings:list", "api:meetings-list", {"year": "2025"}, 3),
    "projects": ("projects:list", "api:projects-list", {"sector": "river_remediation"}, 3),
    "indicators": ("indicators:list", "api:indicators-list", {"category": "growth"}, 3),
}
ADMIN = {
    "documents": "admin:documents_document_changelist",
    "meetings": "admin:meetings_meeting_changelist",
    "projects": "admin:projects_project_changelist",
    "indicators": "admin:indicators_indicator_changelist",
}
# Without the filters, the query also finds the record the filter excludes.
FOUND_BY_Q_ALONE = 4


def params_of(kind, records, with_filters=True):
    params = {"q": Q}
    if with_filters:
        params |= KINDS[kind][2]
    if kind == "indicators":
        params["period"] = records["period"]  # the dashboard shows one period
    return params


def html_count(client, kind, params):
    response = client.get(reverse(KINDS[kind][0]), params)
    assert response.status_code == 200
    if kind == "indicators":
        return sum(len(group["rows"]) for group in response.context["groups"])
    return response.context["page_obj"].paginator.count


def download(client, kind, params, fmt):
    response = client.get(reverse(KINDS[kind][0]), {**params, "format": fmt})
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    if fmt == "json":
        return len(json.loads(text))
    return len(list(csv.reader(io.StringIO(text)))) - 1  # the header


def api_count(client, kind, params):
    """The API's `count`, exact here: it stops at the lists' cap (`capped`), as the HTML
    list does, and a few records are far below it (test_api_cap.py holds the cap)."""
    response = client.get(reverse(KINDS[kind][1]), params)
    assert response.status_code == 200, response.content
    assert response.json()["capped"] is False
    return response.json()["count"]


def feed_count(client, kind, params):
    """Items of the list's feed; for projects (progress updates) and indicators (new
    figures), the records the items belong to."""
    response = client.get(reverse(f"{kind}:feed_atom"), params)
    assert response.status_code == 200, response.content
    entries = feedparser.parse(response.content).entries
    if kind in ("documents", "meetings"):
        return len(entries)
    return len({urlsplit(entry.link).path for entry in entries})


def admin_count(client, kind, params):
    """Published (and public) rows of the admin's changelist searched for `q`."""
    client.force_login(make_staff(f"{kind}.view_{kind[:-1]}"))
    response = client.get(reverse(ADMIN[kind]), {"q": params["q"]})
    assert response.status_code == 200
    rows = response.context["cl"].queryset.filter(status=PublicationStatus.PUBLISHED)
    if kind == "documents":
        rows = rows.filter(visibility=Visibility.PUBLIC)
    return rows.count()


def site_search_count(client, kind, params):
    results = client.get(reverse("portal:search"), {"q": params["q"]}).context["results"]
    groups = {group.kind: group for group in results.groups}
    if kind == "documents":
        return len(results.exact) + groups["documents"].count
    if kind == "meetings":
        # The meetings list's `q` is shown in two groups: the meetings, and agenda items.
        meetings = {m.pk for m in groups["meetings"].results}
        meetings |= {item.meeting_id for item in groups["agenda_items"].results}
        return len(meetings)
    return groups[kind].count


# Surfaces that take the list's filters, and those that take `q` alone.
FILTERED = {
    "html": html_count,
    "csv": lambda client, kind, params: download(client, kind, params, "csv"),
    "json": lambda client, kind, params: download(client, kind, params, "json"),
    "api": api_count,
    "feed": feed_count,
}
Q_ALONE = {"admin": admin_count, "site search": site_search_count}


@pytest.mark.parametrize("surface", [*FILTERED, *Q_ALONE])
@pytest.mark.parametrize("kind", KINDS)
def test_every_surface_selects_the_same_records(client, records, kind, surface):
    if surface in FILTERED:
        params, expected = params_of(kind, records), KINDS[kind][3]
        read = FILTERED[surface]
    else:
        params, expected = params_of(kind, records, with_filters=False), FOUND_BY_Q_ALONE
        if kind == "indicators":
            expected = 5  # the site search and the admin have no period: the Q3 one too
        read = Q_ALONE[surface]
    # The HTML list is the reference: every surface agrees with it and with the data.
    if surface in FILTERED or kind != "indicators":
        assert html_count(client, kind, params) == expected
    assert read(client, kind, params) == expected


# --- (b) the bad-input policy -----------------------------------------------------------

LISTS = {
    # kind: (a bad filter value, a valid value that selects nothing)
    "documents": ({"system": "both"}, {"year": "2030"}),
    "meetings": ({"kind": "party"}, {"year": "2026"}),
    "projects": ({"sector": "metro"}, {"sector": "waste_treatment"}),
    "indicators": ({"category": "nope"}, {"category": "trade"}),
}
# Over the limit, yet the same words once cut: every surface still finds the same three.
LONG_Q = Q + " sông" * (MAX_QUERY_LENGTH // 4)


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


@pytest.mark.parametrize("kind", LISTS)
def test_html_list_drops_a_bad_filter_with_a_warning(client, records, kind):
    bad, _empty = LISTS[kind]
    everything = html_count(client, kind, params_of(kind, records, with_filters=False))
    params = params_of(kind, records, with_filters=False) | bad
    response = client.get(reverse(KINDS[kind][0]), params)
    assert response.status_code == 200
    assert any(m.startswith("Bỏ qua bộ lọc") for m in messages_of(response))
    assert html_count(client, kind, params) == everything


@pytest.mark.parametrize("kind", LISTS)
def test_a_valid_value_without_records_is_an_empty_result_everywhere(client, records, kind):
    _bad, empty = LISTS[kind]
    params = {"period": records["period"]} if kind == "indicators" else {}
    params |= empty
    response = client.get(reverse(KINDS[kind][0]), params)
    assert response.status_code == 200
    assert not any(m.startswith("Bỏ qua bộ lọc") for m in messages_of(response))
    assert html_count(client, kind, params) == 0
    assert download(client, kind, params, "csv") == download(client, kind, params, "json") == 0
    assert api_count(client, kind, params) == 0
    assert feed_count(client, kind, params) == 0


@pytest.mark.parametrize("kind", ["documents", "meetings", "projects"])
def test_a_page_past_the_end_shows_the_last_page_with_a_message(client, records, kind):
    response = client.get(reverse(KINDS[kind][0]), {"page": "999"})
    assert response.status_code == 200
    page = response.context["page_obj"]
    assert page.number == page.paginator.num_pages
    assert list(page.object_list)
    assert "Không có trang “999”; đang hiển thị trang 1." in messages_of(response)


@pytest.mark.parametrize("kind", LISTS)
def test_an_over_long_query_is_cut_with_one_message_on_every_surface(client, records, kind):
    params = params_of(kind, records) | {"q": LONG_Q}
    response = client.get(reverse(KINDS[kind][0]), params)
    assert response.status_code == 200
    assert f"Từ khóa quá dài; chỉ tìm theo {MAX_QUERY_LENGTH} ký tự đầu." in messages_of(response)
    counts = {name: read(client, kind, params) for name, read in FILTERED.items()}
    assert set(counts.values()) == {KINDS[kind][3]}, counts


@pytest.mark.parametrize("kind", LISTS)
def test_machine_surfaces_refuse_a_bad_filter_naming_it(client, records, kind):
    bad, _empty = LISTS[kind]
    [name] = bad
    list_url = reverse(KINDS[kind][0])
    for url, params in (
        (list_url, {**bad, "format": "csv"}),
        (list_url, {**bad, "format": "json"}),
        (reverse(f"{kind}:feed_rss"), bad),
    ):
        response = client.get(url, params)
        assert response.status_code == 400, url
        assert response["Content-Type"].startswith("text/plain")
        assert "không hợp lệ" in response.content.decode()
    response = client.get(reverse(KINDS[kind][1]), bad)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    assert name in response.json()


@pytest.mark.parametrize("kind", LISTS)
def test_api_lists_answer_a_page_past_the_end_in_json(client, records, kind):
    response = client.get(reverse(KINDS[kind][1]), {"page": "999"})
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
