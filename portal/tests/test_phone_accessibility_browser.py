"""The record pages with wide tables (an indicator's figures, a project's progress, a
meeting's tallies) on a 360 px phone, in both languages, checked by axe-core: no column
off-screen, nothing the keyboard cannot reach, headers that wrap between words."""

import datetime
import importlib
from decimal import Decimal

import pytest
from django.apps import apps
from django.conf import settings

from documents.tests.factories import make_document
from indicators.models import Unit, ValueKind, Vintage
from indicators.tests.factories import make_indicator, make_value, quarter
from meetings import demo as meetings_demo
from meetings.models import Meeting
from meetings.tests.factories import make_vote
from portal import demo as portal_demo
from projects.tests.factories import make_milestone, make_project, make_update

from .axe import axe_context, report, violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 800}
# The elements reaching past the right edge of the screen (the innermost ones). A map's
# tiles and labels run past it inside the map, which clips them (overflow: hidden): the
# map itself counts, not what it holds.
WIDER_THAN_SCREEN = """() => {
  const past = (el) => el.getBoundingClientRect().right > document.documentElement.clientWidth;
  const map = (el) => el.matches(".leaflet-container");
  return [...document.body.querySelectorAll("*")]
    .filter((el) => !el.parentElement.closest(".leaflet-container"))
    .filter((el) => past(el) && (map(el) || ![...el.children].some(past)))
    .map((el) => `${el.tagName} ${el.className}: ${el.textContent.trim().slice(0, 60)}`);
}"""
# Words of a header cell cut in two: a line box that ends inside a word.
HEADERS_SPLIT_MID_WORD = """() => {
  const split = [];
  for (const cell of document.querySelectorAll("th")) {
    const text = cell.innerText.trim();
    // Skip empty cells and the column headers a stacked table hides on a phone.
    if (!text || cell.getBoundingClientRect().width < 20) continue;
    const range = document.createRange();
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    let previousTop = null;
    while (walker.nextNode()) {
      const node = walker.currentNode;
      for (let i = 0; i < node.length; i++) {
        range.setStart(node, i);
        range.setEnd(node, i + 1);
        const rect = range.getBoundingClientRect();
        if (!rect.width) continue;
        const char = node.data[i];
        const inWord = i > 0 && /\\S/.test(node.data[i - 1]) && /\\S/.test(char);
        if (previousTop !== null && rect.top > previousTop + 2 && inWord) {
          split.push(text);
        }
        previousTop = rect.top;
      }
    }
  }
  return split;
}"""


@pytest.fixture
def records():
    """Pages as a city fills them: long Vietnamese names, many rows, every column used."""
    portal_demo.load()
    meetings_demo.load()
    meeting = Meeting.objects.get()
    item = meeting.agenda_items.get(order="2")
    make_vote(
        meeting,
        agenda_item=item,
        question="Thông qua Đề án phân bổ số lượng đại biểu dự Đại hội Đảng bộ Thành phố "
        "lần thứ XVIII cho các đảng bộ trực thuộc",
        votes_for=71,
        votes_against=2,
        abstentions=1,
        present=74,
        total=75,
        pass_rule="majority_members",
    )

    indicator = make_indicator(
        code="grdp-growth",
        name="Tổng sản phẩm trên địa bàn (GRDP) theo giá so sánh 2010: tốc độ tăng so với "
        "cùng kỳ năm trước",
        unit=Unit.PERCENT_CHANGE,
        definition="Tốc độ tăng tổng giá trị tăng thêm của các ngành kinh tế cộng thuế sản "
        "phẩm trừ trợ cấp sản phẩm.",
        source="Cục Thống kê Thành phố; báo cáo kinh tế - xã hội hằng quý của UBND Thành phố",
    )
    for year in (2023, 2024, 2025):
        for number in (1, 2, 3, 4):
            period = quarter(year, number)
            for kind, figure in (
                (ValueKind.ACTUAL, "7.56"),
                (ValueKind.TARGET, "8.00"),
                (ValueKind.SCENARIO, "7.93"),
                (ValueKind.SAME_PERIOD_LAST_YEAR, "6.21"),
            ):
                make_value(
                    indicator=indicator,
                    period=period,
                    kind=kind,
                    value=Decimal(figure) + number,
                    vintage=Vintage.PRELIMINARY if year == 2025 else "",
                    note="Số ước tính theo báo cáo nhanh, sẽ được Cục Thống kê điều chỉnh."
                    if kind == ValueKind.ACTUAL
                    else "",
                )

    project = make_project(
        name="Dự án đầu tư xây dựng đường Vành đai 4 – Vùng Thủ đô Hà Nội, dự án thành "
        "phần 1.1: bồi thường, hỗ trợ, tái định cư trên địa bàn Thành phố",
        planned_start=datetime.date(2023, 6, 1),
        planned_finish=datetime.date(2027, 6, 30),
        location="Các quận, huyện Sóc Sơn, Mê Linh, Đan Phượng, Hoài Đức, Quốc Oai",
    )
    for month in range(24):
        make_update(
            project,
            date=datetime.date(2023, 7, 1) + datetime.timedelta(days=30 * month),
            physical_percent=Decimal(3 * month + 1),
            disbursed_amount=Decimal(1_234_567_890_000 + month * 98_765_432_100),
            disbursed_percent=Decimal("2.5") * month,
            note="Đã bàn giao mặt bằng đợt tiếp theo; vướng mắc tái định cư ở xã Kim Chung",
        )
    make_milestone(
        project, name="Khởi công dự án thành phần 3", planned_on=datetime.date(2023, 6, 25)
    )
    importlib.import_module("documents.migrations.0002_document_types").load_types(apps, None)
    document = make_document(
        number="7799-QĐ/TU",
        title="Quyết định ban hành Quy chế làm việc của Ban Chấp hành Đảng bộ Thành phố khóa "
        "XVII, nhiệm kỳ 2020–2025 " * 2,
        summary="Căn cứ Điều lệ Đảng; căn cứ Quy định số 24-QĐ/TW ngày 30/7/2021. " * 4,
    )
    return {
        "document": document.get_absolute_url(),
        "meeting": meeting.get_absolute_url(),
        "indicator": indicator.get_absolute_url(),
        "project": project.get_absolute_url(),
    }


