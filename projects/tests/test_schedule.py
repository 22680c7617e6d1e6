import datetime
from decimal import Decimal

import pytest

from projects.schedule import (
    Freshness,
    ScheduleFacts,
    ScheduleState,
    assess_freshness,
    assess_schedule,
    expected_percent,
    stale_after_days,
)

TODAY = datetime.date(2025, 7, 1)
D = datetime.date
PLAN = {"planned_start": D(2024, 1, 1), "planned_finish": D(2026, 1, 1)}  # 731 days


@pytest.mark.parametrize(
    ("facts", "state", "reason_part"),
    [
        # No data at all: unknown, never "on schedule" by default.
        (ScheduleFacts(), ScheduleState.UNKNOWN, "Chưa có số liệu"),
        # A plan but no figure: still unknown.
        (ScheduleFacts(**PLAN), ScheduleState.UNKNOWN, "Chưa có số liệu"),
        # A figure but no plan to compare it with: unknown.
        (
            ScheduleFacts(latest_percent=Decimal(30), latest_percent_on=D(2025, 6, 1)),
            ScheduleState.UNKNOWN,
            "chưa có ngày khởi công",
        ),
        # Planned finish passed, not finished.
        (
            ScheduleFacts(planned_finish=D(2025, 6, 30)),
            ScheduleState.BEHIND,
            "Đã quá ngày hoàn thành theo kế hoạch (30/06/2025)",
        ),
        # Planned finish is today: not yet passed.
        (ScheduleFacts(planned_finish=TODAY), ScheduleState.UNKNOWN, "Chưa có số liệu"),
        # Lagging the straight line: on 2025-01-01 the plan is 50.1%, 30% is 20 points behind.
        (
            ScheduleFacts(**PLAN, latest_percent=Decimal(30), latest_percent_on=D(2025, 1, 1)),
            ScheduleState.BEHIND,
            "đạt 30% khối lượng, trong khi theo kế hoạch phải đạt khoảng 50,1%",
        ),
        # Within the tolerance (10 points): on schedule, with the figures as the reason.
        (
            ScheduleFacts(**PLAN, latest_percent=Decimal(41), latest_percent_on=D(2025, 1, 1)),
            ScheduleState.ON_SCHEDULE,
            "đạt 41% khối lượng; theo kế hoạch khoảng 50,1%",
        ),
        # Ahead of plan.
        (
            ScheduleFacts(**PLAN, latest_percent=Decimal(80), latest_percent_on=D(2025, 1, 1)),
            ScheduleState.ON_SCHEDULE,
            "80%",
        ),
        # An update before the planned start expects 0%.
        (
            ScheduleFacts(**PLAN, latest_percent=Decimal(0), latest_percent_on=D(2023, 6, 1)),
            ScheduleState.ON_SCHEDULE,
            "khoảng 0%",
        ),
        # Stated by an official source, without figures.
        (
            ScheduleFacts(stated_behind=True, statement="Còn chưa đạt tiến độ đề ra."),
            ScheduleState.BEHIND,
            "“Còn chưa đạt tiến độ đề ra.”",
        ),
        # Stated behind wins over good figures: the source is newer information.
        (
            ScheduleFacts(
                **PLAN,
                stated_behind=True,
                statement="Chậm.",
                latest_percent=Decimal(80),
                latest_percent_on=D(2025, 1, 1),
            ),
            ScheduleState.BEHIND,
            "Chậm.",
        ),
        # Finished: completed, whatever the dates.
        (
            ScheduleFacts(planned_finish=D(2025, 1, 1), completed=True),
            ScheduleState.COMPLETED,
            "đã hoàn thành",
        ),
        (
            ScheduleFacts(planned_finish=D(2025, 1, 1), actual_finish=D(2025, 3, 1)),
            ScheduleState.COMPLETED,
            "muộn hơn kế hoạch (01/01/2025)",
        ),
        (
            ScheduleFacts(planned_finish=D(2025, 1, 1), actual_finish=D(2024, 12, 1)),
            ScheduleState.COMPLETED,
            "đúng kế hoạch",
        ),
        # 100% reported while the deadline has passed: finished, not behind.
        (
            ScheduleFacts(
                planned_finish=D(2025, 1, 1),
                latest_percent=Decimal(100),
                latest_percent_on=D(2024, 12, 20),
            ),
            ScheduleState.COMPLETED,
            "100%",
        ),
        # Cancelled: not judged.
        (
            ScheduleFacts(planned_finish=D(2020, 1, 1), cancelled=True),
            ScheduleState.UNKNOWN,
            "đã hủy",
        ),
    ],
)
def test_assess_schedule(facts, state, reason_part):
    schedule = assess_schedule(facts, today=TODAY)

    assert schedule.state == state
    assert reason_part.lower() in schedule.reason.lower()


def test_every_behind_reason_is_given():
    facts = ScheduleFacts(
        **{"planned_start": D(2023, 1, 1), "planned_finish": D(2025, 1, 1)},
        stated_behind=True,
        statement="Chậm.",
        latest_percent=Decimal(10),
        latest_percent_on=D(2024, 1, 1),
    )

    schedule = assess_schedule(facts, today=TODAY)

    assert schedule.is_behind
    assert schedule.badge == "bad"
    assert len(schedule.reasons) == 3


def test_tolerance_is_a_parameter():
    facts = ScheduleFacts(**PLAN, latest_percent=Decimal(45), latest_percent_on=D(2025, 1, 1))

    assert assess_schedule(facts, today=TODAY).state == ScheduleState.ON_SCHEDULE
    strict = assess_schedule(facts, today=TODAY, tolerance=Decimal(1))
    assert strict.state == ScheduleState.BEHIND


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        (D(2023, 1, 1), Decimal(0)),
        (D(2024, 1, 1), Decimal(0)),
        (D(2025, 1, 1), Decimal("50.1")),
        (D(2026, 1, 1), Decimal(100)),
        (D(2030, 1, 1), Decimal(100)),
    ],
)
def test_expected_percent_is_a_clamped_straight_line(on, expected):
    assert expected_percent(D(2024, 1, 1), D(2026, 1, 1), on) == expected


def test_expected_percent_for_a_one_day_plan():
    assert expected_percent(D(2024, 1, 1), D(2024, 1, 1), D(2023, 12, 31)) == 0
    assert expected_percent(D(2024, 1, 1), D(2024, 1, 1), D(2024, 1, 1)) == 100


@pytest.mark.parametrize(
    ("last_update_on", "freshness"),
    [
        (None, Freshness.NEVER),
        (TODAY, Freshness.FRESH),
        (TODAY - datetime.timedelta(days=90), Freshness.FRESH),
        (TODAY - datetime.timedelta(days=91), Freshness.STALE),
        (D(2020, 1, 1), Freshness.STALE),
    ],
)
def test_assess_freshness(last_update_on, freshness):
    assert assess_freshness(last_update_on, today=TODAY, stale_days=90) == freshness


def test_stale_days_come_from_settings(settings):
    settings.PORTAL_PROJECT_STALE_DAYS = 30
    assert stale_after_days() == 30
    del settings.PORTAL_PROJECT_STALE_DAYS
    assert stale_after_days() == 90
