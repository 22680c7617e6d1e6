import datetime
from decimal import Decimal

from projects.charts import progress_chart

D = datetime.date


def test_no_measurement_no_chart():
    assert progress_chart([]) is None


def test_points_span_the_plot_from_left_to_right_and_bottom_to_top():
    chart = progress_chart([(D(2024, 1, 1), Decimal(0)), (D(2025, 1, 1), Decimal(100))])

    first, last = chart.points
    assert (first.x, first.y) == ("60.0", "260.0")
    assert (last.x, last.y) == ("624.0", "16.0")
    assert chart.polyline == "60.0,260.0 624.0,16.0"
    assert chart.plan is None
    assert [t.label for t in chart.x_ticks] == ["01/01/2024", "01/01/2025"]
    assert [t.label for t in chart.y_ticks] == ["0%", "25%", "50%", "75%", "100%"]


def test_plan_line_and_description():
    chart = progress_chart(
        [(D(2025, 1, 1), Decimal("12.5"))],
        planned_start=D(2024, 1, 1),
        planned_finish=D(2026, 1, 1),
    )

    assert chart.plan == ("60.0", "260.0", "624.0", "16.0")
    assert chart.points[0].percent == "12,5%"
    assert chart.description == (
        "Một lần cập nhật: 12,5% khối lượng ngày 01/01/2025. Đường nét đứt là kế hoạch tuyến "
        "tính từ 0% ngày khởi công (01/01/2024) đến 100% ngày hoàn thành theo kế hoạch "
        "(01/01/2026)."
    )


def test_a_single_day_gets_a_visible_span():
    chart = progress_chart([(D(2025, 6, 30), Decimal(40))])

    assert chart.points[0].x == "342.0"
    assert [t.label for t in chart.x_ticks] == ["31/05/2025", "30/07/2025"]


def test_long_spans_are_marked_by_year():
    chart = progress_chart(
        [(D(2024, 6, 30), Decimal(10))],
        planned_start=D(2023, 1, 1),
        planned_finish=D(2026, 12, 31),
    )

    assert [t.label for t in chart.x_ticks] == ["2024", "2025", "2026"]
