import datetime
from decimal import Decimal

import pytest

from .factories import make_project, make_update

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_list_fits_a_360px_phone_and_every_bar_has_text(live_server, page):
    for i in range(4):
        project = make_project(
            name=f"Tuyến đường sắt đô thị Metro số {i}, đoạn Nam Thăng Long – Trần Hưng Đạo",
            is_key=True,
            planned_start=datetime.date(2024, 1, 1),
            planned_finish=datetime.date(2030, 1, 1),
        )
        make_update(project, date=datetime.date(2025, 6, 30), physical_percent=Decimal("37.5"))
    make_project(name="Các dự án nhà máy xử lý nước thải")
    page.set_viewport_size({"width": 360, "height": 800})

    page.goto(f"{live_server.url}/projects/")

    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
    bars = page.locator(".progress")
    assert bars.count() == 5
    texts = [bars.nth(i).inner_text().strip() for i in range(bars.count())]
    assert texts.count("Hoàn thành 37,5% (30/06/2025)") == 4
    assert "Khối lượng: chưa có số liệu" in texts
    for i in range(bars.count()):
        assert bars.nth(i).locator(".progress__text").is_visible()
