"""Demo figures: every figure the news report of the 23rd conference of the Hanoi City Party
Executive Committee (term XVII) gives, and nothing else.

Growth figures are growth rates against the same period of the previous year, so each is
its own indicator in % (GRDP grew 7.63%: the indicator "GRDP growth" has the value 7.63).
Where the report gives no number ("FDI more than twice the same period") the number stays
empty and the note quotes the report. Each figure's source is the report presented at the
conference (linked when the documents demo has it) and the conference itself (linked when
the meetings demo has loaded it, looked up by body, term and number; skipped otherwise).
"""

import datetime
from decimal import Decimal

from documents.demo import demo_document
from meetings.models import Meeting
from portal.demo import ensure, is_demo, made_by_demo
from portal.publication import PublicationStatus

from .models import Category, Indicator, Period, Unit, Value, ValueKind
from .periods import PeriodKind
from .verdicts import Direction

SOURCE_TEXT = "Báo cáo tại Hội nghị lần thứ 23 Ban Chấp hành Đảng bộ Thành phố khóa XVII"
ECONOMY_REPORT = (
    "Báo cáo tình hình thực hiện nhiệm vụ phát triển kinh tế - xã hội, an ninh - quốc phòng "
    "6 tháng đầu năm, nhiệm vụ trọng tâm 6 tháng cuối năm 2025 của Thành phố"
)
PARTY_REPORT = (
    "Báo cáo kết quả thực hiện công tác xây dựng Đảng, xây dựng hệ thống chính trị 6 tháng "
    "đầu năm, phương hướng, nhiệm vụ trọng tâm 6 tháng cuối năm 2025"
)

H1 = "h1"
Q2 = "q2"
PERIODS = {
    H1: (PeriodKind.HALF_YEAR, datetime.date(2025, 1, 1), datetime.date(2025, 6, 30)),
    Q2: (PeriodKind.QUARTER, datetime.date(2025, 4, 1), datetime.date(2025, 6, 30)),
}

SINCE_REPORT = "Kết quả đến thời điểm báo cáo tại Hội nghị lần thứ 23."

