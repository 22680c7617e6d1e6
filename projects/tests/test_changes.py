"""Project changes (issue 17): decisions that move a project's schedule, total investment or
scope. The timeline of old → new, behind-schedule against the schedule in force, the slip
against the baseline, the "changed" filter, and the API and CSV fields."""

import csv
import datetime
import io
import json
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from documents.models import Visibility
from portal.tests.admin_forms import (
    make_editor,
    make_publisher,
    public_text,
    read_form,
    run_action,
)

from ..changes import Item, change_history, finish_slip, investment_change_percent, whole_months
from ..exports import COLUMN_NAMES
from ..models import Project, ProjectChange, Stage
from ..schedule import ScheduleState
from .factories import make_document, make_project, make_update

pytestmark = pytest.mark.django_db

LIST = reverse("projects:list")
API_LIST = reverse("api:projects-list")
D = datetime.date
TODAY = D(2026, 6, 30)
BASELINE_FINISH = D(2024, 12, 31)
INTERNAL_NUMBER = "77-QĐ/TU"
INTERNAL_TITLE = "Quyết định nội bộ về phương án bồi thường giải phóng mặt bằng huyện Đông Anh"
REASON = "Vướng mắc giải phóng mặt bằng tại huyện Đông Anh và điều chỉnh quy hoạch nút giao"


def make_change(project, **overrides) -> ProjectChange:
    values = {"decided_on": D(2024, 6, 1), "reason": REASON}
    return ProjectChange.objects.create(project=project, **(values | overrides))


@pytest.fixture
def ring_road():
    """Ring road 4, approved to finish by the end of 2024, moved twice since (once by an
    internal decision), with a third move waiting for a publisher."""
    project = make_project(
        name="Dự án đầu tư xây dựng đường Vành đai 4 – Vùng Thủ đô Hà Nội, đoạn qua Hà Nội",
        slug="vanh-dai-4",
        is_key=True,
        stage=Stage.UNDER_CONSTRUCTION,
        planned_start=D(2022, 1, 1),
        planned_finish=BASELINE_FINISH,
        total_investment=Decimal("19000000000000"),
    )
    make_update(project, date=D(2025, 6, 30), physical_percent=Decimal("40"))
    make_change(
        project,
        decided_on=D(2023, 3, 15),
        document=make_document(number="1234/QĐ-UBND", title="Quyết định điều chỉnh dự án"),
        new_planned_finish=D(2027, 12, 31),
        new_total_investment=Decimal("22800000000000"),
        old_scope="Đường cao tốc 4 làn xe",
        new_scope="Đường cao tốc 6 làn xe, thêm nút giao Vành đai 3,5",
    )
    make_change(
        project,
        decided_on=D(2025, 9, 1),
        document=make_document(
            number=INTERNAL_NUMBER, title=INTERNAL_TITLE, visibility=Visibility.INTERNAL
        ),
        reason="Bổ sung thời gian hoàn thiện nút giao",
        new_planned_finish=D(2030, 12, 31),
    )
    make_change(
        project,
        decided_on=D(2026, 1, 10),
        reason="Đề xuất lùi tiến độ chưa được duyệt",
        new_planned_finish=D(2032, 12, 31),
        pending=True,
    )
    return project


# The rule, as plain functions -------------------------------------------------------------


def test_timeline_derives_each_old_value_from_the_value_in_force_before_it(ring_road):
    history = change_history(ring_road, ring_road.changes.all())

    first, second = history.timeline
    assert [(s.item, s.old, s.new) for s in first.shifts] == [
        (Item.PLANNED_FINISH, BASELINE_FINISH, D(2027, 12, 31)),
        (Item.TOTAL_INVESTMENT, Decimal("19000000000000"), Decimal("22800000000000")),
        (
            Item.SCOPE,
            "Đường cao tốc 4 làn xe",
            "Đường cao tốc 6 làn xe, thêm nút giao Vành đai 3,5",
        ),
    ]
    assert [(s.item, s.old, s.new) for s in second.shifts] == [
        (Item.PLANNED_FINISH, D(2027, 12, 31), D(2030, 12, 31))
    ]
    assert history.baseline.planned_finish == BASELINE_FINISH
    assert history.baseline.scope == "Đường cao tốc 4 làn xe"
    assert history.in_force.planned_finish == D(2030, 12, 31)
    assert history.in_force.planned_start == D(2022, 1, 1)
    assert history.investment_change_percent == Decimal("20.0")
    assert history.schedule_or_cost_changed


