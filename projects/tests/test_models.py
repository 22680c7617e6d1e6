import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from documents.models import Visibility
from portal.publication import PublicationStatus
from projects.models import ProgressUpdate, Project, Stage
from projects.schedule import ScheduleState

from .factories import make_document, make_project, make_update

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("field", "value", "shown"),
    [
        ("physical_percent", Decimal(120), "120%"),
        ("physical_percent", Decimal(-5), "-5%"),
        ("disbursed_percent", Decimal("100.5"), "100,5%"),
    ],
)
def test_percent_outside_0_to_100_is_refused_by_full_clean(field, value, shown):
    update = ProgressUpdate(project=make_project(), date=datetime.date(2025, 6, 30))
    setattr(update, field, value)

    with pytest.raises(ValidationError) as error:
        update.full_clean()

    messages = error.value.message_dict[field]
    assert messages == [f"Tỷ lệ phải từ 0% đến 100%; đã nhập {shown}."]


@pytest.mark.parametrize(
    ("value", "constraint"),
    [
        (Decimal(120), "projects_progressupdate_physical_percent_max_100"),
        (Decimal(-5), "projects_progressupdate_physical_percent_min_0"),
    ],
)
def test_percent_outside_0_to_100_is_refused_by_the_database(value, constraint):
    project = make_project()

    with pytest.raises(IntegrityError) as error, transaction.atomic():
        ProgressUpdate.objects.create(
            project=project, date=datetime.date(2025, 6, 30), physical_percent=value
        )

    # SQLite names the failed constraint; PostgreSQL names it too.
    assert constraint in str(error.value)


def test_bulk_update_cannot_write_an_impossible_percent():
    update = make_update(make_project())

    with pytest.raises(IntegrityError), transaction.atomic():
        ProgressUpdate.objects.filter(pk=update.pk).update(physical_percent=Decimal(120))


def test_percent_bounds_are_allowed():
    project = make_project()
    for day, value in [(1, Decimal(0)), (2, Decimal(100))]:
        update = ProgressUpdate(
            project=project, date=datetime.date(2025, 6, day), physical_percent=value
        )
        update.full_clean()
        update.save()
    assert project.progress_updates.count() == 2


def test_an_update_needs_a_figure_or_a_note():
    update = ProgressUpdate(project=make_project(), date=datetime.date(2025, 6, 30))

    with pytest.raises(ValidationError) as error:
        update.full_clean()

    assert "ít nhất một số liệu" in str(error.value)


def test_one_update_per_project_and_day():
    project = make_project()
    make_update(project, date=datetime.date(2025, 6, 30))
    duplicate = ProgressUpdate(
        project=project, date=datetime.date(2025, 6, 30), physical_percent=Decimal(50)
    )

    with pytest.raises(ValidationError) as error:
        duplicate.full_clean()

    assert "đã có một cập nhật tiến độ trong ngày này" in str(error.value)


def test_code_is_unique_only_when_given():
    make_project(code="")
    make_project(code="")
    make_project(code="VD4")

    with pytest.raises(ValidationError) as error:
        Project(name="Khác", slug="khac", sector="ring_road", code="VD4").full_clean()

    assert "Đã có dự án khác mang mã này." in str(error.value)


def test_slug_comes_from_the_vietnamese_name():
    project = Project.objects.create(name="Cầu Trần Hưng Đạo", sector="bridge")

    assert project.slug == "cau-tran-hung-dao"
    assert project.get_absolute_url() == "/projects/cau-tran-hung-dao/"


def test_a_project_never_takes_the_address_of_the_map():
    named_map = Project.objects.create(name="Map", sector="bridge")

    assert named_map.get_absolute_url() == "/projects/map-du-an/"
    with pytest.raises(ValidationError) as error:
        Project(name="Bản đồ", slug="map", sector="bridge").full_clean()
    assert "là địa chỉ của một trang khác" in str(error.value)


def test_search_text_folds_diacritics():
    project = make_project(name="Xử lý ô nhiễm sông Tô Lịch", location="Quận Đống Đa")

    assert "to lich" in project.search_text
    assert "dong da" in project.search_text


def test_stated_behind_needs_the_source_sentence():
    project = make_project(behind_stated=False)
    project.behind_stated = True

    with pytest.raises(ValidationError) as error:
        project.full_clean()

    assert "behind_statement" in error.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        Project.objects.filter(pk=project.pk).update(behind_stated=True)


def test_a_project_cannot_be_its_own_ancestor():
    programme = make_project()
    part = make_project(parent=programme)
    programme.parent = part

    with pytest.raises(ValidationError) as error:
        programme.full_clean()

    assert "parent" in error.value.message_dict


def test_planned_finish_must_not_precede_start():
    project = make_project()
    project.planned_start = datetime.date(2025, 1, 1)
    project.planned_finish = datetime.date(2024, 1, 1)

    with pytest.raises(ValidationError) as error:
        project.full_clean()

    assert "Ngày hoàn thành theo kế hoạch phải sau" in str(error.value)


def test_schedule_uses_the_latest_measured_update():
    project = make_project(
        planned_start=datetime.date(2024, 1, 1), planned_finish=datetime.date(2030, 1, 1)
    )
    make_update(project, date=datetime.date(2025, 1, 1), physical_percent=Decimal(20))
    # A later update with money only does not hide the latest physical figure.
    make_update(
        project, date=datetime.date(2025, 3, 1), physical_percent=None, disbursed_percent=50
    )

    annotated = Project.objects.for_list().get(pk=project.pk)
    plain = Project.objects.get(pk=project.pk)

    assert annotated.latest_percent == Decimal(20)
    assert annotated.latest_percent_on == datetime.date(2025, 1, 1)
    assert annotated.last_update_on == datetime.date(2025, 3, 1)
    today = datetime.date(2025, 6, 1)
    assert annotated.schedule(today).state == ScheduleState.ON_SCHEDULE
    assert plain.schedule(today) == annotated.schedule(today)


def test_staleness_follows_the_setting(settings):
    settings.PORTAL_PROJECT_STALE_DAYS = 30
    project = make_project()
    make_update(project, date=datetime.date(2025, 1, 1))
    project = Project.objects.for_list().get(pk=project.pk)

    assert not project.is_stale(datetime.date(2025, 1, 31))
    assert project.is_stale(datetime.date(2025, 2, 1))
    project.stage = Stage.COMPLETED
    assert not project.is_stale(datetime.date(2025, 2, 1))


def test_linked_documents_are_published_and_public_only():
    public = make_document(title="Quyết định phê duyệt")
    draft = make_document(status=PublicationStatus.DRAFT)
    internal = make_document(visibility=Visibility.INTERNAL)
    source = make_document(title="Báo cáo tiến độ")
    project = make_project(approval_document=draft)
    project.documents.add(public, internal)
    make_update(project, source_document=source)

    assert set(project.linked_documents()) == {public, source}


def test_the_constraint_message_is_readable_without_clean():
    update = ProgressUpdate(
        project=make_project(), date=datetime.date(2025, 6, 30), physical_percent=Decimal(120)
    )

    with pytest.raises(ValidationError) as error:
        update.validate_constraints()

    assert error.value.messages == ["Khối lượng hoàn thành phải từ 0% đến 100%."]
