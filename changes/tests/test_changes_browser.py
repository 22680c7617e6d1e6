"""`/changes/` and a record's "Lịch sử thay đổi" on a 360 px phone without JavaScript:
nothing off-screen, the filter works by its form alone, axe-core finds no violation."""

import pytest
from django.urls import reverse

from changes import log
from documents.tests.factories import make_document, organization
from portal.tests.axe import axe_context, violations
from portal.tests.test_phone_accessibility_browser import PHONE, WIDER_THAN_SCREEN
from projects.tests.factories import make_project

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LONG_NOTE = (
    "Điều chỉnh trích yếu theo bản chính đã ký: bổ sung cụm từ “tầm nhìn đến năm 2045” và "
    "sửa ngày ban hành từ 12/6/2025 thành 13/6/2025 theo Công văn số 2237/UBND-KTTH."
)


def test_changes_on_a_phone_without_javascript(browser, live_server):
    plan = make_document(
        number="341-KH/TU",
        issuer=organization("TU", name="Ban Chấp hành Đảng bộ thành phố Hà Nội khóa XVII"),
        title="Kế hoạch thực hiện Nghị quyết số 15-NQ/TW về phương hướng, nhiệm vụ phát "
        "triển Thủ đô Hà Nội đến năm 2030, tầm nhìn đến năm 2045",
    )
    project = make_project(
        name="Dự án đầu tư xây dựng đường Vành đai 4 – Vùng Thủ đô Hà Nội", slug="vanh-dai-4"
    )
    for record in (plan, project):
        log.published(record)
        log.changed(record, ["title", "issued_on", "name", "planned_finish"], LONG_NOTE)
    context = browser.new_context(viewport=PHONE, java_script_enabled=False, locale="vi-VN")
    page = context.new_page()

    page.goto(live_server.url + reverse("changes:list"))
    page.select_option("#id_kind", "project")
    page.click("form.filters button[type=submit]")

    assert "kind=project" in page.url
    titles = page.locator(".change-list__title").all_inner_texts()
    assert titles == [project.name, project.name]
    assert LONG_NOTE in page.inner_text("main")

    page.goto(live_server.url + plan.get_absolute_url())
    history = page.inner_text("#lich-su-thay-doi")
    assert "Cập nhật lần cuối:" in history and LONG_NOTE in history
    assert "trích yếu, ngày ban hành" in history
    context.close()

    # axe-core and the measurement are scripts themselves: a context that runs them.
    context = axe_context(browser, viewport=PHONE, locale="vi-VN")
    page = context.new_page()
    for url in (reverse("changes:list"), plan.get_absolute_url()):
        page.goto(live_server.url + url)
        assert page.evaluate(WIDER_THAN_SCREEN) == [], url
        found = violations(page)
        assert found == [], (url, [v["id"] for v in found])
    context.close()