def test_a_decision_entered_late_takes_its_place_in_the_timeline(ring_road):
    make_change(ring_road, decided_on=D(2022, 6, 1), new_planned_finish=D(2025, 6, 30))

    history = change_history(ring_road, ring_road.changes.all())

    finishes = [(e.shifts[0].old, e.shifts[0].new) for e in history.timeline]
    assert finishes == [
        (BASELINE_FINISH, D(2025, 6, 30)),
        (D(2025, 6, 30), D(2027, 12, 31)),
        (D(2027, 12, 31), D(2030, 12, 31)),
    ]


@pytest.mark.parametrize(
    ("actual", "days", "finished"),
    [
        (None, 365 * 6 + 1, False),  # the finish in force, 31/12/2030
        (D(2025, 3, 31), 90, True),
        (D(2024, 12, 1), -30, True),
    ],
)
def test_slip_against_the_baseline(actual, days, finished):
    slip = finish_slip(
        baseline_finish=BASELINE_FINISH, finish_in_force=D(2030, 12, 31), actual_finish=actual
    )
    assert (slip.days, slip.finished) == (days, finished)


def test_slip_reads_in_months_once_a_month_or_more():
    with translation.override("vi"):
        late = finish_slip(
            baseline_finish=BASELINE_FINISH, finish_in_force=D(2030, 12, 31), actual_finish=None
        )
        assert late.text == (
            "Kế hoạch hiện hành hoàn thành ngày 31/12/2030, muộn 72 tháng so với kế hoạch "
            "ban đầu (31/12/2024)."
        )
        early = finish_slip(
            baseline_finish=BASELINE_FINISH, finish_in_force=None, actual_finish=D(2024, 12, 20)
        )
        assert early.text == (
            "Hoàn thành ngày 20/12/2024, sớm 11 ngày so với kế hoạch ban đầu (31/12/2024)."
        )
    assert finish_slip(baseline_finish=None, finish_in_force=TODAY, actual_finish=None) is None


@pytest.mark.parametrize(
    ("start", "end", "months"),
    [
        (D(2025, 12, 31), D(2027, 12, 31), 24),
        (D(2025, 1, 31), D(2025, 2, 28), 0),
        (D(2025, 6, 30), D(2025, 1, 31), 4),
    ],
)
def test_whole_months(start, end, months):
    assert whole_months(start, end) == months


def test_investment_change_percent():
    assert investment_change_percent(Decimal(100), Decimal(85)) == Decimal("-15.0")
    assert investment_change_percent(None, Decimal(85)) is None
    assert investment_change_percent(Decimal(0), Decimal(85)) is None


# Behind schedule: judged against the schedule in force ----------------------------------


def test_behind_schedule_is_judged_against_the_schedule_in_force(ring_road):
    project = Project.objects.for_list().get(pk=ring_road.pk)
    schedule = project.schedule(TODAY)

    # Against the baseline (finish 31/12/2024) it would be overdue; in force it is 2030,
    # and 40% on 30/06/2025 matches the straight line from 2022 to 2030.
    assert schedule.state == ScheduleState.ON_SCHEDULE
    assert project.finish_in_force == D(2030, 12, 31)
    assert project.planned_finish == BASELINE_FINISH
    # The same verdict from an instance read without the annotations.
    assert Project.objects.get(pk=ring_road.pk).schedule(TODAY) == schedule


