import datetime
from decimal import Decimal

import pytest

from indicators.models import Period, Value, ValueKind
from indicators.periods import PeriodKind
from indicators.services import import_values
from indicators.tests.factories import make_indicator, make_period, make_value

pytestmark = pytest.mark.django_db

HEADER = "indicator_code,period_kind,period_start,period_end,value_kind,value,status,source,note\n"


@pytest.fixture
def grdp():
    return make_indicator(code="grdp-growth")


def test_good_file_is_stored_with_vietnamese_numbers_and_new_periods(grdp):
    content = HEADER + (
        'grdp-growth,half_year,2025-01-01,2025-06-30,actual,"7,63",official,Báo cáo,\n'
        "grdp-growth,6 tháng,01/01/2025,30/06/2025,Kịch bản,7.59,,,\n"
        "grdp-growth,quarter,2025-04-01,2025-06-30,actual,7.56,preliminary,,ghi chú\n"
    )
    result = import_values(content=content.encode("utf-8-sig"), publish=True)
    assert result.ok, result.errors
    assert (result.rows, result.created, result.updated, result.periods_created) == (3, 3, 0, 2)
    h1 = Period.objects.get(kind=PeriodKind.HALF_YEAR)
    actual = Value.objects.get(indicator=grdp, period=h1, kind=ValueKind.ACTUAL)
    assert actual.value == Decimal("7.63")
    assert actual.vintage == "official"
    assert actual.source_text == "Báo cáo"
    assert Value.objects.get(period=h1, kind=ValueKind.SCENARIO).value == Decimal("7.59")


def test_second_import_updates_and_counts_unchanged(grdp):
    period = make_period()
    make_value(indicator=grdp, period=period, value=Decimal("7"))
    content = HEADER + (
        "grdp-growth,half_year,2025-01-01,2025-06-30,actual,7.63,,,\n"
        "grdp-growth,half_year,2025-01-01,2025-06-30,scenario,7.59,,,\n"
    )
    assert import_values(content=content, publish=True).updated == 1
    result = import_values(content=content, publish=True)
    assert (result.created, result.updated, result.unchanged) == (0, 0, 2)
    assert Value.objects.get(kind="actual").value == Decimal("7.63")


def test_dry_run_stores_nothing(grdp):
    content = HEADER + "grdp-growth,year,2025-01-01,2025-12-31,target,8,,,\n"
    result = import_values(content=content, dry_run=True)
    assert result.ok
    assert result.created == 1
    assert result.periods_created == 1
    assert not Value.objects.exists()
    assert not Period.objects.exists()


def test_bad_file_is_rejected_whole_and_every_bad_row_reported(grdp):
    content = HEADER + (
        "grdp-growth,half_year,2025-01-01,2025-06-30,actual,7.63,,,\n"  # line 2: good
        "no-such-code,half_year,2025-01-01,2025-06-30,actual,7.63,,,\n"  # 3
        "grdp-growth,half_year,2025-01-01,2025-06-30,scenario,7%,,,\n"  # 4
        "grdp-growth,fortnight,2025-01-01,2025-06-30,target,1,,,\n"  # 5
        "grdp-growth,quarter,2025-02-01,2025-04-30,actual,1,,,\n"  # 6
        "grdp-growth,quarter,2025-13-01,2025-06-31,actual,1,,,\n"  # 7
        "grdp-growth,year,2025-01-01,2025-12-31,guess,1,,,\n"  # 8
        "grdp-growth,year,2025-01-01,2025-12-31,actual,,,,\n"  # 9
        "grdp-growth,half_year,2025-01-01,2025-06-30,actual,7.6,,,\n"  # 10: duplicate of 2
        "grdp-growth,year,2025-01-01,2025-12-31,target,1,tạm tính,,\n"  # 11
    )
    result = import_values(content=content)
    assert not result.ok
    messages = {error.line: error.message for error in result.errors}
    assert sorted(messages) == [3, 4, 5, 6, 7, 8, 9, 10, 11]
    assert "no-such-code" in messages[3]
    assert "“7%” không phải là số" in messages[4]
    assert "fortnight" in messages[5]
    assert "không phải là một kỳ" in messages[6]
    assert "ngày bắt đầu" in messages[7] and "ngày kết thúc" in messages[7]
    assert "guess" in messages[8]
    assert "ghi chú" in messages[9]
    assert "dòng 2" in messages[10]
    assert "lần công bố “tạm tính” không có" in messages[11]
    assert str(result.errors[0]).startswith("Dòng 3:")
    assert not Value.objects.exists()
    assert not Period.objects.exists()


def test_semicolon_separated_file_from_excel(grdp):
    content = (
        "indicator_code;period_kind;period_start;period_end;value_kind;value\n"
        "grdp-growth;half_year;01/01/2025;30/06/2025;actual;7,63\n"
    )
    result = import_values(content=content.encode(), publish=True)
    assert result.ok, result.errors
    assert Value.objects.get().value == Decimal("7.63")


def test_value_may_be_empty_with_a_note(grdp):
    content = HEADER + "grdp-growth,half_year,2025-01-01,2025-06-30,actual,,,,hơn 2 lần\n"
    assert import_values(content=content, publish=True).ok
    assert Value.objects.get().value is None


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "trống"),
        (b"\xff\xfe\x00bad", "UTF-8"),
        (b"a,b,c\n1,2,3\n", "Thiếu cột bắt buộc"),
        (HEADER.encode(), "không có dòng số liệu"),
        (b"indicator_code,period_kind\x00", "NUL"),
    ],
)
def test_unreadable_files_say_why(content, message):
    result = import_values(content=content)
    assert not result.ok
    assert message in str(result.errors[0])


def test_download_reimports_unchanged(client, grdp):
    period = make_period(PeriodKind.QUARTER, datetime.date(2025, 4, 1), datetime.date(2025, 6, 30))
    make_value(indicator=grdp, period=period, value=Decimal("7.56"), note='a, "quoted" note')
    make_value(indicator=grdp, period=period, kind=ValueKind.SCENARIO, value=Decimal("7.93"))
    csv_bytes = client.get("/indicators/grdp-growth.csv").content
    result = import_values(content=csv_bytes)
    assert result.ok, result.errors
    assert result.unchanged == 2


def test_an_editors_import_waits_and_leaves_published_figures_alone(grdp):
    shown = make_value(indicator=grdp, period=make_period(), value=Decimal("7"))
    new = HEADER + "grdp-growth,half_year,2025-01-01,2025-06-30,scenario,7.59,,,\n"
    assert import_values(content=new).ok
    assert not Value.objects.filter(kind=ValueKind.SCENARIO).exists(), "hidden until approved"
    assert Value.all_objects.get(kind=ValueKind.SCENARIO).pending

    change = HEADER + "grdp-growth,half_year,2025-01-01,2025-06-30,actual,7.63,,,\n"
    result = import_values(content=change)
    assert not result.ok
    assert str(result.errors[0]) == "Dòng 2: số liệu đang công bố: chỉ người công bố được sửa"
    shown.refresh_from_db()
    assert shown.value == Decimal("7") and not shown.pending
