"""Vintages of a figure (issue 17): every vintage is kept, the latest approved one is shown
and judged on every surface, the earlier ones are listed as revisions, and a verdict turned
by a revision says so."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from documents.tests.factories import make_document
from portal.publication import PublicationStatus

from ..exports import HEADER
from ..models import (
    Category,
    Indicator,
    PeriodFigures,
    Unit,
    Value,
    ValueKind,
    Vintage,
    figures_by_period,
)
from ..periods import PeriodKind
from ..services import import_values
from ..verdicts import Outcome
from .factories import make_indicator, make_period, make_value, quarter

pytestmark = pytest.mark.django_db

H1_2024 = (PeriodKind.HALF_YEAR, datetime.date(2024, 1, 1), datetime.date(2024, 6, 30))
H1_2025 = (PeriodKind.HALF_YEAR, datetime.date(2025, 1, 1), datetime.date(2025, 6, 30))
ESTIMATED_ON = datetime.date(2025, 6, 24)
OFFICIAL_ON = datetime.date(2025, 7, 6)
IMPORT_HEADER = (
    "indicator_code,period_kind,period_start,period_end,value_kind,value,vintage,"
    "vintage_date,source,note\n"
)


@pytest.fixture
def grdp():
    """GRDP growth for two first halves against the scenario. The 2025 figure was
    estimated at 7.52% (missing the 7.59% scenario), then officially 7.63% (meeting it);
    an editor's later revision to 7.70% waits for a publisher."""
    indicator = make_indicator(
        code="grdp-growth",
        name="Tốc độ tăng trưởng tổng sản phẩm trên địa bàn (GRDP) theo giá so sánh 2010",
        unit=Unit.PERCENT_CHANGE,
        is_headline=True,
    )
    h1_2024, h1_2025 = make_period(*H1_2024), make_period(*H1_2025)
    make_value(indicator=indicator, period=h1_2024, value=Decimal("6.21"))
    make_value(indicator=indicator, period=h1_2024, kind=ValueKind.SCENARIO, value=Decimal("6.5"))
    make_value(indicator=indicator, period=h1_2025, kind=ValueKind.SCENARIO, value=Decimal("7.59"))
    make_value(
        indicator=indicator,
        period=h1_2025,
        value=Decimal("7.52"),
        vintage=Vintage.ESTIMATE,
        released_on=ESTIMATED_ON,
        source_document=make_document(number="412-BC/TU", title="Báo cáo ước tính 6 tháng"),
        note="Ước tính tại Hội nghị Thành ủy lần thứ 23.",
    )
    make_value(
        indicator=indicator,
        period=h1_2025,
        value=Decimal("7.63"),
        vintage=Vintage.OFFICIAL,
        released_on=OFFICIAL_ON,
        source_text="Cục Thống kê Thành phố Hà Nội",
    )
    make_value(
        indicator=indicator,
        period=h1_2025,
        value=Decimal("7.70"),
        vintage=Vintage.REVISED,
        released_on=datetime.date(2025, 10, 1),
        pending=True,
    )
    return indicator


def _text(response) -> str:
    return response.content.decode()


def _h1_2025(indicator) -> PeriodFigures:
    figures = figures_by_period(type(indicator).objects.for_detail().get(pk=indicator.pk))
    return next(f for f in figures if f.period.start.year == 2025)


# --- the rule ----------------------------------------------------------------------------


def test_latest_vintage_is_shown_and_judged(grdp):
    figures = _h1_2025(grdp)
    assert figures.actual.value == Decimal("7.63")
    assert figures.actual.vintage == Vintage.OFFICIAL
    assert [v.value for v in figures.vintages[ValueKind.ACTUAL]] == [
        Decimal("7.52"),
        Decimal("7.63"),
    ], "the pending revision is not public"
    assert figures.verdict.outcome == Outcome.MET
    [revision] = figures.revisions
    assert (revision.earlier.value, revision.later.value) == (Decimal("7.52"), Decimal("7.63"))
    change = figures.verdict_change
    assert (change.before.outcome, change.after.outcome) == (Outcome.MISSED, Outcome.MET)
    assert change.revised_on == OFFICIAL_ON


