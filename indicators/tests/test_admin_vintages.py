"""The admin with vintages (issue 17) and the staff wishes of issue 16: periods found by
their label, a decimal comma in every figure field."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from portal.tests.admin_forms import make_editor, make_publisher, read_form

from ..models import Value, ValueKind, Vintage
from ..periods import PeriodKind
from .factories import make_indicator, make_period, make_value, quarter

pytestmark = pytest.mark.django_db

ADD_VALUE = reverse("admin:indicators_value_add")
PERIODS = reverse("admin:indicators_period_changelist")
H1_2025 = (PeriodKind.HALF_YEAR, datetime.date(2025, 1, 1), datetime.date(2025, 6, 30))


@pytest.fixture
def periods():
    return {
        "q3-2025": quarter(2025, 3),
        "q3-2024": quarter(2024, 3),
        "q2-2025": quarter(2025, 2),
        "h1-2025": make_period(*H1_2025),
        "2025": make_period(
            PeriodKind.YEAR, datetime.date(2025, 1, 1), datetime.date(2025, 12, 31)
        ),
    }


@pytest.fixture
def grdp():
    return make_indicator(code="grdp-growth", name="Tốc độ tăng trưởng GRDP")


# --- periods by label --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("Quý III/2025", ["Quý III/2025"]),
        ("quy iii/2025", ["Quý III/2025"]),
        ("Quý III", ["Quý III/2025", "Quý III/2024"]),
        ("6 tháng đầu năm 2025", ["6 tháng đầu năm 2025"]),
        ("6 thang dau nam", ["6 tháng đầu năm 2025"]),
        ("First half of 2025", ["6 tháng đầu năm 2025"]),
        ("2025-q2", ["Quý II/2025"]),  # the slug, as before
        ("Quý V/2025", []),
    ],
)
def test_periods_are_searchable_by_label(client, periods, query, found):
    client.force_login(make_publisher())
    response = client.get(PERIODS, {"q": query})
    assert response.status_code == 200
    shown = [str(period) for period in response.context["cl"].result_list]
    assert sorted(shown) == sorted(found)


def test_period_autocomplete_of_a_figure_finds_a_label(client, periods):
    client.force_login(make_publisher())
    response = client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "indicators",
            "model_name": "value",
            "field_name": "period",
            "term": "Quý III/2025",
        },
    )
    assert [r["text"] for r in response.json()["results"]] == ["Quý III/2025"]


# --- a decimal comma in every figure field -------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("7,63", "7.63"),
        ("7.63", "7.63"),
        ("1.234,5", "1234.5"),
        ("-0,5", "-0.5"),
        ("16765", "16765"),
    ],
)
def test_figure_form_takes_a_decimal_comma(client, grdp, periods, typed, stored):
    client.force_login(make_publisher())
    form = read_form(client, ADD_VALUE, Value)
    data = form.data(
        indicator=str(grdp.pk), period=str(periods["h1-2025"].pk), kind="actual", value=typed
    )
    response = client.post(ADD_VALUE, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Value.objects.get().value == Decimal(stored)


@pytest.mark.parametrize("typed", ["abc", "7,6,3", "1.23.4", "7%", "1,234.5.6"])
def test_garbage_in_a_figure_field_is_a_clear_error(client, grdp, periods, typed):
    client.force_login(make_publisher())
    form = read_form(client, ADD_VALUE, Value)
    data = form.data(
        indicator=str(grdp.pk), period=str(periods["h1-2025"].pk), kind="actual", value=typed
    )
    response = client.post(ADD_VALUE, data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["value"]
    assert errors == [f"“{typed}” không phải là số. Viết ví dụ 7,63 hoặc 1.234,5."]
    assert not Value.all_objects.exists()


def test_stored_figure_is_shown_with_a_decimal_comma_in_vietnamese(client, grdp, periods):
    value = make_value(indicator=grdp, period=periods["h1-2025"], value=Decimal("1234.5"))
    client.force_login(make_publisher())
    url = reverse("admin:indicators_value_change", args=[value.pk])
    form = read_form(client, url, Value)
    assert form.data()["value"] == "1234,5"
    # Saved back unchanged.
    assert client.post(url, form.data()).status_code == 302
    value.refresh_from_db()
    assert value.value == Decimal("1234.5")


def test_inline_figure_on_the_indicator_takes_a_decimal_comma(client, grdp, periods):
    client.force_login(make_publisher())
    url = reverse("admin:indicators_indicator_change", args=[grdp.pk])
    form = read_form(client, url, type(grdp))
    data = form.with_blank_row_filled(
        "values",
        period=str(periods["q3-2025"].pk),
        kind="actual",
        value="8,25",
        vintage="estimate",
        released_on="30/09/2025",
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.context and response.context.get("errors")
    value = Value.objects.get()
    assert (value.value, value.vintage, value.released_on) == (
        Decimal("8.25"),
        Vintage.ESTIMATE,
        datetime.date(2025, 9, 30),
    )


# --- vintages in the admin ---------------------------------------------------------------


def test_a_second_official_figure_is_a_form_error_a_revision_is_not(client, grdp, periods):
    make_value(
        indicator=grdp,
        period=periods["h1-2025"],
        value=Decimal("7.63"),
        vintage=Vintage.OFFICIAL,
        released_on=datetime.date(2025, 7, 6),
    )
    client.force_login(make_publisher())
    form = read_form(client, ADD_VALUE, Value)
    common = {"indicator": str(grdp.pk), "period": str(periods["h1-2025"].pk), "kind": "actual"}
    response = client.post(
        ADD_VALUE, form.data(**common, value="7,65", vintage="official", released_on="")
    )
    assert response.status_code == 200
    assert "cùng lần công bố" in response.context["adminform"].form.non_field_errors()[0]

    response = client.post(
        ADD_VALUE, form.data(**common, value="7,65", vintage="revised", released_on="")
    )
    assert response.status_code == 200
    assert "Số điều chỉnh phải có ngày công bố." in response.content.decode()

    response = client.post(
        ADD_VALUE, form.data(**common, value="7,65", vintage="revised", released_on="15/09/2025")
    )
    assert response.status_code == 302
    assert [v.value for v in Value.objects.order_by("pk")] == [Decimal("7.63"), Decimal("7.65")]


def test_grid_adds_a_revision_beside_the_earlier_vintage(client, grdp, periods):
    period = periods["q3-2025"]
    make_value(indicator=grdp, period=period, value=Decimal("8.1"), vintage=Vintage.ESTIMATE)
    client.force_login(make_editor())
    url = reverse("admin:indicators_value_grid") + f"?period={period.pk}"
    post = {"form-TOTAL_FORMS": "1", "form-INITIAL_FORMS": "1", "source_text": ""}
    post |= {"form-0-indicator": str(grdp.pk), "form-0-actual": "8,25"}
    post |= {"form-0-target": "", "form-0-scenario": ""}

    response = client.post(url, post | {"vintage": "revised", "released_on": ""})
    assert response.status_code == 200
    assert "Số điều chỉnh phải có ngày công bố." in response.content.decode()

    response = client.post(url, post | {"vintage": "revised", "released_on": "15/10/2025"})
    assert response.status_code == 302
    vintages = Value.all_objects.filter(period=period).order_by("pk")
    assert [(v.vintage, v.value, v.pending) for v in vintages] == [
        ("estimate", Decimal("8.1"), False),
        ("revised", Decimal("8.25"), True),  # an editor's revision waits for a publisher
    ]
    # The grid shows the latest vintage (pending ones too: this is staff's screen).
    response = client.get(url)
    assert response.context["formset"].forms[0].initial["actual"] == "8.25"


def test_value_changelist_filters_by_vintage(client, grdp, periods):
    make_value(indicator=grdp, period=periods["h1-2025"], vintage=Vintage.ESTIMATE)
    make_value(
        indicator=grdp, period=periods["h1-2025"], vintage=Vintage.OFFICIAL, value=Decimal(8)
    )
    client.force_login(make_publisher())
    with translation.override("vi"):
        response = client.get(
            reverse("admin:indicators_value_changelist"), {"vintage": "official"}
        )
    assert [v.vintage for v in response.context["cl"].result_list] == ["official"]
    assert ValueKind.ACTUAL in {v.kind for v in response.context["cl"].result_list}