def test_a_pending_change_does_not_move_the_schedule_in_force(ring_road):
    ProjectChange.objects.filter(pk__in=ring_road.changes.values("pk")).delete()
    pending = ProjectChange.all_objects.get(pending=True)

    project = Project.objects.for_list().get(pk=ring_road.pk)
    assert project.finish_in_force == BASELINE_FINISH
    assert project.schedule(TODAY).state == ScheduleState.BEHIND

    pending.pending = False
    pending.save()
    project = Project.objects.for_list().get(pk=ring_road.pk)
    assert project.finish_in_force == D(2032, 12, 31)
    assert project.schedule(TODAY).state == ScheduleState.ON_SCHEDULE


def test_overdue_against_the_schedule_in_force_is_behind():
    project = make_project(planned_start=D(2020, 1, 1), planned_finish=D(2022, 12, 31))
    make_change(project, decided_on=D(2022, 10, 1), new_planned_finish=D(2025, 12, 31))
    schedule = Project.objects.for_list().get(pk=project.pk).schedule(TODAY)
    assert schedule.state == ScheduleState.BEHIND
    with translation.override("vi"):
        assert (
            "(31/12/2025)" in Project.objects.for_list().get(pk=project.pk).schedule(TODAY).reason
        )


def test_home_judges_projects_overdue_only_against_the_schedule_in_force(ring_road):
    other = make_project(planned_finish=D(2030, 1, 1))
    make_change(other, new_planned_finish=D(2025, 1, 1))
    rows = Project.objects.published().for_list().for_home(TODAY)
    assert set(rows.filter(is_key=False)) == {other}


# The project page ----------------------------------------------------------------------


def test_page_shows_the_timeline_the_slip_and_the_values_in_force(client, ring_road):
    response = client.get(ring_road.get_absolute_url())
    html = response.content.decode()

    assert [e.change.decided_on for e in response.context["history"].timeline] == [
        D(2023, 3, 15),
        D(2025, 9, 1),
    ]
    assert "Điều chỉnh ngày 15/03/2023" in html
    assert "Hoàn thành theo kế hoạch: 31/12/2024 → 31/12/2027" in html
    assert "Hoàn thành theo kế hoạch: 31/12/2027 → 31/12/2030" in html
    assert "Tổng mức đầu tư: 19.000.000.000.000 đồng → 22.800.000.000.000 đồng" in html
    assert "thêm nút giao Vành đai 3,5" in html
    assert REASON in html
    assert 'href="/documents/2024/1234-qd-ubnd/"' in html
    assert "Tổng mức đầu tư hiện hành tăng 20% so với ban đầu." in html
    # The verdict is against 2030; the slip is against the baseline, beside it.
    assert "Đúng tiến độ" in html
    assert (
        "Kế hoạch hiện hành hoàn thành ngày 31/12/2030, muộn 72 tháng so với kế hoạch ban "
        "đầu (31/12/2024)." in html
    )
    assert "Kế hoạch: 31/12/2030" in html  # the general facts show the plan in force


def test_page_hides_internal_decisions_and_pending_changes(client, ring_road):
    html = client.get(ring_road.get_absolute_url()).content.decode()

    assert "Điều chỉnh ngày 01/09/2025" in html  # the change itself is public
    assert INTERNAL_NUMBER not in html
    assert "77-qd-tu" not in html
    assert INTERNAL_TITLE not in html
    assert "Đề xuất lùi tiến độ chưa được duyệt" not in html
    assert "31/12/2032" not in html


def test_page_without_changes_says_so(client):
    project = make_project(planned_finish=D(2027, 1, 1))
    html = client.get(project.get_absolute_url()).content.decode()
    assert "Chưa có quyết định điều chỉnh tiến độ, tổng mức đầu tư hay quy mô nào" in html
    assert "so với kế hoạch ban đầu" not in html


