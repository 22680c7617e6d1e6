"""Every kind of public page, over the sample year (`manage.py load_sample`) and the demo,
in Vietnamese and English, on a 360 px phone and a 1280 px screen: axe-core finds no WCAG
2.2 AA violation, and on the phone nothing is wider than the screen.

One test loads the sample once and visits every case, reporting every failure together:
loading a year of records per case would make the run many minutes longer.
"""

import io
import urllib.parse

import pytest
from django.conf import settings
from django.core.management import call_command

from documents.models import Document
from indicators.models import Indicator
from meetings.models import Meeting
from portal import sample
from portal.models import Person
from projects.models import Project

from .axe import axe_context, report, violations
from .test_phone_accessibility_browser import WIDER_THAN_SCREEN

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = [360, 1280]
LANGUAGES = ["vi", "en"]


def in_language(context, live_server, language: str) -> None:
    """Make the context's pages answer in `language`: today the language switch's cookie,
    which the unprefixed addresses also follow once English has its `/en/` addresses."""
    context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}]
    )


def addresses() -> dict[str, str]:
    """One address of every kind of public page, showing the sample's records."""
    shown = Document.objects.published().public()
    document = (
        shown.filter(relations_out__isnull=False, relations_in__isnull=False).first()
        or shown.order_by("-issued_on").first()
    )
    numbers = "\n".join([document.display, "45-KH/TU", "9999/QĐ-UBND"])
    meeting = Meeting.objects.published().filter(votes__isnull=False).first()
    indicator = Indicator.objects.published().filter(code__endswith="-mau").first()
    project = Project.objects.published().filter(code__startswith="MAU-", is_key=True).first()
    person = Person.objects.get(full_name="Nguyễn Thị Phương Thảo")
    return {
        "home": "/",
        "documents": "/documents/",
        "document": document.get_absolute_url(),
        "lookup": "/documents/lookup/?" + urllib.parse.urlencode({"numbers": numbers}),
        "meetings": "/meetings/",
        "meeting": meeting.get_absolute_url(),
        "indicators": "/indicators/",
        "indicator": indicator.get_absolute_url(),
        "projects": "/projects/",
        "project": project.get_absolute_url(),
        "search": "/search/?q=v%C3%A0nh+%C4%91ai",
        "person": person.get_absolute_url(),
        "page": "/pages/gioi-thieu/",
        "404": "/khong-co-trang-nay/",
    }


def test_every_page_passes_axe_and_fits_a_phone(live_server, browser):
    call_command("load_demo", stdout=io.StringIO())
    call_command("load_sample", stdout=io.StringIO())
    pages = addresses()
    failures = []
    try:
        for width in WIDTHS:
            for language in LANGUAGES:
                context = axe_context(browser, viewport={"width": width, "height": 800})
                in_language(context, live_server, language)
                page = context.new_page()
                for kind, address in pages.items():
                    case = f"{kind} {language} {width}px {address}"
                    page.goto(live_server.url + address)
                    if page.locator("html").get_attribute("lang") != language:
                        failures.append(f"{case}: not in {language}")
                    if "Dữ liệu mẫu" not in page.content() and language == "vi":
                        failures.append(f"{case}: no sample banner")
                    found = violations(page)
                    if found:
                        failures.append(f"{case}:\n{report(found)}")
                    if width == 360 and (wide := page.evaluate(WIDER_THAN_SCREEN)):
                        failures.append(f"{case}: wider than the screen: {wide}")
                context.close()
    finally:
        sample.remember(False)
    assert not failures, "\n".join(failures)
