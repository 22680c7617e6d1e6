import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from documents.models import Document, Visibility
from indicators.models import Category, Unit, ValueKind
from indicators.periods import PeriodKind
from indicators.tests.factories import make_indicator, make_period, make_value, quarter
from meetings.tests.factories import make_meeting, make_term
from portal.publication import PublicationStatus
from portal.tests.factories import make_organization

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"
H1 = (PeriodKind.HALF_YEAR, datetime.date(2025, 1, 1), datetime.date(2025, 6, 30))


def make_document(**overrides):
    values = {
        "title": "Báo cáo 6 tháng",
        "issuer": make_organization(),
        "status": PublicationStatus.PUBLISHED,
        "visibility": Visibility.PUBLIC,
    }
    return Document.objects.create(**(values | overrides))


@pytest.fixture
def several():
    """Four published indicators in three categories with values over three quarters."""
    h1 = make_period(*H1)
    quarters = [quarter(2025, n) for n in (1, 2)]
    document = make_document()
    grdp = make_indicator(code="grdp-growth", name="Tăng trưởng GRDP", unit=Unit.PERCENT_CHANGE)
    for period, actual, scenario in ((quarters[0], "7.0", "7.2"), (quarters[1], "7.56", "7.93")):
        make_value(indicator=grdp, period=period, value=Decimal(actual), source_document=document)
        make_value(indicator=grdp, period=period, kind=ValueKind.SCENARIO, value=Decimal(scenario))
    make_value(indicator=grdp, period=h1, value=Decimal("7.63"), source_document=document)
    make_value(indicator=grdp, period=h1, kind=ValueKind.SCENARIO, value=Decimal("7.59"))
    cells = make_indicator(
        code="party-cells",
        name="Chi bộ đã đại hội",
        unit=Unit.COUNT,
        category=Category.PARTY_BUILDING,
    )
    make_value(indicator=cells, period=h1, value=Decimal("16765"))
    make_value(indicator=cells, period=h1, kind=ValueKind.TARGET, value=Decimal("16765"))
    revenue = make_indicator(
        code="budget-revenue",
        name="Thu ngân sách",
        unit=Unit.BILLION_VND,
        category=Category.BUDGET,
    )
    make_value(
        indicator=revenue, period=h1, kind=ValueKind.PERCENT_OF_ESTIMATE, value=Decimal("77.6")
    )
    iip = make_indicator(code="iip", name="Chỉ số IIP", category=Category.INDUSTRY)
    make_value(indicator=iip, period=h1, value=Decimal("5.9"))
    return {"grdp": grdp, "cells": cells, "revenue": revenue, "iip": iip, "document": document}


def _text(response) -> str:
    return response.content.decode()