@pytest.mark.parametrize(
    ("vintages", "latest"),
    [
        # The stage decides, whatever the order of entry or the dates.
        ([("official", "2025-07-06"), ("estimate", "2025-06-24")], "official"),
        ([("revised", "2025-09-30"), ("official", "2025-10-01")], "revised"),
        # A stated vintage outranks one not stated.
        ([("preliminary", None), ("", "2025-12-01")], "preliminary"),
        # Two revisions: the later date.
        ([("revised", "2025-11-02"), ("revised", "2025-09-30")], "revised 2025-11-02"),
    ],
)
def test_which_vintage_is_latest(vintages, latest):
    indicator = make_indicator()
    period = make_period()
    for vintage, day in vintages:
        make_value(
            indicator=indicator,
            period=period,
            vintage=vintage,
            released_on=datetime.date.fromisoformat(day) if day else None,
        )
    figures = PeriodFigures(indicator, period, list(Value.objects.all()))
    shown = figures.actual
    label = shown.vintage + (f" {shown.released_on}" if "revised " in latest else "")
    assert label == latest


def test_no_verdict_change_when_the_revision_keeps_the_outcome():
    indicator = make_indicator()
    period = make_period()
    make_value(indicator=indicator, period=period, kind=ValueKind.TARGET, value=Decimal("7"))
    make_value(indicator=indicator, period=period, value=Decimal("7.2"), vintage="estimate")
    make_value(indicator=indicator, period=period, value=Decimal("7.4"), vintage="official")
    figures = PeriodFigures(indicator, period, list(Value.objects.all()))
    assert figures.verdict.met and figures.revisions and figures.verdict_change is None


def test_a_revised_target_can_turn_the_verdict_too():
    indicator = make_indicator()
    period = make_period()
    make_value(indicator=indicator, period=period, value=Decimal("7.5"))
    make_value(
        indicator=indicator, period=period, kind=ValueKind.TARGET, value=Decimal("8"), vintage=""
    )
    make_value(
        indicator=indicator,
        period=period,
        kind=ValueKind.TARGET,
        value=Decimal("7.5"),
        vintage=Vintage.REVISED,
        released_on=datetime.date(2025, 7, 10),
    )
    change = PeriodFigures(indicator, period, list(Value.objects.all())).verdict_change
    assert (change.before.met, change.after.met) == (False, True)


# --- every surface -----------------------------------------------------------------------


def test_detail_page_shows_latest_earlier_vintages_and_verdict_change(client, grdp):
    html = _text(client.get(grdp.get_absolute_url()))
    assert "+7,63%" in html and "chính thức, 06/07/2025" in html
    assert "Đạt kịch bản" in html
    assert "Các lần công bố trước" in html
    assert "điều chỉnh từ +7,52% thành +7,63% ngày 06/07/2025" in html
    assert "(ước tính, 24/06/2025 → chính thức, 06/07/2025)" in html
    assert "Báo cáo ước tính 6 tháng" in html  # the earlier figure's source
    assert "Ước tính tại Hội nghị Thành ủy lần thứ 23." in html
    assert "Trước khi số liệu được điều chỉnh ngày 06/07/2025: Chưa đạt kịch bản." in html, (
        "the page says the verdict changed because of the revision"
    )
    assert "7,7" not in html, "a pending vintage stays hidden"


def test_dashboard_shows_the_latest_vintage_and_says_which(client, grdp):
    response = client.get(reverse("indicators:list"))
    [row] = [row for group in response.context["groups"] for row in group["rows"]]
    assert row.actual.value == Decimal("7.63")
    html = _text(response)
    assert "+7,63%" in html and "chính thức, 06/07/2025" in html
    assert "Đạt kịch bản" in html and "Trước khi số liệu được điều chỉnh" in html
    assert "7,52" not in html and "7,7" not in html


def test_chart_plots_the_latest_vintage(client, grdp):
    chart = client.get(grdp.get_absolute_url()).context["chart"]
    assert chart["kind"] == PeriodKind.HALF_YEAR
    actual = [(p.label, p.value) for p in chart["chart"].points if p.series == "Thực hiện"]
    assert actual == [
        ("6 tháng đầu năm 2024", Decimal("6.21")),
        ("6 tháng đầu năm 2025", Decimal("7.63")),
    ]


def test_indicator_csv_has_the_latest_vintage_named(client, grdp):
    response = client.get(grdp.get_csv_url())
    rows = list(csv.DictReader(io.StringIO(b"".join(response).decode("utf-8-sig"))))
    assert list(rows[0]) == HEADER
    actual = [r for r in rows if r["value_kind"] == "actual" and r["period_start"] == "2025-01-01"]
    assert [(r["value"], r["vintage"], r["vintage_date"]) for r in actual] == [
        ("7.63", "official", "2025-07-06")
    ]
    assert actual[0]["vintage_label"] == "Chính thức"
    assert actual[0]["verdict"] == "Đạt kịch bản"