# code: (name, unit, category, direction, headline, definition)
INDICATORS = {
    "grdp-growth": (
        "Tăng trưởng GRDP",
        Unit.PERCENT_CHANGE,
        Category.GROWTH,
        Direction.HIGHER_IS_BETTER,
        True,
        "Tốc độ tăng tổng sản phẩm trên địa bàn (GRDP) so với cùng kỳ năm trước, tính bằng %.",
    ),
    "construction-growth": (
        "Tăng trưởng ngành xây dựng",
        Unit.PERCENT_CHANGE,
        Category.CONSTRUCTION,
        Direction.HIGHER_IS_BETTER,
        True,
        "Tốc độ tăng giá trị tăng thêm của ngành xây dựng so với cùng kỳ năm trước, tính bằng %.",
    ),
    "iip-growth": (
        "Chỉ số sản xuất công nghiệp (IIP): mức tăng",
        Unit.PERCENT_CHANGE,
        Category.INDUSTRY,
        Direction.HIGHER_IS_BETTER,
        False,
        "Mức tăng chỉ số sản xuất công nghiệp (IIP) so với cùng kỳ năm trước, tính bằng %.",
    ),
    "budget-revenue-growth": (
        "Thu ngân sách nhà nước trên địa bàn: mức tăng",
        Unit.PERCENT_CHANGE,
        Category.BUDGET,
        Direction.HIGHER_IS_BETTER,
        True,
        "Mức tăng tổng thu ngân sách nhà nước trên địa bàn so với cùng kỳ năm trước, tính bằng %.",
    ),
    "budget-revenue": (
        "Thu ngân sách nhà nước trên địa bàn",
        Unit.BILLION_VND,
        Category.BUDGET,
        Direction.HIGHER_IS_BETTER,
        False,
        "Tổng thu ngân sách nhà nước trên địa bàn Thành phố. Tỷ lệ “đạt % dự toán năm” là số "
        "thu lũy kế của kỳ chia cho dự toán cả năm.",
    ),
    "local-spending-growth": (
        "Chi ngân sách địa phương: mức tăng",
        Unit.PERCENT_CHANGE,
        Category.BUDGET,
        Direction.HIGHER_IS_BETTER,
        False,
        "Mức tăng tổng chi ngân sách địa phương so với cùng kỳ năm trước, tính bằng %.",
    ),
    "local-spending": (
        "Chi ngân sách địa phương",
        Unit.BILLION_VND,
        Category.BUDGET,
        Direction.HIGHER_IS_BETTER,
        False,
        "Tổng chi ngân sách địa phương. Tỷ lệ “đạt % dự toán năm” là số chi lũy kế của kỳ chia "
        "cho dự toán cả năm.",
    ),
    "export-growth": (
        "Kim ngạch xuất khẩu: mức tăng",
        Unit.PERCENT_CHANGE,
        Category.TRADE,
        Direction.HIGHER_IS_BETTER,
        True,
        "Mức tăng kim ngạch xuất khẩu so với cùng kỳ năm trước, tính bằng %.",
    ),
    "fdi-attracted-ratio": (
        "Vốn FDI thu hút so với cùng kỳ",
        Unit.RATIO,
        Category.INVESTMENT,
        Direction.HIGHER_IS_BETTER,
        False,
        "Vốn đầu tư trực tiếp nước ngoài (FDI) thu hút được trong kỳ chia cho vốn thu hút "
        "được cùng kỳ năm trước (số lần).",
    ),
    "dti-rank-change": (
        "Chỉ số chuyển đổi số cấp tỉnh (DTI): số bậc tăng từ năm 2021",
        Unit.PLACES,
        Category.DIGITAL,
        Direction.HIGHER_IS_BETTER,
        False,
        "Số bậc xếp hạng chỉ số chuyển đổi số cấp tỉnh (DTI) của Hà Nội tăng lên so với năm "
        "2021 (số dương: tăng hạng).",
    ),
    "party-subcommittee-congresses": (
        "Đảng bộ bộ phận đã tổ chức đại hội",
        Unit.COUNT,
        Category.PARTY_BUILDING,
        Direction.HIGHER_IS_BETTER,
        False,
        "Số đảng bộ bộ phận đã tổ chức đại hội nhiệm kỳ 2025-2030; kế hoạch là tổng số đảng "
        "bộ bộ phận phải tổ chức đại hội.",
    ),
    "party-cell-congresses": (
        "Chi bộ đã tổ chức đại hội",
        Unit.COUNT,
        Category.PARTY_BUILDING,
        Direction.HIGHER_IS_BETTER,
        False,
        "Số chi bộ đã tổ chức đại hội nhiệm kỳ 2025-2030; kế hoạch là tổng số chi bộ phải tổ "
        "chức đại hội.",
    ),
    "party-grassroots-congresses": (
        "Tổ chức cơ sở Đảng đã tổ chức đại hội",
        Unit.COUNT,
        Category.PARTY_BUILDING,
        Direction.HIGHER_IS_BETTER,
        False,
        "Số chi bộ, đảng bộ cơ sở đã tổ chức đại hội nhiệm kỳ 2025-2030; kế hoạch là tổng số "
        "tổ chức cơ sở Đảng phải tổ chức đại hội.",
    ),
    "party-grassroots-congresses-share": (
        "Tỷ lệ tổ chức cơ sở Đảng đã tổ chức đại hội",
        Unit.PERCENT,
        Category.PARTY_BUILDING,
        Direction.HIGHER_IS_BETTER,
        False,
        "Số chi bộ, đảng bộ cơ sở đã tổ chức đại hội chia cho tổng số tổ chức cơ sở Đảng phải "
        "tổ chức đại hội, tính bằng %.",
    ),
}

# Decimals shown, as the report writes the figures (11,0% keeps its zero).
DECIMALS = {
    "grdp-growth": 2,
    "construction-growth": 2,
    "iip-growth": 1,
    "budget-revenue-growth": 1,
    "local-spending-growth": 1,
    "export-growth": 1,
    "party-grassroots-congresses-share": 1,
}

ECONOMY = "economy"
PARTY = "party"