class TestDashboard:
    def test_latest_figures_grouped_by_category_with_verdicts(self, client, several):
        response = client.get(reverse("indicators:list"))
        assert response.status_code == 200
        assert response.context["period"] is None  # each indicator its own latest period
        rows = [row for group in response.context["groups"] for row in group["rows"]]
        assert {row.period.label for row in rows} == {"6 tháng đầu năm 2025"}
        groups = response.context["groups"]
        assert [g["category"] for g in groups] == [
            "growth",
            "budget",
            "industry",
            "party_building",
        ]
        html = _text(response)
        assert "+7,63%" in html
        assert "7,59%" in html
        assert "Đạt kịch bản" in html
        assert "16.765 đơn vị" in html
        assert "Đạt kế hoạch" in html
        assert "77,6%" in html and "Đạt % dự toán năm" in html
        assert "Không có kế hoạch, kịch bản để so sánh" in html  # IIP: no verdict

    def test_each_card_leads_with_the_period_its_page_leads_with(self, client, several):
        """The dashboard picks each indicator's period in SQL; its page picks it in Python
        (`latest_figures`): they agree, pending figures and ties of dates included."""
        ytd = make_period(PeriodKind.YEAR_TO_DATE, *H1[1:])  # the same dates as the half-year
        q3 = quarter(2025, 3)
        make_value(indicator=several["grdp"], period=ytd, value=Decimal("7.7"))
        make_value(indicator=several["grdp"], period=q3, kind=ValueKind.TARGET)  # no actual
        make_value(indicator=several["iip"], period=q3, pending=True)  # not yet approved
        make_value(indicator=several["revenue"], period=q3, kind=ValueKind.TARGET)  # no actual
        response = client.get(reverse("indicators:list"))
        shown = {
            row.indicator.code: row.period.label
            for group in response.context["groups"]
            for row in group["rows"]
        }
        assert shown == {
            "grdp-growth": "Lũy kế đến hết tháng 6/2025",
            "iip": "6 tháng đầu năm 2025",
            "budget-revenue": "Quý III/2025",  # no actual at all: the latest period
            "party-cells": "6 tháng đầu năm 2025",
        }
        for code, label in shown.items():
            page = client.get(reverse("indicators:detail", kwargs={"code": code}))
            assert page.context["latest"].period.label == label

    def test_other_period_by_its_slug(self, client, several):
        response = client.get(reverse("indicators:list"), {"period": "2025-q2"})
        assert response.context["period"].label == "Quý II/2025"
        html = _text(response)
        assert "+7,56%" in html and "Chưa đạt kịch bản" in html
        assert "Chi bộ đã đại hội" not in html

    def test_english_labels_and_numbers(self, client, several):
        client.post(reverse("set_language"), {"language": "en", "next": "/"})
        # English has its own address (`/en/…`) where it exists: follow the redirect.
        response = client.get(reverse("indicators:list"), {"period": "2025-h1"}, follow=True)
        html = _text(response)
        assert "First half of 2025" in html
        assert "16,765" in html
        assert "+7.63%" in html

    @pytest.mark.parametrize("bad", ["abc", "2025-q9", "x" * 10000])
    def test_unknown_period_is_dropped_with_a_warning(self, client, several, bad):
        response = client.get(reverse("indicators:list"), {"period": bad})
        assert response.status_code == 200
        assert "Bỏ qua bộ lọc “Kỳ báo cáo”" in _text(response)
        assert response.context["period"] is None

    @pytest.mark.parametrize(("typed", "shown"), [("\x00", None), ("2025-q2\x00", "Quý II/2025")])
    def test_nul_characters_are_dropped_from_the_period(self, client, several, typed, shown):
        response = client.get(reverse("indicators:list"), {"period": typed})
        period = response.context["period"]
        assert (period.label if period else None) == shown

    def test_drafts_are_hidden(self, client, several):
        draft = make_indicator(name="Chỉ tiêu nháp", status=PublicationStatus.DRAFT)
        make_value(indicator=draft, period=make_period(*H1))
        only_draft = make_indicator(name="Nháp năm sau", status=PublicationStatus.DRAFT)
        make_value(
            indicator=only_draft,
            period=make_period(
                PeriodKind.YEAR, datetime.date(2026, 1, 1), datetime.date(2026, 12, 31)
            ),
        )
        response = client.get(reverse("indicators:list"))
        html = _text(response)
        assert "Chỉ tiêu nháp" not in html
        assert "Nháp năm sau" not in html
        # A period with only draft figures is no one's latest period, nor a choice.
        assert "Năm 2026" not in html

    def test_empty(self, client):
        response = client.get(reverse("indicators:list"))
        assert "Chưa có số liệu chỉ tiêu nào được công bố." in _text(response)

    def test_query_budget(self, client, several, django_assert_max_num_queries):
        for _ in range(5):
            indicator = make_indicator(category=Category.TRADE)
            make_value(indicator=indicator, period=make_period(*H1))
        with django_assert_max_num_queries(3):
            response = client.get(reverse("indicators:list"))
        assert sum(len(g["rows"]) for g in response.context["groups"]) == 9


