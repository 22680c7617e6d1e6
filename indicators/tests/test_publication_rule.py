"""The publication rule on indicator figures (issue 14), through the real admin: the
indicator's screen (figures inline) and a figure's own screen.

An editor cannot change a figure the public reads; a figure an editor adds waits (pending)
and stays off the indicator's public page until a publisher approves it. A figure whose
source is an internal document never shows that document to staff who may not read it.
"""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from documents.models import Visibility
from documents.tests.factories import make_document
from portal.publication import PublicationStatus
from portal.tests.admin_forms import (
    INTERNAL_LABEL,
    LOCKED,
    make_editor,
    make_publisher,
    make_publisher_of,
    messages_of,
    public_text,
    read_form,
    run_action,
)

from ..models import Indicator, Value, ValueKind, Vintage
from ..periods import PeriodKind
from .factories import make_indicator, make_period, make_value

pytestmark = pytest.mark.django_db

VALUES = reverse("admin:indicators_value_changelist")
ADD_VALUE = reverse("admin:indicators_value_add")
INTERNAL_NUMBER = "4321-BC/TU"
INTERNAL_TITLE = "Báo cáo mật về thu ngân sách quận Hoàn Kiếm"


def change_url(indicator) -> str:
    return reverse("admin:indicators_indicator_change", args=[indicator.pk])


def value_url(value) -> str:
    return reverse("admin:indicators_value_change", args=[value.pk])


@pytest.fixture
def half_year():
    return make_period()  # 6 tháng đầu năm 2025


@pytest.fixture
def indicator(half_year):
    """A published indicator with an approved actual figure for the first half of 2025."""
    indicator = make_indicator(code="tang-truong-grdp", name="Tốc độ tăng trưởng GRDP")
    make_value(
        indicator=indicator,
        period=half_year,
        kind=ValueKind.ACTUAL,
        value=Decimal("7.63"),
        vintage=Vintage.PRELIMINARY,
        note="Ước tính của Cục Thống kê thành phố",
    )
    return indicator


def test_editor_cannot_alter_a_figure_through_the_indicator(client, indicator):
    value = indicator.values.get()
    client.force_login(make_editor())
    form = read_form(client, change_url(indicator), Indicator)
    assert LOCKED in form.html
    assert not form.has_input("values-0-value")

    client.post(
        change_url(indicator),
        form.data(
            **{
                "values-0-id": str(value.pk),
                "values-0-value": "9.99",
                "values-0-note": "Số liệu đã bị sửa",
                "values-0-DELETE": "on",
            }
        ),
    )

    value.refresh_from_db()
    assert (value.value, value.note, value.pending) == (
        Decimal("7.63"),
        "Ước tính của Cục Thống kê thành phố",
        False,
    )
    page = public_text(indicator)
    assert "Ước tính của Cục Thống kê thành phố" in page
    assert "Số liệu đã bị sửa" not in page


def test_editor_adds_a_figure_that_waits_for_a_publisher(client, indicator, half_year):
    client.force_login(make_editor())
    form = read_form(client, change_url(indicator), Indicator)
    data = form.with_blank_row_filled(
        "values",
        period=str(half_year.pk),
        kind=ValueKind.TARGET,
        value="8.5",
        note="Kế hoạch theo Nghị quyết của Hội đồng nhân dân",
    )

    response = client.post(change_url(indicator), data)

    assert response.status_code == 302
    target = Value.all_objects.get(kind=ValueKind.TARGET)
    assert target.pending
    assert "Kế hoạch theo Nghị quyết" not in public_text(indicator)

    client.force_login(make_publisher())
    response = run_action(client, "publish_pending", indicator)

    assert "Đã công bố 1 thay đổi đang chờ." in messages_of(response)
    assert "Kế hoạch theo Nghị quyết" in public_text(indicator)


def test_editor_sees_an_approved_figure_read_only_on_its_own_page(client, indicator):
    client.force_login(make_editor())

    form = read_form(client, value_url(indicator.values.get()), Value)

    assert LOCKED in form.html
    assert not form.has_input("value")
    assert not form.has_input("note")