def open_page(browser, live_server, url, language):
    context = axe_context(browser, viewport=PHONE, locale="vi-VN")
    context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}]
    )
    page = context.new_page()
    page.goto(live_server.url + url)
    assert page.locator("html").get_attribute("lang") == language
    return context, page


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("kind", ["indicator", "project", "meeting", "document"])
def test_record_pages_pass_axe_on_a_phone(live_server, browser, records, kind, language):
    context, page = open_page(browser, live_server, records[kind], language)
    try:
        found = violations(page)
        assert found == [], report(found)
        assert page.evaluate(WIDER_THAN_SCREEN) == []
        assert page.evaluate(HEADERS_SPLIT_MID_WORD) == []
    finally:
        context.close()


@pytest.mark.parametrize(
    ("kind", "table", "columns"),
    [
        ("indicator", "table.indicator-table", ["Đánh giá", "Thực hiện", "Kế hoạch"]),
        ("project", "table.project-updates", ["Giải ngân", "Ghi chú, nguồn"]),
        ("meeting", "table.vote__tally", ["Không tán thành", "Tổng số"]),
    ],
)
def test_every_column_is_on_screen_on_a_phone(live_server, browser, records, kind, table, columns):
    """The verdict, disbursement and notes are read without scrolling sideways: each row
    is a block whose cells name their column."""
    context, page = open_page(browser, live_server, records[kind], "vi")
    try:
        for column in columns:
            cell = page.locator(f'{table} td[data-label="{column}"]').first
            cell.scroll_into_view_if_needed()
            box = cell.bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], column
            label = cell.evaluate("el => getComputedStyle(el, '::before').content")
            assert column in label
    finally:
        context.close()


def test_documents_list_shows_results_first_on_a_phone(live_server, browser):
    """The filters wait behind a disclosure naming those in use; the first results are on
    the first screen, in padded cards; the four sections sit in two even rows."""
    importlib.import_module("documents.migrations.0002_document_types").load_types(apps, None)
    for n in range(30):
        make_document(
            number=f"{400 + n}-KH/TU",
            title="Kế hoạch thực hiện Nghị quyết số 18-NQ/TW về tiếp tục đổi mới, sắp xếp tổ "
            f"chức bộ máy của hệ thống chính trị tinh gọn, hoạt động hiệu lực, hiệu quả ({n})",
        )
    context = axe_context(browser, viewport=PHONE, locale="vi-VN")
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/documents/?year=2025&system=party")
        box = page.locator("details.filter-box")
        assert box.get_attribute("open") is None
        assert box.locator("summary").inner_text() == "Lọc thêm · Hệ thống · Năm ban hành"
        assert not page.locator("#id_issuer").is_visible()
        first = page.locator(".document-list > li").first
        assert first.bounding_box()["y"] + 80 < PHONE["height"]
        padding = first.evaluate("el => parseFloat(getComputedStyle(el).paddingLeft)")
        assert padding >= 12
        assert page.evaluate(WIDER_THAN_SCREEN) == []

        box.locator("summary").click()
        assert page.locator("#id_issuer").is_visible()

        links = page.locator(".site-nav ul a")
        tops = [round(links.nth(i).bounding_box()["y"]) for i in range(4)]
        assert tops[0] == tops[1] < tops[2] == tops[3]
        found = violations(page)
        assert found == [], report(found)
    finally:
        context.close()