class TestDetail:
    def test_definition_chart_and_table(self, client, several):
        grdp = several["grdp"]
        grdp.definition = "Tốc độ tăng GRDP so với cùng kỳ."
        grdp.source = "Cục Thống kê"
        grdp.save()
        response = client.get(grdp.get_absolute_url())
        html = _text(response)
        assert "Tốc độ tăng GRDP so với cùng kỳ." in html
        assert "Cục Thống kê" in html
        # One chart, of the quarters (the half-year alone would be a lone point), so no
        # choice of period kind is offered.
        chart = response.context["chart"]
        assert chart["kind"] == PeriodKind.QUARTER
        assert response.context["chart_choices"] == []
        points = [
            (p.series, p.label, format(p.value.normalize(), "f")) for p in chart["chart"].points
        ]
        assert points == [
            ("Thực hiện", "Quý I/2025", "7"),
            ("Thực hiện", "Quý II/2025", "7.56"),
            ("Kịch bản", "Quý I/2025", "7.2"),
            ("Kịch bản", "Quý II/2025", "7.93"),
        ]
        assert 'role="img"' in html and "<title id=" in html and "<desc id=" in html
        # The table: newest period first, with the verdict in words and the source linked.
        assert [f.period.label for f in response.context["figures"]] == [
            "6 tháng đầu năm 2025",
            "Quý II/2025",
            "Quý I/2025",
        ]
        assert html.count("Chưa đạt kịch bản") >= 2
        assert several["document"].get_absolute_url() in html
        assert reverse("indicators:csv", kwargs={"code": "grdp-growth"}) in html

    def test_internal_or_draft_source_document_is_not_linked(self, client, several):
        internal = make_document(title="Báo cáo mật", visibility=Visibility.INTERNAL)
        draft = make_document(title="Báo cáo nháp", status=PublicationStatus.DRAFT)
        iip = several["iip"]
        value = iip.values.get()
        value.source_document = internal
        value.save()
        make_value(
            indicator=iip,
            period=value.period,
            kind=ValueKind.TARGET,
            value=Decimal("6"),
            source_document=draft,
        )
        html = _text(client.get(iip.get_absolute_url()))
        assert "Báo cáo mật" not in html
        assert "Báo cáo nháp" not in html
        csv_text = client.get(iip.get_csv_url()).content.decode("utf-8-sig")
        assert "Báo cáo mật" not in csv_text and "Báo cáo nháp" not in csv_text

    def test_value_without_number_shows_its_note(self, client):
        fdi = make_indicator(code="fdi", unit=Unit.RATIO)
        make_value(indicator=fdi, value=None, note="Tăng hơn 2 lần so với cùng kỳ")
        html = _text(client.get(fdi.get_absolute_url()))
        assert "Tăng hơn 2 lần so với cùng kỳ" in html
        assert "không nêu số" in html

    def test_draft_is_404(self, client):
        draft = make_indicator(code="draft-one", status=PublicationStatus.DRAFT)
        make_value(indicator=draft)
        assert client.get("/indicators/draft-one/").status_code == 404
        assert client.get("/indicators/draft-one.csv").status_code == 404
        archived = make_indicator(code="old-one", status=PublicationStatus.ARCHIVED)
        assert client.get(archived.get_absolute_url()).status_code == 404

    @pytest.mark.parametrize(
        "path",
        [
            "/indicators/no-such-code/",
            "/indicators/no-such-code.csv",
            "/indicators/%00/",
            "/indicators/GRDP%20growth/",
            "/indicators/" + "x" * 5000 + "/",
            "/indicators/grdp-growth.json",
        ],
    )
    def test_invalid_codes_are_404(self, client, several, path):
        assert client.get(path).status_code == 404

    def test_capitalised_code_redirects_to_the_canonical_url(self, client, several):
        response = client.get("/indicators/GRDP-Growth/")
        assert response.status_code == 301
        assert response["Location"] == "/indicators/grdp-growth/"
        response = client.get("/indicators/GRDP-growth.csv")
        assert response.status_code == 301
        assert response["Location"] == "/indicators/grdp-growth.csv"

    def test_query_budget(self, client, several, django_assert_max_num_queries):
        grdp = several["grdp"]
        for year in (2023, 2024):
            for n in (1, 2, 3, 4):
                # A source meeting per figure (each its own body and term): still no query
                # per value, the meeting, term and body come with the value.
                meeting = make_meeting(
                    term=make_term(body=make_organization(code=f"B{year}{n}")), number=n
                )
                make_value(
                    indicator=grdp,
                    period=quarter(year, n),
                    value=Decimal(n),
                    source_meeting=meeting,
                )
                make_value(
                    indicator=grdp,
                    period=quarter(year, n),
                    kind=ValueKind.TARGET,
                    value=Decimal(n + 1),
                    source_document=several["document"],
                    source_meeting=meeting,
                )
        with django_assert_max_num_queries(4):
            response = client.get(grdp.get_absolute_url())
        assert len(response.context["figures"]) == 11
        # Per quarter: the actual's (meeting) and the target's (document; meeting) sources.
        assert _text(response).count('href="/meetings/b20') == 16
        with django_assert_max_num_queries(4):
            client.get(grdp.get_csv_url())


class TestCsv:
    def test_download(self, client, several):
        response = client.get(reverse("indicators:csv", kwargs={"code": "grdp-growth"}))
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert response["Content-Disposition"] == (
            'attachment; filename="indicator-grdp-growth.csv"'
        )
        assert response.content.startswith("\ufeff".encode())
        rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
        assert len(rows) == 6
        q2_actual = next(
            r for r in rows if r["period_start"] == "2025-04-01" and r["value_kind"] == "actual"
        )
        assert q2_actual["value"] == "7.56"
        assert q2_actual["period_label"] == "Quý II/2025"
        assert q2_actual["verdict"] == "Chưa đạt kịch bản"
        assert q2_actual["source_document"] == "Báo cáo 6 tháng"
        assert q2_actual["indicator_name"] == "Tăng trưởng GRDP"


class TestHome:
    def test_headline_indicators(self, client, several, django_assert_max_num_queries):
        for indicator in (several["grdp"], several["cells"]):
            indicator.is_headline = True
            indicator.save()
        make_indicator(name="Nháp nổi bật", is_headline=True, status=PublicationStatus.DRAFT)
        from django.template import Context, Template

        template = Template("{% load indicators_home %}{% headline_indicators %}")
        with django_assert_max_num_queries(1):
            html = template.render(Context({}))
        assert "Tăng trưởng GRDP" in html and "+7,63%" in html and "Đạt kịch bản" in html
        assert "Chi bộ đã đại hội" in html and "16.765 đơn vị" in html
        assert "Nháp nổi bật" not in html
        assert "Chỉ số IIP" not in html  # not a headline
        assert client.get("/").status_code == 200

    def test_headline_without_an_actual_in_its_latest_period(self, client, several):
        several["grdp"].is_headline = True
        several["grdp"].save()
        make_value(indicator=several["grdp"], period=quarter(2025, 3), kind=ValueKind.TARGET)
        html = _text(client.get("/"))
        assert "6 tháng đầu năm 2025" in html and "+7,63%" in html
        assert "Quý III/2025" not in html
