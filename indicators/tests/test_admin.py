from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from indicators.models import Indicator, Value, ValueKind
from indicators.tests.factories import make_indicator, make_period, make_value, quarter
from portal.publication import PublicationStatus
from portal.tests.factories import make_staff

pytestmark = pytest.mark.django_db

HEADER = "indicator_code,period_kind,period_start,period_end,value_kind,value,status,source,note\n"


@pytest.fixture
def editor(client):
    user = make_staff(
        "indicators.add_value",
        "indicators.change_value",
        "indicators.view_value",
        "indicators.add_indicator",
        "indicators.change_indicator",
        "indicators.view_indicator",
        "indicators.view_period",
        "indicators.add_period",
    )
    client.force_login(user)
    return user


@pytest.fixture
def data():
    indicators = [make_indicator(code=f"code-{n}") for n in range(4)]
    for indicator in indicators:
        for n in (1, 2, 3):
            make_value(indicator=indicator, period=quarter(2025, n))
    return indicators


def test_changelists_have_a_query_budget(client, editor, data, django_assert_max_num_queries):
    for name in ("indicator", "value", "period"):
        with django_assert_max_num_queries(12):
            response = client.get(reverse(f"admin:indicators_{name}_changelist"))
        assert response.status_code == 200
    response = client.get(reverse("admin:indicators_value_changelist"))
    assert "Nhập từ tệp CSV" in response.content.decode()
    assert "Nhập nhanh một kỳ" in response.content.decode()


def test_indicator_page_has_values_inline(client, editor, data):
    indicator = data[0]
    response = client.get(reverse("admin:indicators_indicator_change", args=[indicator.pk]))
    html = response.content.decode()
    assert 'name="values-TOTAL_FORMS"' in html
    assert response.context["inline_admin_formsets"][0].formset.queryset.count() == 3


def test_editor_adds_an_indicator_as_draft_with_a_value(client, editor):
    period = make_period()
    response = client.post(
        reverse("admin:indicators_indicator_add"),
        {
            "code": "grdp-growth",
            "name": "Tăng trưởng GRDP",
            "category": "growth",
            "unit": "pct_change",
            "direction": "higher",
            "definition": "",
            "source": "",
            "order": "0",
            "values-TOTAL_FORMS": "1",
            "values-INITIAL_FORMS": "0",
            "values-0-period": str(period.pk),
            "values-0-kind": "actual",
            "values-0-value": "7.63",
            "values-0-vintage": "",
            "values-0-source_text": "Báo cáo",
            "values-0-note": "",
        },
    )
    assert response.status_code == 302, response.context["errors"] if response.context else ""
    indicator = Indicator.objects.get(code="grdp-growth")
    assert indicator.status == PublicationStatus.DRAFT  # editors cannot publish
    assert indicator.values(manager="all_objects").get().value == Decimal("7.63")


def test_import_form_preview_then_store(client, editor):
    make_indicator(code="grdp-growth")
    url = reverse("admin:indicators_value_import")
    assert "Tệp CSV hoặc Excel" in client.get(url).content.decode()
    body = HEADER + 'grdp-growth,half_year,2025-01-01,2025-06-30,actual,"7,63",,,\n'
    response = client.post(url, {"file": SimpleUploadedFile("v.csv", body.encode())})
    preview = client.get(response["Location"]).content.decode()
    assert "Tệp hợp lệ: 1 dòng — sẽ thêm 1, cập nhật 0, không đổi 0" in preview
    assert not Value.all_objects.exists()
    response = client.post(response["Location"])
    assert "Đã nhập 1 dòng: 1 mới" in client.get(response["Location"]).content.decode()
    assert Value.all_objects.get().value == Decimal("7.63")


def test_import_form_lists_every_bad_row(client, editor):
    make_indicator(code="grdp-growth")
    body = HEADER + (
        "grdp-growth,half_year,2025-01-01,2025-06-30,actual,7.63,,,\n"
        "nope,half_year,2025-01-01,2025-06-30,actual,7.63,,,\n"
        "grdp-growth,half_year,2025-01-01,2025-06-30,target,x,,,\n"
    )
    response = client.post(
        reverse("admin:indicators_value_import"),
        {"file": SimpleUploadedFile("v.csv", body.encode())},
    )
    html = client.get(response["Location"]).content.decode()
    assert "Tệp có 2 lỗi" in html
    assert "<td>3</td>" in html and "<td>4</td>" in html
    assert "Nhập thật" not in html
    assert not Value.objects.exists()


def test_import_needs_permission(client):
    client.force_login(make_staff("indicators.view_value"))
    assert client.get(reverse("admin:indicators_value_import")).status_code == 403
    assert client.get(reverse("admin:indicators_value_grid")).status_code == 403


def test_grid_fills_one_period(client, editor, data, django_assert_max_num_queries):
    period = quarter(2025, 4)
    url = reverse("admin:indicators_value_grid") + f"?period={period.pk}"
    with django_assert_max_num_queries(12):
        response = client.get(url)
    rows = response.context["rows"]
    assert [indicator.code for indicator, _ in rows] == [i.code for i in data]
    post = {
        "form-TOTAL_FORMS": "4",
        "form-INITIAL_FORMS": "4",
        "vintage": "preliminary",
        "source_text": "Báo cáo quý IV",
    }
    for n, indicator in enumerate(data):
        post |= {
            f"form-{n}-indicator": str(indicator.pk),
            f"form-{n}-actual": "7,5" if n == 0 else "",
            f"form-{n}-target": "8" if n == 0 else "",
            f"form-{n}-scenario": "",
        }
    response = client.post(url, post)
    assert response.status_code == 302
    values = Value.all_objects.filter(period=period)
    assert {(v.indicator_id, v.kind, v.value, v.pending) for v in values} == {
        (data[0].pk, ValueKind.ACTUAL, Decimal("7.5"), True),
        (data[0].pk, ValueKind.TARGET, Decimal("8"), True),
    }, "an editor's figures wait for a publisher"
    assert values.first().vintage == "preliminary"
    # Shown again with the stored figures; a bad number is an error on its cell.
    response = client.get(url)
    assert response.context["formset"].forms[0].initial["actual"] == "7.5"
    post["form-1-actual"] = "abc"
    response = client.post(url, post)
    assert response.status_code == 200
    assert "“abc” không phải là số." in response.content.decode()


def test_grid_leaves_a_published_figure_to_publishers(client, editor, data):
    period = quarter(2025, 4)
    shown = make_value(indicator=data[0], period=period, value=Decimal("7.5"))
    url = reverse("admin:indicators_value_grid") + f"?period={period.pk}"
    post = {"form-TOTAL_FORMS": "1", "form-INITIAL_FORMS": "1", "vintage": ""}
    post |= {"source_text": "", "form-0-indicator": str(data[0].pk), "form-0-actual": "9"}
    post |= {"form-0-target": "8", "form-0-scenario": ""}
    response = client.post(url, post, follow=True)
    shown.refresh_from_db()
    assert shown.value == Decimal("7.5") and not shown.pending
    assert "chỉ người công bố được sửa" in response.content.decode()
    target = Value.all_objects.get(indicator=data[0], period=period, kind=ValueKind.TARGET)
    assert target.pending
