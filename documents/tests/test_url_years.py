"""A document without an issue date is filed under the year of the first meeting that
considered it, else the year it was entered (`documents/url_years.py`); when that year
changes, its old address redirects to the new one."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from documents.models import Document
from documents.url_years import refresh_url_years, url_year
from meetings.models import Meeting
from meetings.tests.factories import make_item, make_meeting
from portal.publication import PublicationStatus
from portal.tests.admin_forms import make_publisher, read_form

from .factories import make_document

D = datetime.date


@pytest.mark.parametrize(
    ("issued_on", "number_year", "first_meeting", "expected"),
    [
        (D(2025, 11, 15), None, D(2026, 1, 10), 2025),  # the issue date wins
        (None, 2020, D(2026, 1, 10), 2020),  # then the year printed in the number
        (None, None, D(2021, 3, 4), 2021),  # then the first meeting that considered it
        (None, None, None, 2024),  # else the year it was entered
    ],
)
def test_the_year_a_document_is_filed_under(issued_on, number_year, first_meeting, expected):
    entered = D(2024, 12, 31)
    year = url_year(
        issued_on=issued_on, number_year=number_year, first_meeting=first_meeting, entered=entered
    )
    assert year == expected


def _undated(**overrides) -> Document:
    values = {
        "number": "",
        "issued_on": None,
        "title": "Tờ trình về Đề án phân bổ số lượng đại biểu dự Đại hội Đảng bộ Thành phố "
        "lần thứ XVIII",
    }
    return make_document(**(values | overrides))


@pytest.mark.django_db
def test_an_undated_document_moves_to_its_first_meetings_year_and_back(client):
    document = _undated()
    this_year = timezone.localdate().year
    assert document.url_year == this_year
    old_address = document.get_absolute_url()

    make_item(make_meeting(date=D(2021, 3, 4)), title="Đề án").documents.add(document)
    make_item(make_meeting(date=D(2022, 5, 6)), title="Đề án, lần hai").documents.add(document)
    assert refresh_url_years([document.pk]) == 1
    document.refresh_from_db()
    assert document.url_year == 2021
    assert document.get_absolute_url().startswith("/documents/2021/")
    response = client.get(old_address)
    assert response.status_code == 301
    assert response["Location"] == document.get_absolute_url()
    assert client.get(document.get_absolute_url()).status_code == 200

    document.agenda_items.clear()
    assert refresh_url_years([document.pk]) == 1
    document.refresh_from_db()
    assert document.url_year == this_year  # the year it was entered


@pytest.mark.django_db
def test_dated_and_numbered_documents_stay_where_they_are():
    dated = make_document(issued_on=D(2025, 6, 12))
    normative = _undated(number="30/2020/NĐ-CP", title="Nghị định")
    meeting = make_meeting(date=D(2021, 3, 4))
    make_item(meeting).documents.add(dated, normative)
    assert refresh_url_years([dated.pk, normative.pk]) == 0
    assert Document.objects.get(pk=dated.pk).url_year == 2025
    assert Document.objects.get(pk=normative.pk).url_year == 2020


@pytest.mark.django_db
def test_putting_a_document_on_an_agenda_in_the_admin_files_it_under_the_meeting(client):
    document = _undated()
    old_address = document.get_absolute_url()
    meeting = make_meeting(date=D(2023, 9, 25), status=PublicationStatus.DRAFT)
    make_item(meeting, order="1", title="Đề án phân bổ đại biểu")
    client.force_login(make_publisher())
    url = reverse("admin:meetings_meeting_change", args=[meeting.pk])
    form = read_form(client, url, Meeting)

    response = client.post(url, form.data(**{"agenda_items-0-documents": [str(document.pk)]}))
    assert response.status_code == 302, response.context and response.context["errors"]
    document.refresh_from_db()
    assert document.url_year == 2023
    assert client.get(old_address)["Location"] == document.get_absolute_url()

    # The meeting moved to another date: the document follows it.
    form = read_form(client, url, Meeting)
    response = client.post(url, form.data(date="15/01/2024", change_note="Đổi ngày họp."))
    assert response.status_code == 302, response.context and response.context["errors"]
    document.refresh_from_db()
    assert document.url_year == 2024
    assert client.get(old_address)["Location"] == document.get_absolute_url()