def test_editor_post_of_an_approved_figure_changes_nothing(client, indicator):
    value = indicator.values.get()
    versions = value.history.count()
    client.force_login(make_editor())
    form = read_form(client, value_url(value), Value)

    client.post(
        value_url(value),
        form.data(value="9.99", note="Số liệu đã bị sửa", pending="on"),
    )

    value.refresh_from_db()
    assert (value.value, value.pending) == (Decimal("7.63"), False)
    assert value.history.count() == versions
    assert "Số liệu đã bị sửa" not in public_text(indicator)


def version_url(value, version) -> str:
    return reverse("admin:indicators_value_simple_history", args=[value.pk, version.history_id])


def test_editor_revert_of_an_approved_figure_is_refused(client, indicator):
    value = indicator.values.get()
    estimate = value.history.earliest()
    value.value = Decimal("7.71")  # the publisher's official figure
    value.save()
    client.force_login(make_editor())

    response = client.post(version_url(value, estimate), {})

    assert response.status_code == 403
    value.refresh_from_db()
    assert value.value == Decimal("7.71")


def test_editor_revert_of_a_pending_figure_keeps_it_pending(client, indicator):
    """Restoring a version a publisher had approved does not approve it again."""
    value = indicator.values.get()
    approved = value.history.earliest()
    value.value = Decimal("7.9")
    value.pending = True  # corrected, waiting for a publisher
    value.save()
    client.force_login(make_editor())
    url = version_url(value, approved)

    response = client.post(url, read_form(client, url, Value).data())

    assert response.status_code == 302
    value.refresh_from_db()
    assert (value.value, value.pending) == (Decimal("7.6300"), True)
    assert "Ước tính của Cục Thống kê thành phố" not in public_text(indicator)