@pytest.mark.parametrize("count", [1, 25])
def test_page_and_list_query_counts_do_not_grow_with_changes(
    client, count, django_assert_max_num_queries
):
    projects = [make_project(name=f"Cầu vượt nút giao số {n}") for n in range(2)]
    for project in projects:
        for n in range(count):
            make_change(
                project,
                decided_on=D(2020, 1, 1) + datetime.timedelta(days=n),
                document=make_document(),
                new_planned_finish=D(2028, 1, 1) + datetime.timedelta(days=n),
                new_total_investment=Decimal(1000 + n),
            )
    url = projects[0].get_absolute_url()
    client.get(url)  # warm the caches other pages share (site name, languages)
    client.get(LIST)

    with django_assert_max_num_queries(12) as detail:
        response = client.get(url)
    assert len(response.context["history"].timeline) == count
    with django_assert_max_num_queries(8) as listed:
        response = client.get(LIST)
    assert len(response.context["rows"]) == 2

    # The same with a single change to each project.
    ProjectChange.objects.filter(decided_on__gt=D(2020, 1, 1)).delete()
    with django_assert_max_num_queries(len(detail.captured_queries)):
        client.get(url)
    with django_assert_max_num_queries(len(listed.captured_queries)):
        client.get(LIST)


# The list's filter ------------------------------------------------------------------------


UNCHANGED = ["Cầu chỉ điều chỉnh quy mô", "Cầu chờ duyệt điều chỉnh", "Cầu giữ kế hoạch"]


@pytest.mark.parametrize(
    ("changed", "expected"),
    [
        ("yes", ["Vành đai 4 (đã điều chỉnh)"]),
        ("no", UNCHANGED),
        ("", ["Vành đai 4 (đã điều chỉnh)", *UNCHANGED]),
    ],
)
def test_list_filters_schedule_or_cost_changed(client, changed, expected):
    changed_project = make_project(name="Vành đai 4 (đã điều chỉnh)", is_key=True)
    make_change(changed_project, new_total_investment=Decimal(5))
    make_project(name="Cầu giữ kế hoạch")
    scope_only = make_project(name="Cầu chỉ điều chỉnh quy mô")
    make_change(scope_only, new_scope="Thêm 2 làn xe")
    waiting = make_project(name="Cầu chờ duyệt điều chỉnh")
    make_change(waiting, new_planned_finish=D(2030, 1, 1), pending=True)

    response = client.get(LIST, {"changed": changed})

    assert [p.name for p, _schedule in response.context["rows"]] == expected
    html = response.content.decode()
    assert html.count("Đã điều chỉnh tiến độ hoặc tổng mức đầu tư") == (changed != "no")
    api = client.get(API_LIST, {"changed": changed} if changed else {}).json()
    assert [row["name"] for row in api["results"]] == expected
    rows = list(csv.DictReader(io.StringIO(csv_text(client, changed=changed))))
    assert [row["name"] for row in rows] == expected


def test_a_bad_changed_value_is_dropped_with_a_message_or_refused(client, ring_road):
    response = client.get(LIST, {"changed": "maybe"})
    assert response.status_code == 200
    assert len(response.context["rows"]) == 1
    assert any("Điều chỉnh tiến độ" in str(m) for m in response.context["messages"])
    assert client.get(API_LIST, {"changed": "maybe"}).json().keys() == {"changed"}
    assert client.get(LIST, {"changed": "maybe", "format": "csv"}).status_code == 400


# The API and the CSV ----------------------------------------------------------------------


def test_api_carries_baseline_current_values_and_the_public_changes(client, ring_road):
    row = client.get(reverse("api:projects-detail", kwargs={"slug": "vanh-dai-4"})).json()

    assert row["planned_finish"] == "2030-12-31"
    assert row["baseline_planned_finish"] == "2024-12-31"
    assert row["planned_start"] == row["baseline_planned_start"] == "2022-01-01"
    assert Decimal(row["total_investment"]) == Decimal("22800000000000")
    assert Decimal(row["baseline_total_investment"]) == Decimal("19000000000000")
    assert row["schedule_or_cost_changed"] is True
    assert row["schedule"] == ScheduleState.ON_SCHEDULE  # against 2030, whatever today is
    first, second = row["changes"]
    assert first["decided_on"] == "2023-03-15"
    assert first["document"]["display"] == "1234/QĐ-UBND"
    assert (first["old_planned_finish"], first["new_planned_finish"]) == (
        "2024-12-31",
        "2027-12-31",
    )
    assert first["old_scope"] == "Đường cao tốc 4 làn xe"
    assert first["old_planned_start"] is None and first["new_planned_start"] is None
    assert second["document"] is None  # internal
    assert (second["old_planned_finish"], second["new_planned_finish"]) == (
        "2027-12-31",
        "2030-12-31",
    )
    body = str(row)
    assert INTERNAL_NUMBER not in body
    assert INTERNAL_TITLE not in body
    assert "chưa được duyệt" not in body


