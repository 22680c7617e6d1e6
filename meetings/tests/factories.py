"""Plain factory functions with overridable defaults."""

import datetime
import itertools

from documents.models import Document
from portal.models import Organization, Person, Position
from portal.publication import PublicationStatus

from ..models import AgendaItem, Meeting, MeetingParticipant, ParticipantRole, Term, Vote
from ..voting import VoteResult

_seq = itertools.count(1)


def make_organization(**kwargs) -> Organization:
    n = next(_seq)
    values = {"code": f"ORG{n}", "name": f"Cơ quan {n}", "kind": "party"}
    values.update(kwargs)
    return Organization.objects.get_or_create(code=values.pop("code"), defaults=values)[0]


def make_person(**kwargs) -> Person:
    values = {"full_name": f"Nguyễn Văn Số {next(_seq)}"}
    values.update(kwargs)
    return Person.objects.create(**values)


def make_position(person, **kwargs) -> Position:
    values = {"organization": make_organization(), "title": "Ủy viên"}
    values.update(kwargs)
    return Position.objects.create(person=person, **values)


def make_term(**kwargs) -> Term:
    values = {"ordinal": "XVII", "start_year": 2020, "end_year": 2025}
    values.update(kwargs)
    if "body" not in values:
        values["body"] = make_organization(code="BCHTU", name="Ban Chấp hành Đảng bộ")
    return Term.objects.get_or_create(
        body=values.pop("body"), ordinal=values.pop("ordinal"), defaults=values
    )[0]


def make_meeting(**kwargs) -> Meeting:
    values = {
        "number": next(_seq),
        "title": "Hội nghị Ban Chấp hành",
        "date": datetime.date(2025, 7, 1),
        "status": PublicationStatus.PUBLISHED,
    }
    values.update(kwargs)
    if "term" not in values:
        values["term"] = make_term()
    return Meeting.objects.create(**values)


def make_participant(meeting, person=None, **kwargs) -> MeetingParticipant:
    values = {"role": ParticipantRole.CHAIR}
    values.update(kwargs)
    return MeetingParticipant.objects.create(
        meeting=meeting, person=person or make_person(), **values
    )


def make_item(meeting, **kwargs) -> AgendaItem:
    values = {"order": str(next(_seq)), "title": "Nội dung"}
    values.update(kwargs)
    return AgendaItem.objects.create(meeting=meeting, **values)


def make_vote(meeting, **kwargs) -> Vote:
    values = {"question": "Thông qua", "result": VoteResult.ADOPTED}
    values.update(kwargs)
    return Vote.objects.create(meeting=meeting, **values)


def make_document(**kwargs) -> Document:
    values = {
        "title": f"Văn bản {next(_seq)}",
        "status": PublicationStatus.PUBLISHED,
        "visibility": "public",
    }
    values.update(kwargs)
    if "issuer" not in values:
        values["issuer"] = make_organization(code="TU", name="Thành ủy")
    return Document.objects.create(**values)
