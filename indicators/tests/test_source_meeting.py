"""A figure's source meeting: model, public detail, CSV, admin and demo."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from indicators import demo
from indicators.models import Indicator, PeriodFigures, Value, ValueKind
from indicators.services import import_values
from indicators.tests.factories import make_indicator, make_period, make_value
from meetings import demo as meetings_demo
from meetings.models import Meeting
from meetings.tests.factories import make_meeting
from portal import demo as portal_demo
from portal.publication import PublicationStatus
from portal.tests.factories import make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def published_meeting():
    return make_meeting(title="Hội nghị lần thứ 23 (công bố)")


@pytest.fixture
def draft_meeting():
    return make_meeting(title="Hội nghị nháp bí mật", status=PublicationStatus.DRAFT)


# Model --------------------------------------------------------------------------------


def test_public_source_meeting_is_only_a_published_one(published_meeting, draft_meeting):
    assert make_value(source_meeting=published_meeting).public_source_meeting == published_meeting
    assert make_value(source_meeting=draft_meeting).public_source_meeting is None
    assert make_value().public_source_meeting is None
    archived = make_meeting(status=PublicationStatus.ARCHIVED)
    assert make_value(source_meeting=archived).public_source_meeting is None


def test_sources_are_distinct_triples_without_draft_meetings(published_meeting, draft_meeting):
    indicator = make_indicator()
    period = make_period()
    values = [
        make_value(indicator=indicator, period=period, source_meeting=published_meeting),
        make_value(
            indicator=indicator,
            period=period,
            kind=ValueKind.TARGET,
            source_meeting=published_meeting,
        ),
        make_value(
            indicator=indicator,
            period=period,
            kind=ValueKind.SCENARIO,
            source_meeting=draft_meeting,
        ),
    ]
    figures = PeriodFigures(indicator, period, values)
    # The draft meeting's figure has no other source: it adds no line.
    assert figures.sources == [(None, published_meeting, "")]


def test_deleting_the_meeting_keeps_the_figure(published_meeting):
    value = make_value(source_meeting=published_meeting)
    published_meeting.delete()
    value.refresh_from_db()
    assert value.source_meeting is None


# Public detail and CSV ----------------------------------------------------------------


def test_detail_links_a_published_source_meeting(client, published_meeting):
    indicator = make_indicator(code="grdp")
    make_value(indicator=indicator, source_meeting=published_meeting, source_text="Báo cáo")
    html = client.get(indicator.get_absolute_url()).content.decode()
    assert (
        f'<a href="{published_meeting.get_absolute_url()}">Hội nghị lần thứ 23 (công bố)</a>'
        in html
    )


def test_detail_neither_links_nor_names_a_draft_meeting(client, draft_meeting):
    indicator = make_indicator(code="grdp")
    make_value(indicator=indicator, source_meeting=draft_meeting, source_text="Báo cáo")
    html = client.get(indicator.get_absolute_url()).content.decode()
    assert "Hội nghị nháp bí mật" not in html
    assert draft_meeting.get_absolute_url() not in html
    assert "Báo cáo" in html


def test_csv_names_only_published_meetings_and_still_reimports(
    client, published_meeting, draft_meeting
):
    indicator = make_indicator(code="grdp")
    make_value(indicator=indicator, value=Decimal("7.63"), source_meeting=published_meeting)
    make_value(
        indicator=indicator,
        kind=ValueKind.SCENARIO,
        value=Decimal("7.59"),
        source_meeting=draft_meeting,
    )
    content = client.get(indicator.get_csv_url()).content
    rows = list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))
    by_kind = {row["value_kind"]: row["source_meeting"] for row in rows}
    assert by_kind == {"actual": "Hội nghị lần thứ 23 (công bố)", "scenario": ""}
    # The column is informative: the download imports back unchanged, meetings kept.
    result = import_values(content=content)
    assert result.ok and result.unchanged == 2
    assert Value.objects.filter(source_meeting=published_meeting).count() == 1


# Admin --------------------------------------------------------------------------------


@pytest.fixture
def editor(client):
    user = make_staff(
        "indicators.view_indicator",
        "indicators.change_indicator",
        "indicators.view_value",
        "indicators.change_value",
        "indicators.view_period",
        "meetings.view_meeting",
    )
    client.force_login(user)
    return user


def test_admin_forms_choose_the_meeting_by_autocomplete(client, editor, published_meeting):
    draft = make_indicator(status=PublicationStatus.DRAFT)  # editors change drafts
    value = make_value(indicator=draft, source_meeting=published_meeting)
    html = client.get(reverse("admin:indicators_value_change", args=[value.pk])).content.decode()
    assert 'name="source_meeting"' in html and "admin-autocomplete" in html
    assert "Hội nghị lần thứ 23 (công bố)" in html  # the chosen meeting's label
    inline = client.get(
        reverse("admin:indicators_indicator_change", args=[value.indicator.pk])
    ).content.decode()
    assert 'name="values-0-source_meeting"' in inline
    found = client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "indicators",
            "model_name": "value",
            "field_name": "source_meeting",
            "term": "lần thứ 23",
        },
    ).json()
    assert [r["text"] for r in found["results"]] == ["Hội nghị lần thứ 23 (công bố)"]


def test_admin_saves_a_source_meeting(client, editor, published_meeting):
    draft = make_indicator(status=PublicationStatus.DRAFT)  # editors change drafts
    value = make_value(indicator=draft, value=Decimal("7.63"))
    url = reverse("admin:indicators_value_change", args=[value.pk])
    data = {
        "indicator": value.indicator.pk,
        "period": value.period.pk,
        "kind": value.kind,
        "value": "7.63",
        "vintage": "",
        "source_document": "",
        "source_meeting": published_meeting.pk,
        "source_text": "",
        "note": "",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    value.refresh_from_db()
    assert value.source_meeting == published_meeting


def test_value_changelist_budget_with_meetings(client, editor, django_assert_max_num_queries):
    for n in range(6):
        make_value(source_meeting=make_meeting(title=f"Hội nghị {n}"))
    with django_assert_max_num_queries(12):
        response = client.get(reverse("admin:indicators_value_changelist"))
    assert "Hội nghị 5" in response.content.decode()


# Demo ---------------------------------------------------------------------------------


def _counts():
    return (
        Value.objects.count(),
        Value.history.count(),
        Indicator.history.count(),
        Value.objects.filter(source_meeting__isnull=False).count(),
    )


def test_demo_cites_the_23rd_conference_idempotently():
    portal_demo.load()
    meetings_demo.load()
    conference = Meeting.objects.get(term__body__code="BCHTU", term__ordinal="XVII", number=23)
    demo.load()
    assert set(Value.objects.values_list("source_meeting", flat=True)) == {conference.pk}
    before = _counts()
    demo.load()
    assert _counts() == before


def test_demo_without_meetings_leaves_the_meeting_empty():
    portal_demo.load()
    demo.load()
    assert not Value.objects.filter(source_meeting__isnull=False).exists()
