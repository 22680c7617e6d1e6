"""No CSV the portal writes lets a spreadsheet run a cell as a formula (OWASP's CSV
injection rule), while numbers and dates stay numbers and dates.

The rule is one function (`portal.downloads.csv_cell`); the end-to-end tests read every
CSV download as a spreadsheet user would get it.
"""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils.functional import lazystr

from documents.tests.factories import make_document
from indicators.models import ValueKind
from indicators.tests.factories import make_indicator, make_period, make_value
from meetings.tests.factories import make_meeting
from portal.downloads import csv_cell, spreadsheet_safe
from projects.tests.factories import make_project, make_update

HOSTILE = '=HYPERLINK("http://x","y")'
NEUTRALISED = "'" + HOSTILE


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        # Text a spreadsheet would run: quoted.
        (HOSTILE, NEUTRALISED),
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-2+3", "'-2+3"),
        ("-3.5", "'-3.5"),  # text that looks like a number is still text
        ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        ("\t", "'\t"),
        ("\x00=1", "'\x00=1"),
        ("  =1+1", "'  =1+1"),  # leading whitespace does not hide a formula
        ("\n=cmd|' /C calc'!A0", "'\n=cmd|' /C calc'!A0"),
        ("\u00a0@x", "'\u00a0@x"),  # nor does a no-break space
        (["=1+1", "b"], "'=1+1; b"),
        (lazystr("=lazy"), "'=lazy"),
        # Text a spreadsheet shows as text: unchanged.
        ("", ""),
        ("Kế hoạch 341-KH/TU", "Kế hoạch 341-KH/TU"),
        ("a=b", "a=b"),
        ("'=already quoted", "'=already quoted"),
        ("Tăng 7,5% - vượt kế hoạch", "Tăng 7,5% - vượt kế hoạch"),
        ("   ", "   "),
        (["a", "b"], "a; b"),
        # Numbers, dates and flags: written as such, never quoted.
        (Decimal("-3.5"), "-3.5"),
        (Decimal("-3.50"), "-3.5"),
        (Decimal("1E+2"), "100"),
        (Decimal("310000"), "310000"),
        (-3.5, "-3.5"),
        (-7, "-7"),
        (0, "0"),
        (datetime.date(2025, 6, 30), "2025-06-30"),
        (datetime.time(8, 30), "08:30:00"),
        (True, "true"),
        (False, "false"),
        (None, ""),
    ],
)
def test_csv_cell(value, cell):
    assert csv_cell(value) == cell


def test_spreadsheet_safe_quotes_once():
    assert spreadsheet_safe(spreadsheet_safe("=1+1")) == "'=1+1"


# End to end: every CSV download ---------------------------------------------------------


def read_csv(response) -> list[dict]:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    content = b"".join(response.streaming_content) if response.streaming else response.content
    text = content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))


@pytest.mark.django_db
def test_documents_list_csv(client):
    make_document(number="341-KH/TU", title=HOSTILE)
    rows = read_csv(client.get(reverse("documents:list"), {"format": "csv"}))
    assert [row["title"] for row in rows] == [NEUTRALISED]
    assert rows[0]["serial"] == "341"
    assert rows[0]["issued_on"] == "2025-06-12"


@pytest.mark.django_db
def test_meetings_list_csv(client):
    make_meeting(number=23, title=HOSTILE, place="@Hội trường", members_present=52)
    rows = read_csv(client.get(reverse("meetings:list"), {"format": "csv"}))
    assert [(row["title"], row["place"]) for row in rows] == [(NEUTRALISED, "'@Hội trường")]
    assert (rows[0]["number"], rows[0]["members_present"]) == ("23", "52")
    assert rows[0]["date"] == "2025-07-01"


@pytest.mark.django_db
def test_projects_list_csv(client):
    project = make_project(
        name=HOSTILE, location="-Quận 1", total_investment=Decimal("1500000000")
    )
    make_update(project, physical_percent=Decimal("40.50"))
    rows = read_csv(client.get(reverse("projects:list"), {"format": "csv"}))
    assert [(row["name"], row["location"]) for row in rows] == [(NEUTRALISED, "'-Quận 1")]
    assert (rows[0]["total_investment"], rows[0]["latest_percent"]) == ("1500000000", "40.5")


@pytest.fixture
def shrinking():
    """A published indicator that fell: a negative actual figure, a hostile name and note."""
    indicator = make_indicator(code="fdi", name=HOSTILE)
    period = make_period()
    make_value(indicator=indicator, period=period, value=Decimal("-3.50"), note="+ ước tính")
    make_value(indicator=indicator, period=period, kind=ValueKind.TARGET, value=Decimal("-1"))
    return indicator


@pytest.mark.django_db
def test_indicators_dashboard_csv(client, shrinking):
    rows = read_csv(client.get(reverse("indicators:list"), {"format": "csv"}))
    assert [row["indicator_name"] for row in rows] == [NEUTRALISED]
    assert (rows[0]["actual"], rows[0]["target"]) == ("-3.5", "-1")
    assert rows[0]["period_start"] == "2025-01-01"


@pytest.mark.django_db
def test_indicator_csv(client, shrinking):
    rows = read_csv(client.get(shrinking.get_csv_url()))
    actual = next(row for row in rows if row["value_kind"] == "actual")
    assert actual["indicator_name"] == NEUTRALISED
    assert actual["note"] == "'+ ước tính"
    assert actual["value"] == "-3.5"
    assert (actual["period_start"], actual["period_end"]) == ("2025-01-01", "2025-06-30")