def csv_text(client, **params) -> str:
    response = client.get(LIST, {"format": "csv", **params})
    assert response.status_code == 200
    return b"".join(response.streaming_content).decode("utf-8").removeprefix("\ufeff")


def test_csv_and_json_carry_baseline_and_current_values(client, ring_road):
    for name in ("baseline_planned_start", "baseline_planned_finish", "baseline_total_investment"):
        assert name in COLUMN_NAMES
    (row,) = csv.DictReader(io.StringIO(csv_text(client)))

    assert (row["planned_finish"], row["baseline_planned_finish"]) == ("2030-12-31", "2024-12-31")
    assert (row["total_investment"], row["baseline_total_investment"]) == (
        "22800000000000",
        "19000000000000",
    )
    assert row["schedule_or_cost_changed"] == "true"
    response = client.get(LIST, {"format": "json"})
    (item,) = json.loads(b"".join(response.streaming_content))
    assert item["planned_finish"] == "2030-12-31"
    assert item["baseline_planned_finish"] == "2024-12-31"
    assert item["baseline_total_investment"] == "19000000000000"


# The model and the admin --------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({}, "Hãy nhập ít nhất một giá trị mới"),
        ({"new_planned_finish": D(2027, 1, 1), "reason": ""}, "không được để trắng"),
        ({"new_total_investment": Decimal(-1)}, "không được âm"),
        (
            {"new_planned_start": D(2027, 1, 1), "new_planned_finish": D(2026, 1, 1)},
            "phải sau ngày khởi công",
        ),
        ({"old_scope": "4 làn xe"}, "quy mô sau"),
    ],
)
def test_a_change_that_says_nothing_or_contradicts_itself_is_refused(fields, message):
    change = ProjectChange(
        project=make_project(), decided_on=D(2025, 1, 1), **({"reason": REASON} | fields)
    )
    with pytest.raises(ValidationError, match=message):
        change.full_clean()


def test_editor_adds_a_change_that_waits_for_a_publisher(client, ring_road):
    url = reverse("admin:projects_project_change", args=[ring_road.pk])
    client.force_login(make_editor())
    form = read_form(client, url, Project)
    data = form.with_new_row(
        "changes",
        decided_on="01/03/2026",
        reason="Bổ sung vốn ngân sách Thành phố",
        new_total_investment="25000000000000",
    )

    response = client.post(url, data)

    assert response.status_code == 302
    change = ProjectChange.all_objects.get(reason="Bổ sung vốn ngân sách Thành phố")
    assert change.pending
    assert "Bổ sung vốn ngân sách Thành phố" not in public_text(ring_road)

    client.force_login(make_publisher())
    run_action(client, "publish_pending", ring_road)
    page = public_text(ring_road)
    assert "Bổ sung vốn ngân sách Thành phố" in page
    assert "22.800.000.000.000 đồng → 25.000.000.000.000 đồng" in page


def test_change_admin_list(admin_client, ring_road, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        response = admin_client.get(reverse("admin:projects_projectchange_changelist"))
    assert response.status_code == 200
    assert "Vành đai 4" in response.content.decode()


def test_editor_cannot_change_an_approved_change_on_its_own_page(client, ring_road):
    change = ring_road.changes.earliest("decided_on")
    url = reverse("admin:projects_projectchange_change", args=[change.pk])
    client.force_login(make_editor())
    form = read_form(client, url, ProjectChange)
    assert not form.has_input("reason")

    client.post(url, form.data(reason="Lý do đã bị sửa", new_planned_finish="31/12/2040"))

    stored = ProjectChange.all_objects.get(pk=change.pk)
    assert (stored.reason, stored.new_planned_finish, stored.pending) == (
        REASON,
        D(2027, 12, 31),
        False,
    )
    assert "Lý do đã bị sửa" not in public_text(ring_road)