def test_editor_adds_a_figure_on_its_own_page_that_waits(client, indicator, half_year):
    client.force_login(make_editor())
    form = read_form(client, ADD_VALUE, Value)

    response = client.post(
        ADD_VALUE,
        form.data(
            indicator=str(indicator.pk),
            period=str(half_year.pk),
            kind=ValueKind.SCENARIO,
            value="8",
            note="Kịch bản tăng trưởng của Ủy ban nhân dân thành phố",
        ),
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Value.all_objects.get(kind=ValueKind.SCENARIO).pending
    assert "Kịch bản tăng trưởng" not in public_text(indicator)


def test_a_figure_like_a_pending_one_is_a_form_error(client, indicator, half_year):
    """Two editors type the same target: the second gets an error message, not a 500."""
    Value.all_objects.create(
        indicator=indicator,
        period=half_year,
        kind=ValueKind.TARGET,
        value=Decimal("8.5"),
        pending=True,
    )
    client.force_login(make_editor())
    form = read_form(client, ADD_VALUE, Value)

    response = client.post(
        ADD_VALUE,
        form.data(
            indicator=str(indicator.pk),
            period=str(half_year.pk),
            kind=ValueKind.TARGET,
            value="8.6",
        ),
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.non_field_errors() == [
        "Chỉ tiêu này đã có số liệu cùng kỳ, cùng loại và cùng lần công bố. Sửa số đó, hoặc "
        "thêm số mới với lần công bố khác (điều chỉnh)."
    ]
    assert Value.all_objects.filter(kind=ValueKind.TARGET).count() == 1


def test_a_figure_like_an_approved_one_is_a_form_error(client, indicator, half_year):
    client.force_login(make_editor())
    form = read_form(client, ADD_VALUE, Value)

    response = client.post(
        ADD_VALUE,
        form.data(
            indicator=str(indicator.pk),
            period=str(half_year.pk),
            kind=ValueKind.ACTUAL,
            vintage=Vintage.PRELIMINARY,
            value="7,9",
        ),
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.non_field_errors() == [
        "Chỉ tiêu này đã có số liệu cùng kỳ, cùng loại và cùng lần công bố. Sửa số đó, hoặc "
        "thêm số mới với lần công bố khác (điều chỉnh)."
    ]
    assert Value.all_objects.count() == 1


def test_publisher_publishes_a_draft_indicator_with_its_pending_figures(client, half_year):
    draft = make_indicator(
        code="ty-le-do-thi-hoa",
        name="Tỷ lệ đô thị hóa",
        status=PublicationStatus.DRAFT,
    )
    Value.all_objects.create(
        indicator=draft,
        period=half_year,
        kind=ValueKind.ACTUAL,
        value=Decimal("50.2"),
        note="Số liệu sơ bộ của Sở Xây dựng",
        pending=True,
    )
    client.force_login(make_publisher())

    response = run_action(client, "publish", draft)

    assert "Đã công bố 1 mục." in messages_of(response)
    assert not Value.all_objects.filter(pending=True).exists()
    assert "Số liệu sơ bộ của Sở Xây dựng" in public_text(draft)


def test_publisher_corrects_a_figure_at_once(client, indicator):
    value = indicator.values.get()
    client.force_login(make_publisher())
    form = read_form(client, value_url(value), Value)

    response = client.post(
        value_url(value), form.data(note="Số liệu chính thức của Cục Thống kê thành phố")
    )

    assert response.status_code == 302
    value.refresh_from_db()
    assert not value.pending
    assert "Số liệu chính thức của Cục Thống kê thành phố" in public_text(indicator)


# A figure whose source is an internal document ---------------------------------------


@pytest.fixture
def sourced_internally(indicator):
    value = indicator.values.get()
    value.source_document = make_document(
        number=INTERNAL_NUMBER, title=INTERNAL_TITLE, visibility=Visibility.INTERNAL
    )
    value.save()
    make_value(
        indicator=indicator,
        period=make_period(
            PeriodKind.YEAR, datetime.date(2024, 1, 1), datetime.date(2024, 12, 31)
        ),
        value=Decimal("6.52"),
        source_document=make_document(number="345-BC/TU", title="Báo cáo kinh tế năm 2024"),
    )
    return value


@pytest.fixture(params=["editor", "publisher of indicators"])
def blind(request):
    user = make_editor() if request.param == "editor" else make_publisher_of("indicators")
    assert not user.has_perm("documents.view_internal_document")
    return user


def assert_hidden(page: str) -> None:
    assert INTERNAL_NUMBER not in page
    assert INTERNAL_TITLE not in page


@pytest.mark.parametrize("status", [PublicationStatus.PUBLISHED, PublicationStatus.DRAFT])
def test_figure_pages_hide_an_internal_source_document(client, sourced_internally, blind, status):
    Indicator.objects.filter(pk=sourced_internally.indicator_id).update(status=status)
    client.force_login(blind)

    figures = client.get(VALUES).content.decode()
    figure = client.get(value_url(sourced_internally)).content.decode()
    indicator = client.get(change_url(sourced_internally.indicator)).content.decode()

    assert "345-BC/TU" in figures
    for page in (figures, figure, indicator):
        assert INTERNAL_LABEL in page
        assert_hidden(page)


def test_figure_pages_show_an_internal_source_document_to_who_may_read_it(
    client, sourced_internally
):
    client.force_login(make_editor(reads_internal=True))

    for url in (VALUES, value_url(sourced_internally), change_url(sourced_internally.indicator)):
        assert INTERNAL_NUMBER in client.get(url).content.decode()


def unlink_and_read_history(client, value) -> str:
    value.source_document = None
    value.save()
    return client.get(reverse("admin:indicators_value_history", args=[value.pk])).content.decode()


def test_figure_history_hides_an_internal_source_document(client, sourced_internally, blind):
    client.force_login(blind)

    history = unlink_and_read_history(client, sourced_internally)

    assert INTERNAL_LABEL in history  # what the source was changed from
    assert_hidden(history)


def test_figure_history_shows_an_internal_source_document_to_who_may_read_it(
    client, sourced_internally
):
    client.force_login(make_editor(reads_internal=True))

    assert INTERNAL_NUMBER in unlink_and_read_history(client, sourced_internally)
