"""The sample's public change log (`manage.py load_sample`, `portal/sample.py`): what a
publisher would have left over the sample year, written through the log's own functions
(`changes/log.py`) and dated when it would have happened — each sample record's
publication, the quarterly approvals of projects' progress and of indicators' figures,
the approval of projects' changes, and a few corrections with the publisher's note.

Runs after every other area's sample. A record that has any row in the log already is
left alone, so a second run writes nothing; `portal.sample.remove` takes a removed
record's rows with it.
"""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from django.utils.formats import date_format

from documents.models import Document
from indicators.models import Indicator, Value, ValueKind, Vintage
from meetings.models import Meeting
from portal import sample
from projects.models import ProgressUpdate, Project, ProjectChange

from . import log
from .models import PublicChange

YEAR = 2026
# When the sample's records went public, if not by their own date (a document's issue, a
# meeting's day): indicators first, then projects, a few days apart.
FIRST_INDICATOR = datetime.date(YEAR, 1, 6)
FIRST_PROJECT = datetime.date(YEAR, 1, 12)
QUARTER_ENDS = [datetime.date(YEAR, 3, 31), datetime.date(YEAR, 6, 30), datetime.date(YEAR, 9, 30)]

# (project or indicator code, fields, note, date): corrections a publisher explained.
NOTED = [
    (
        "MAU-TRUC-01",
        ["geometry", "location"],
        "Bổ sung hướng tuyến trên bản đồ và tên các xã theo hồ sơ thiết kế cơ sở được duyệt.",
        datetime.date(YEAR, 4, 9),
    ),
    (
        "MAU-SONG-08",
        ["description"],
        "Sửa mô tả: đoạn cải tạo kết thúc tại đập Thanh Liệt, không phải cầu Dậu như đã ghi.",
        datetime.date(YEAR, 7, 2),
    ),
    (
        "ho-so-truc-tuyen-mau",
        ["definition"],
        "Làm rõ cách tính: chỉ tính hồ sơ được tiếp nhận và trả kết quả trực tuyến toàn "
        "trình, không tính hồ sơ nộp trực tuyến một phần.",
        datetime.date(YEAR, 5, 14),
    ),
]


def _at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _logged(model) -> set[int]:
    content_type = ContentType.objects.get_for_model(model)
    return set(
        PublicChange.objects.filter(content_type=content_type).values_list("object_id", flat=True)
    )


def _new(queryset):
    """The sample's public records of `queryset` that the log holds nothing about yet."""
    logged = _logged(queryset.model)
    return [r for r in sample.made_by_sample(queryset.order_by("pk")) if r.pk not in logged]


def load() -> dict:
    indicators = _new(Indicator.objects.published())
    projects = _new(Project.objects.published())
    dated: list[tuple[PublicChange | None, datetime.datetime]] = [
        *_documents(_new(Document.objects.published().public())),
        *_meetings(_new(Meeting.objects.published())),
        *_indicators(indicators),
        *_projects(projects),
    ]
    for code, fields, note, day in NOTED:
        record = next((r for r in [*indicators, *projects] if r.code == code), None)
        if record is not None:
            dated.append((log.changed(record, fields, note), _at(day, 15)))
    rows = []
    for row, at in dated:
        if row is not None:
            row.at = at
            rows.append(row)
    PublicChange.objects.bulk_update(rows, ["at"], batch_size=500)
    return {"public changes": len(rows)}


def _documents(documents: list[Document]) -> list:
    dated = []
    for document in documents:
        day = document.issued_on or FIRST_PROJECT
        dated.append((log.published(document), _at(day + datetime.timedelta(days=2), 9)))
    # Two corrections, explained.
    for document, fields, note in zip(
        documents[10::120],
        [["summary"], ["effective_on"]],
        [
            "Sửa lỗi chính tả trong phần tóm tắt.",
            "Bổ sung ngày có hiệu lực theo bản gốc lưu tại Văn phòng.",
        ],
        strict=False,
    ):
        day = (document.issued_on or FIRST_PROJECT) + datetime.timedelta(days=9)
        dated.append((log.changed(document, fields, note), _at(day, 15)))
    return dated


def _meetings(meetings: list[Meeting]) -> list:
    dated = []
    for meeting in meetings:
        day = meeting.date or FIRST_PROJECT
        dated.append((log.published(meeting), _at(day + datetime.timedelta(days=1), 16)))
    return dated


def _indicators(indicators: list[Indicator]) -> list:
    dated = []
    for order, indicator in enumerate(indicators):
        published = FIRST_INDICATOR + datetime.timedelta(days=order)
        dated.append((log.published(indicator), _at(published, 9)))
        # Each quarter's preliminary figure, approved the day after its release.
        released = Value.objects.filter(
            indicator=indicator, kind=ValueKind.ACTUAL, released_on__gt=published
        ).values_list("released_on", flat=True)
        for day in sorted(set(released)):
            dated.append(
                (log.children_changed(indicator, [Value]), _at(day + datetime.timedelta(1)))
            )
        dated += _revisions(indicator, published)
    return dated


def _revisions(indicator, published: datetime.date) -> list:
    """An official figure that replaced a preliminary one on the other side of the target:
    the publisher says so."""
    dated = []
    officials = Value.objects.filter(
        indicator=indicator,
        kind=ValueKind.ACTUAL,
        vintage=Vintage.OFFICIAL,
        released_on__gt=published,
        period__kind="quarter",
    ).select_related("period")
    for official in officials:
        preliminary = Value.objects.filter(
            indicator=indicator,
            period=official.period,
            kind=ValueKind.ACTUAL,
            vintage=Vintage.PRELIMINARY,
        ).first()
        target = Value.objects.filter(
            indicator=indicator, period=official.period, kind=ValueKind.TARGET
        ).first()
        if preliminary is None or target is None:
            continue
        if (preliminary.value < target.value) == (official.value < target.value):
            continue
        note = (
            f"Cập nhật số liệu chính thức của Cục Thống kê cho kỳ "
            f"{date_format(official.period.start, 'm/Y')}–"
            f"{date_format(official.period.end, 'm/Y')}: {official.value}, thay số sơ bộ "
            f"{preliminary.value}; kết quả so với kế hoạch thay đổi theo số chính thức."
        )
        row = log.changed(indicator, [Value._meta.label_lower], note)
        dated.append((row, _at(official.released_on + datetime.timedelta(days=1), 14)))
    return dated


def _projects(projects: list[Project]) -> list:
    dated = []
    for order, project in enumerate(projects):
        published = FIRST_PROJECT + datetime.timedelta(days=3 * order)
        dated.append((log.published(project), _at(published, 11)))
        # The progress reports of each quarter, approved on the 12th of the next month.
        for end in QUARTER_ENDS:
            if ProgressUpdate.objects.filter(project=project, date=end).exists():
                row = log.children_changed(project, [ProgressUpdate])
                dated.append((row, _at(end + datetime.timedelta(days=12))))
        # A change decided after the publication: approved with a note naming the decision.
        for change in project.changes.filter(decided_on__gt=published).select_related("document"):
            note = (
                f"Cập nhật điều chỉnh dự án theo Quyết định số {change.document.number} ngày "
                f"{date_format(change.decided_on, 'd/m/Y')} của UBND Thành phố."
                if change.document
                else "Cập nhật điều chỉnh dự án."
            )
            row = log.changed(project, [ProjectChange._meta.label_lower], note)
            dated.append((row, _at(change.decided_on + datetime.timedelta(days=4), 15)))
    return dated
