from decimal import Decimal

import pytest

from documents.models import Document
from indicators import demo
from indicators.models import Indicator, Period, Value
from portal import demo as portal_demo
from portal.publication import PublicationStatus

pytestmark = pytest.mark.django_db


def _history_count():
    return sum(model.history.count() for model in (Indicator, Period, Value))


@pytest.fixture
def report():
    portal_demo.load()
    from portal.models import Organization

    # As the documents demo makes it: the demo links only records it created.
    return portal_demo.ensure_row(
        Document,
        None,
        {
            "title": demo.ECONOMY_REPORT,
            "issuer": Organization.objects.get(code="UBND"),
            "status": PublicationStatus.PUBLISHED,
        },
    )


def figure(code, period_slug, kind):
    return Value.objects.get(indicator__code=code, period__slug=period_slug, kind=kind)


def test_loads_every_figure_of_the_article(report):
    counts = demo.load()
    assert counts == {"periods": 2, "indicators": 14, "values": 22}
    assert {str(p) for p in Period.objects.all()} == {"6 tháng đầu năm 2025", "Quý II/2025"}
    expected = [
        ("grdp-growth", "2025-h1", "actual", "7.63"),
        ("grdp-growth", "2025-h1", "scenario", "7.59"),
        ("grdp-growth", "2025-q2", "actual", "7.56"),
        ("grdp-growth", "2025-q2", "scenario", "7.93"),
        ("construction-growth", "2025-h1", "actual", "6.81"),
        ("construction-growth", "2025-h1", "scenario", "8.05"),
        ("iip-growth", "2025-h1", "actual", "5.9"),
        ("budget-revenue-growth", "2025-h1", "actual", "51.4"),
        ("budget-revenue", "2025-h1", "pct_estimate", "77.6"),
        ("local-spending-growth", "2025-h1", "actual", "50.6"),
        ("local-spending", "2025-h1", "pct_estimate", "40.3"),
        ("export-growth", "2025-h1", "actual", "12.5"),
        ("export-growth", "2025-h1", "last_year", "11.0"),
        ("dti-rank-change", "2025-h1", "actual", "19"),
        ("party-subcommittee-congresses", "2025-h1", "actual", "186"),
        ("party-subcommittee-congresses", "2025-h1", "target", "186"),
        ("party-cell-congresses", "2025-h1", "actual", "16765"),
        ("party-cell-congresses", "2025-h1", "target", "16765"),
        ("party-grassroots-congresses", "2025-h1", "actual", "1221"),
        ("party-grassroots-congresses", "2025-h1", "target", "1238"),
        ("party-grassroots-congresses-share", "2025-h1", "actual", "98.7"),
    ]
    for code, period, kind, number in expected:
        assert figure(code, period, kind).value == Decimal(number), (code, period, kind)
    # FDI: the report gives no number, so none is invented.
    fdi = figure("fdi-attracted-ratio", "2025-h1", "actual")
    assert fdi.value is None
    assert "hơn 2 lần" in fdi.note and "đứng đầu cả nước" in fdi.note
    # Every figure cites the conference report; the economic ones link the document.
    assert set(Value.objects.values_list("source_text", flat=True)) == {demo.SOURCE_TEXT}
    assert figure("grdp-growth", "2025-h1", "actual").source_document == report
    # The Party report is not in this database: its link is skipped silently.
    assert figure("party-cell-congresses", "2025-h1", "actual").source_document is None
    assert not Indicator.objects.exclude(status=PublicationStatus.PUBLISHED).exists()


def test_idempotent(report):
    demo.load()
    before = (Indicator.objects.count(), Period.objects.count(), Value.objects.count())
    history = _history_count()
    demo.load()
    assert (Indicator.objects.count(), Period.objects.count(), Value.objects.count()) == before
    assert _history_count() == history


def test_pages_show_the_article(client, report):
    demo.load()
    html = client.get("/indicators/").content.decode()
    for text in ("+7,63%", "7,59%", "+51,4%", "77,6%", "+11,0%", "16.765 đơn vị", "98,7%"):
        assert text in html, text
    assert "Đạt kịch bản" in html
    assert "Chưa đạt kế hoạch" in html  # 1.221 of 1.238 grassroots congresses
    q2 = client.get("/indicators/", {"period": "2025-q2"}).content.decode()
    assert "+7,56%" in q2 and "Chưa đạt kịch bản" in q2
