import datetime

import pytest

from portal import demo as portal_demo

from .. import demo
from ..models import Document
from ..status import InForce

pytestmark = pytest.mark.django_db


def test_demo_loads_the_article_facts_and_is_idempotent():
    portal_demo.load()
    assert demo.load() == {"documents": 13, "relations": 2}
    history = Document.history.count()
    assert demo.load() == {"documents": 13, "relations": 2}
    assert Document.history.count() == history
    assert Document.objects.count() == 13
    assert Document.objects.published().public().count() == 13
    facts = {
        d.display: (d.issued_on, d.issuer.code, d.document_type.name)
        for d in Document.objects.exclude(display="")
    }
    assert facts == {
        "09-QC/TU": (datetime.date(2023, 6, 22), "TU", "Quy chế"),
        "7799-QĐ/TU": (datetime.date(2024, 11, 14), "TU", "Quyết định"),
        "341-KH/TU": (datetime.date(2025, 6, 12), "BTVTU", "Kế hoạch"),
        "04/CTr-UBND": (datetime.date(2025, 2, 14), "UBND", "Chương trình"),
        "03/CT-UBND": (datetime.date(2025, 3, 14), "UBND", "Chỉ thị"),
        "04/CT-UBND": (datetime.date(2025, 3, 28), "UBND", "Chỉ thị"),
    }
    plan = Document.objects.get(display="341-KH/TU")
    assert "20/6" in plan.summary and "1/7/2025" in plan.summary
    for title in (
        "Tờ trình của Ban Thường vụ Thành ủy về phương hướng công tác nhân sự Đại hội Đảng bộ "
        "Thành phố lần thứ XVIII",
        "Điều chỉnh Kế hoạch kiểm tra, giám sát của Ban Chấp hành Đảng bộ Thành phố năm 2025",
        demo.DRAFT_AMENDMENTS,
    ):
        paper = Document.objects.get(title=title)
        assert paper.number == "" and paper.issued_on is None
        assert paper.standing().status == InForce.NOT_ISSUED
    assert not Document.objects.exclude(signer=None).exists()
    # The draft amendments are discussed, not issued: both documents stay in force.
    for number in ("09-QC/TU", "7799-QĐ/TU"):
        standing = Document.objects.get(display=number).standing()
        assert standing.status == InForce.IN_FORCE and standing.pending_change
