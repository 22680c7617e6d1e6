"""Meetings in the read-only API: `/api/meetings/` and `/api/meetings/<body>/<term>/<n>/`.

Published meetings only, with their agenda items, the votes taken on each (and on the
meeting itself) and the public documents discussed. A meeting is identified as on the
site: its body's code, the term and its number. Flat fields carry the download's names.
"""

from collections import defaultdict

from django.http import Http404
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers, viewsets

from documents.api import DocumentRefSerializer
from portal.text import vietnamese_slug

from .exports import COLUMNS
from .filters import MeetingFilter
from .models import ROMAN_NUMERAL, AgendaItem, Meeting, MeetingParticipant, PersonVote, Vote


class MeetingRefSerializer(serializers.ModelSerializer):
    """How other records point at a meeting: body, term, number and public URL."""

    body = serializers.CharField(source="term.body.code")
    term = serializers.CharField(source="term.ordinal")
    url = serializers.SerializerMethodField()

    class Meta:
        model = Meeting
        fields = ["body", "term", "number", "title", "date", "url"]

    def get_url(self, meeting) -> str:
        return self.context["request"].build_absolute_uri(meeting.get_absolute_url())


def published_meeting(meeting, context) -> dict | None:
    """The reference to `meeting` when it is published (its term and body selected)."""
    if meeting is None or not meeting.is_published:
        return None
    return MeetingRefSerializer(meeting, context=context).data


class PersonVoteSerializer(serializers.ModelSerializer):
    person = serializers.CharField(source="person.full_name")
    person_slug = serializers.CharField(source="person.slug")

    class Meta:
        model = PersonVote
        fields = ["person", "person_slug", "choice"]


class VoteSerializer(serializers.ModelSerializer):
    person_votes = PersonVoteSerializer(many=True, read_only=True)

    class Meta:
        model = Vote
        fields = [
            "question",
            "method",
            "votes_for",
            "votes_against",
            "abstentions",
            "present",
            "total",
            "pass_rule",
            "result",
            "person_votes",
        ]


class AgendaItemSerializer(serializers.ModelSerializer):
    presenter = serializers.SerializerMethodField()
    documents = DocumentRefSerializer(many=True, read_only=True)
    votes = serializers.SerializerMethodField()

    class Meta:
        model = AgendaItem
        fields = ["order", "title", "kind", "presenter", "outcome", "documents", "votes"]

    def get_presenter(self, item) -> str:
        return item.presenter.full_name if item.presenter else ""

    @extend_schema_field(VoteSerializer(many=True))
    def get_votes(self, item):
        votes = self.context["votes_by_item"].get(item.pk, [])
        return VoteSerializer(votes, many=True, context=self.context).data


class ParticipantSerializer(serializers.ModelSerializer):
    person = serializers.CharField(source="person.full_name")
    person_slug = serializers.CharField(source="person.slug")

    class Meta:
        model = MeetingParticipant
        fields = ["person", "person_slug", "role"]


@extend_schema_field(
    {
        "type": "string",
        "pattern": r"^([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]$",
        "example": "08:00:00",
        "description": "Local time in Hà Nội (Asia/Ho_Chi_Minh, UTC+07:00), no offset.",
    }
)
class LocalTimeField(serializers.TimeField):
    """A time of day as the agenda prints it, on the meeting's `date` in Hà Nội: a wall-clock
    time, not an RFC 3339 `time` (which needs an offset), so the schema gives its pattern."""

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M:%S", **kwargs)


class MeetingSerializer(serializers.ModelSerializer):
    start_time = LocalTimeField(read_only=True, allow_null=True)
    end_time = LocalTimeField(read_only=True, allow_null=True)
    body = serializers.CharField(source="term.body.code")
    body_name = serializers.CharField(source="term.body.name")
    term = serializers.CharField(source="term.ordinal")
    agenda_count = serializers.SerializerMethodField()
    vote_count = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()
    participants = ParticipantSerializer(many=True, read_only=True)
    agenda_items = serializers.SerializerMethodField()
    meeting_votes = serializers.SerializerMethodField()

    class Meta:
        model = Meeting
        fields = [
            *[column.name for column in COLUMNS],
            "participants",
            "agenda_items",
            "meeting_votes",
        ]

    def get_url(self, meeting) -> str:
        return self.context["request"].build_absolute_uri(meeting.get_absolute_url())

    def get_agenda_count(self, meeting) -> int:
        return len(meeting.agenda_items.all())

    def get_vote_count(self, meeting) -> int:
        return len(meeting.votes.all())

    def _votes_by_item(self, meeting) -> dict:
        by_item = defaultdict(list)
        for vote in meeting.votes.all():
            by_item[vote.agenda_item_id].append(vote)
        return by_item

    @extend_schema_field(AgendaItemSerializer(many=True))
    def get_agenda_items(self, meeting):
        context = {**self.context, "votes_by_item": self._votes_by_item(meeting)}
        return AgendaItemSerializer(meeting.agenda_items.all(), many=True, context=context).data

    @extend_schema_field(VoteSerializer(many=True))
    def get_meeting_votes(self, meeting):
        """Votes on the meeting itself (its programme, for example), not on an item."""
        votes = self._votes_by_item(meeting).get(None, [])
        return VoteSerializer(votes, many=True, context=self.context).data


class MeetingViewSet(viewsets.ReadOnlyModelViewSet):
    """Published meetings, newest first; filters as on the meetings list."""

    serializer_class = MeetingSerializer
    filterset_class = MeetingFilter

    def get_queryset(self):
        return Meeting.objects.published().for_detail().newest_first()

    def get_object(self):
        body, term = self.kwargs["body"], self.kwargs["term"].upper()
        if not ROMAN_NUMERAL.match(term) or len(body) > 20:
            raise Http404
        candidates = self.get_queryset().filter(term__ordinal=term, number=self.kwargs["number"])
        meeting = next(
            (m for m in candidates if vietnamese_slug(m.term.body.code) == body.lower()), None
        )
        if meeting is None:
            raise Http404
        return meeting
