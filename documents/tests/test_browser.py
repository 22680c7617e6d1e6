import importlib

import pytest
from django.apps import apps

from .factories import make_document

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _document_types():
    """Live-server tests flush the database, types included: load them again as migration
    0002 does (serialized rollback would clash with the content types a flush recreates)."""
    importlib.import_module("documents.migrations.0002_document_types").load_types(apps, None)


def test_number_typed_loosely_in_the_header_search_leads_to_the_document(live_server, page):
    make_document(number="341-KH/TU", title="Kế hoạch vận hành thử nghiệm")
    make_document(number="34-KH/TU", title="Kế hoạch khác")
    page.goto(f"{live_server.url}/")
    page.fill("#site-search-q", "341 kh tu")
    page.press("#site-search-q", "Enter")
    # The header box searches the whole site; the exact number comes first, said so.
    page.wait_for_url(f"{live_server.url}/search/?q=341+kh+tu")
    exact = page.locator("section.search-exact")
    assert exact.get_by_role("heading").inner_text() == "Văn bản có số đúng như bạn tìm"
    exact.get_by_role("link", name="341-KH/TU").click()
    page.wait_for_url(f"{live_server.url}/documents/2025/341-kh-tu/")
    assert page.locator("h1").inner_text() == "Kế hoạch vận hành thử nghiệm"
    assert "341-KH/TU" in page.locator("table.facts").inner_text()


def test_detail_and_list_fit_a_360px_screen(live_server, browser):
    document = make_document(
        number="7799-QĐ/TU",
        title="Sửa đổi, bổ sung Quy chế làm việc số 09-QC/TU ngày 22/6/2023 " * 3,
        summary="Căn cứ Quyết định số 7799-QĐ/TU ngày 14/11/2024 của Thành ủy. " * 5,
    )
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="vi-VN")
    page = context.new_page()
    try:
        for url in (document.get_absolute_url(), "/documents/?q=qd"):
            page.goto(f"{live_server.url}{url}")
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= 360, (url, width)
    finally:
        context.close()