def test_dashboard_download_has_the_latest_vintage(client, grdp):
    response = client.get(reverse("indicators:list"), {"format": "csv"})
    [row] = list(csv.DictReader(io.StringIO(b"".join(response).decode("utf-8-sig"))))
    assert (row["period"], row["actual"], row["actual_vintage"]) == (
        "2025-h1",
        "7.63",
        "official",
    )
    assert row["verdict"] == "met"


def test_api_gives_the_latest_vintage_with_the_earlier_ones(client, grdp):
    data = client.get(reverse("api:indicators-detail", kwargs={"code": grdp.code})).json()
    actual = [
        v for v in data["values"] if v["kind"] == "actual" and v["period"]["slug"] == "2025-h1"
    ]
    assert len(actual) == 1
    [figure] = actual
    assert (figure["value"], figure["vintage"], figure["released_on"]) == (
        "7.6300",
        "official",
        "2025-07-06",
    )
    assert figure["verdict"] == "met"
    assert [(v["value"], v["vintage"]) for v in figure["earlier_vintages"]] == [
        ("7.5200", "estimate")
    ]
    assert figure["earlier_vintages"][0]["source_document"]["number"] == "412-BC/TU"
    assert "7.7000" not in str(data)


def test_home_page_headline_uses_the_latest_vintage(client, grdp):
    html = _text(client.get("/"))
    assert "+7,63%" in html and "(chính thức, 06/07/2025)" in html
    assert "+7,52%" not in html


def test_approving_the_pending_revision_makes_it_the_latest(client, grdp):
    Value.all_objects.filter(pending=True).update(pending=False)
    html = _text(client.get(grdp.get_absolute_url()))
    assert "+7,7%" in html
    assert "điều chỉnh từ +7,63% thành +7,7% ngày 01/10/2025" in html


# --- constant queries --------------------------------------------------------------------


def _many_vintages(indicators: int, years: range):
    """Indicators with quarterly figures over `years`, each figure in three vintages
    (estimate with its source document, official, revised) and a target."""
    for n in range(indicators):
        indicator, _ = Indicator.objects.get_or_create(
            code=f"chi-tieu-{n}",
            defaults={
                "name": f"Chỉ tiêu tăng trưởng số {n} của Thành phố Hà Nội giai đoạn 2020–2025",
                "unit": Unit.PERCENT,
                "category": Category.GROWTH if n % 2 else Category.TRADE,
                "status": PublicationStatus.PUBLISHED,
            },
        )
        for year in years:
            for number in (1, 2, 3, 4):
                period = quarter(year, number)
                make_value(indicator=indicator, period=period, kind="target", value=Decimal(7))
                for step, vintage in enumerate(("estimate", "official", "revised")):
                    make_value(
                        indicator=indicator,
                        period=period,
                        value=Decimal("6.8") + step / Decimal(10),
                        vintage=vintage,
                        released_on=period.end + datetime.timedelta(days=10 + 30 * step),
                        source_document=make_document() if step == 0 else None,
                    )


def _queries(client, url: str, params: dict) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
        if response.streaming:
            b"".join(response.streaming_content)
    assert response.status_code == 200
    return len(captured)


SURFACES = [
    ("indicators:detail", {"code": "chi-tieu-0"}, {}, 6),
    ("indicators:list", {}, {}, 4),
    ("indicators:list", {}, {"format": "csv"}, 4),
    ("indicators:list", {}, {"format": "json"}, 4),
    ("indicators:csv", {"code": "chi-tieu-0"}, {}, 5),
    ("api:indicators-list", {}, {}, 6),
    ("api:indicators-detail", {"code": "chi-tieu-0"}, {}, 6),
]


@pytest.mark.parametrize(("name", "kwargs", "params", "budget"), SURFACES)
def test_query_count_does_not_grow_with_periods_or_vintages(
    client, name, kwargs, params, budget, django_assert_max_num_queries
):
    url = reverse(name, kwargs=kwargs)
    _many_vintages(2, range(2025, 2026))
    few = _queries(client, url, params)
    _many_vintages(6, range(2022, 2025))  # more indicators, three more years of vintages
    with django_assert_max_num_queries(budget):
        many = _queries(client, url, params)
    assert many == few


# --- imports -----------------------------------------------------------------------------