# (indicator code, period, value kind, number or None, note, report)
VALUES = [
    ("grdp-growth", H1, ValueKind.ACTUAL, "7.63", "", ECONOMY),
    ("grdp-growth", H1, ValueKind.SCENARIO, "7.59", "", ECONOMY),
    ("grdp-growth", Q2, ValueKind.ACTUAL, "7.56", "", ECONOMY),
    ("grdp-growth", Q2, ValueKind.SCENARIO, "7.93", "", ECONOMY),
    (
        "construction-growth",
        H1,
        ValueKind.ACTUAL,
        "6.81",
        "Bài báo nêu số này cùng đoạn với kết quả 6 tháng, không ghi rõ kỳ: “tăng trưởng ngành "
        "xây dựng thấp hơn khá nhiều kịch bản (6,81% so với 8,05%)”.",
        ECONOMY,
    ),
    ("construction-growth", H1, ValueKind.SCENARIO, "8.05", "", ECONOMY),
    (
        "iip-growth",
        H1,
        ValueKind.ACTUAL,
        "5.9",
        "“Chỉ số sản xuất công nghiệp (IIP) tăng 5,9% - còn chưa tương xứng với tiềm năng.”",
        ECONOMY,
    ),
    ("budget-revenue-growth", H1, ValueKind.ACTUAL, "51.4", "", ECONOMY),
    ("budget-revenue", H1, ValueKind.PERCENT_OF_ESTIMATE, "77.6", "", ECONOMY),
    ("local-spending-growth", H1, ValueKind.ACTUAL, "50.6", "", ECONOMY),
    ("local-spending", H1, ValueKind.PERCENT_OF_ESTIMATE, "40.3", "", ECONOMY),
    ("export-growth", H1, ValueKind.ACTUAL, "12.5", "", ECONOMY),
    ("export-growth", H1, ValueKind.SAME_PERIOD_LAST_YEAR, "11.0", "", ECONOMY),
    (
        "fdi-attracted-ratio",
        H1,
        ValueKind.ACTUAL,
        None,
        "Báo cáo không nêu con số cụ thể: thu hút FDI “tăng hơn 2 lần so với cùng kỳ, đứng đầu "
        "cả nước”.",
        ECONOMY,
    ),
    (
        "dti-rank-change",
        H1,
        ValueKind.ACTUAL,
        "19",
        "DTI của Hà Nội tăng liên tục 3 năm, tăng 19 bậc từ năm 2021 đến nay (theo báo cáo "
        "6 tháng đầu năm 2025).",
        ECONOMY,
    ),
    ("party-subcommittee-congresses", H1, ValueKind.ACTUAL, "186", SINCE_REPORT, PARTY),
    ("party-subcommittee-congresses", H1, ValueKind.TARGET, "186", "", PARTY),
    ("party-cell-congresses", H1, ValueKind.ACTUAL, "16765", SINCE_REPORT, PARTY),
    ("party-cell-congresses", H1, ValueKind.TARGET, "16765", "", PARTY),
    ("party-grassroots-congresses", H1, ValueKind.ACTUAL, "1221", SINCE_REPORT, PARTY),
    ("party-grassroots-congresses", H1, ValueKind.TARGET, "1238", "", PARTY),
    (
        "party-grassroots-congresses-share",
        H1,
        ValueKind.ACTUAL,
        "98.7",
        "1.221/1.238 chi, đảng bộ cơ sở đã tổ chức đại hội. " + SINCE_REPORT,
        PARTY,
    ),
]


def load() -> dict:
    periods = {
        key: ensure(Period, {"kind": kind, "start": start, "end": end})
        for key, (kind, start, end) in PERIODS.items()
    }
    reports = {
        ECONOMY: demo_document(title=ECONOMY_REPORT),
        PARTY: demo_document(title=PARTY_REPORT),
    }
    # The 23rd conference, by the meetings demo's natural key (body, term, number).
    meeting = (
        made_by_demo(
            Meeting.objects.filter(term__body__code="BCHTU", term__ordinal="XVII", number=23)
        )
        .order_by("pk")
        .first()
    )
    indicators = {}
    for order, (code, (name, unit, category, direction, headline, definition)) in enumerate(
        INDICATORS.items()
    ):
        indicators[code] = ensure(
            Indicator,
            {"code": code},
            {
                "name": name,
                "unit": unit,
                "category": category,
                "direction": direction,
                "is_headline": headline,
                "decimals": DECIMALS.get(code),
                "definition": definition,
                "order": order,
                "status": PublicationStatus.PUBLISHED,
            },
        )
    own = {code: indicator for code, indicator in indicators.items() if is_demo(indicator)}
    values = 0
    for code, period, kind, number, note, report in VALUES:
        if code not in own:
            continue  # an indicator the demo did not create gets no figures from it
        values += 1
        ensure(
            Value,
            {"indicator": indicators[code], "period": periods[period], "kind": kind},
            {
                "value": Decimal(number) if number is not None else None,
                "source_document": reports[report],
                "source_meeting": meeting,
                "source_text": SOURCE_TEXT,
                "note": note,
            },
        )
    skipped = [
        f"{indicator.name} ({code})" for code, indicator in indicators.items() if code not in own
    ]
    return {
        "periods": len(periods),
        "indicators": len(own),
        "values": values,
    } | ({"skipped": skipped} if skipped else {})