def test_import_reads_vintages_in_vietnamese_and_english(grdp):
    content = IMPORT_HEADER + (
        # A new preliminary vintage, spelled in Vietnamese.
        "grdp-growth,half_year,2024-01-01,2024-06-30,actual,6.3,Sơ bộ,15/07/2024,Cục Thống kê,\n"
        # The official vintage already stored, in English: updated in place.
        'grdp-growth,half_year,2025-01-01,2025-06-30,actual,"7,64",official,,,\n'
        # A revision needs its date; two revisions of different days are two vintages.
        "grdp-growth,half_year,2025-01-01,2025-06-30,scenario,7.6,Điều chỉnh,2025-08-01,,\n"
        "grdp-growth,half_year,2025-01-01,2025-06-30,scenario,7.61,revised,2025-09-01,,\n"
    )
    result = import_values(content=content, publish=True)
    assert result.ok, [str(e) for e in result.errors]
    assert (result.created, result.updated) == (3, 1)
    h1_2024 = Value.objects.filter(period__start__year=2024, kind=ValueKind.ACTUAL)
    assert sorted((v.vintage, v.value) for v in h1_2024) == [
        ("", Decimal("6.21")),
        ("preliminary", Decimal("6.3")),
    ]
    official = Value.objects.get(vintage=Vintage.OFFICIAL)
    assert (official.value, official.released_on) == (Decimal("7.64"), OFFICIAL_ON)
    assert Value.objects.filter(kind=ValueKind.SCENARIO, vintage="revised").count() == 2
    assert _h1_2025(grdp).number(ValueKind.SCENARIO) == Decimal("7.61")


def test_import_without_vintage_updates_the_latest_vintage(grdp):
    content = IMPORT_HEADER + "grdp-growth,half_year,2025-01-01,2025-06-30,actual,7.65,,,,\n"
    result = import_values(content=content, publish=True)
    assert (result.created, result.updated) == (0, 1)
    # The pending revision (the latest of all) took the number and was approved with it.
    revised = Value.objects.get(vintage=Vintage.REVISED)
    assert revised.value == Decimal("7.65")
    assert Value.objects.get(vintage=Vintage.OFFICIAL).value == Decimal("7.63")


def test_import_with_the_vintage_headed_in_vietnamese(grdp):
    content = (
        "indicator_code,period_kind,period_start,period_end,value_kind,value,lần công bố,"
        "ngày công bố\n"
        "grdp-growth,Năm,2025-01-01,2025-12-31,Thực hiện,8.0,ước tính,20/12/2025\n"
    )
    result = import_values(content=content, publish=True)
    assert result.ok, [str(e) for e in result.errors]
    value = Value.objects.get(period__kind=PeriodKind.YEAR)
    assert (value.vintage, value.released_on) == ("estimate", datetime.date(2025, 12, 20))


def test_import_refuses_bad_vintages_with_their_lines(grdp):
    content = IMPORT_HEADER + (
        "grdp-growth,half_year,2025-01-01,2025-06-30,target,8,tạm tính,,,\n"  # line 2
        "grdp-growth,half_year,2025-01-01,2025-06-30,target,8,revised,,,\n"  # 3: no date
        "grdp-growth,half_year,2025-01-01,2025-06-30,target,8,official,31/02/2025,,\n"  # 4
        "grdp-growth,quarter,2025-04-01,2025-06-30,actual,7.5,official,,,\n"  # 5
        "grdp-growth,quarter,2025-04-01,2025-06-30,actual,7.6,Chính thức,,,\n"  # 6: = 5
    )
    result = import_values(content=content, publish=True)
    messages = {error.line: error.message for error in result.errors}
    assert sorted(messages) == [2, 3, 4, 6]
    assert "lần công bố “tạm tính” không có" in messages[2]
    assert "số điều chỉnh phải có ngày công bố" in messages[3]
    assert "ngày công bố “31/02/2025” không hợp lệ" in messages[4]
    assert "dòng 5" in messages[6]
    assert Value.all_objects.count() == 6, "nothing written"


def test_an_editor_imports_a_revision_that_waits_for_a_publisher(client, grdp):
    content = IMPORT_HEADER + (
        "grdp-growth,half_year,2025-01-01,2025-06-30,actual,7.66,revised,2025-12-01,,\n"
    )
    result = import_values(content=content, publish=False)
    assert result.ok and result.created == 1
    assert Value.all_objects.get(released_on=datetime.date(2025, 12, 1)).pending
    html = _text(client.get(grdp.get_absolute_url()))
    assert "+7,63%" in html and "7,66" not in html


def test_download_reimports_unchanged(client, grdp):
    content = b"".join(client.get(grdp.get_csv_url()))
    result = import_values(content=content, publish=True, dry_run=True)
    assert result.ok, [str(e) for e in result.errors]
    assert (result.created, result.updated, result.unchanged) == (0, 0, result.rows)
