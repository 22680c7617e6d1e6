"""A followed list selects, for alerts, what its page selects: the same FilterSet."""

import pytest
from django.http import QueryDict

from alerts.kinds import FOLLOWABLE
from changes.models import RecordKind
from documents.tests.factories import make_document, make_state_document, make_topic
from indicators.models import Category
from indicators.tests.factories import make_indicator
from meetings.tests.factories import make_meeting, make_organization, make_term
from portal.publication import PublicationStatus
from projects.models import Sector
from projects.tests.factories import make_project

pytestmark = pytest.mark.django_db

DOCUMENTS = FOLLOWABLE[RecordKind.DOCUMENT]


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("", ""),
        ("page=4&format=csv", ""),
        ("year=2025&issuer=TU&page=2", "issuer=TU&year=2025"),
        ("year=hai-nghin&issuer=TU", "issuer=TU"),  # a bad filter is dropped, as on the page
        ("issuer=KHONG-AI", ""),  # an issuer no public document has
        ("q=%20%20T%C3%B4%20L%E1%BB%8Bch%20&unknown=1", "q=T%C3%B4+L%E1%BB%8Bch"),
        ("q=" + "x" * 500, "q=" + "x" * 200),
        ("year=2025%00", "year=2025"),
    ],
)
def test_a_list_is_kept_as_its_valid_filters_in_one_order(typed, kept):
    make_document()  # issuer TU
    assert DOCUMENTS.clean_query(QueryDict(typed)) == kept


def test_documents_list_matches_by_issuer_topic_and_words():
    topic = make_topic(name="Chuyển đổi số")
    ours = make_document(title="Kế hoạch chuyển đổi số trong cơ quan Đảng")
    ours.topics.add(topic)
    other = make_state_document(title="Quyết định về giao thông")
    ids = {ours.pk, other.pk}
    assert DOCUMENTS.matching("issuer=TU", ids) == {ours.pk}
    assert DOCUMENTS.matching(f"topic={topic.slug}", ids) == {ours.pk}
    assert DOCUMENTS.matching("q=giao+thong", ids) == {other.pk}
    assert DOCUMENTS.matching("", ids) == ids


def test_a_filter_the_list_no_longer_accepts_matches_nothing():
    document = make_state_document()
    assert DOCUMENTS.matching("topic=chu-de-da-xoa", {document.pk}) == set()


def test_other_kinds_reuse_their_own_filters():
    bridge = make_project(sector=Sector.BRIDGE)
    metro = make_project(sector=Sector.URBAN_RAILWAY)
    projects = FOLLOWABLE[RecordKind.PROJECT]
    assert projects.matching("sector=bridge", {bridge.pk, metro.pk}) == {bridge.pk}

    growth = make_indicator(category=Category.GROWTH)
    budget = make_indicator(category=Category.BUDGET)
    indicators = FOLLOWABLE[RecordKind.INDICATOR]
    assert indicators.matching("category=growth", {growth.pk, budget.pk}) == {growth.pk}

    council = make_term(body=make_organization(code="HDND", name="Hội đồng nhân dân"))
    ours = make_meeting(term=council)
    theirs = make_meeting()
    meetings = FOLLOWABLE[RecordKind.MEETING]
    assert meetings.matching("body=hdnd", {ours.pk, theirs.pk}) == {ours.pk}


def test_only_published_public_records_ever_match():
    draft = make_document(status=PublicationStatus.DRAFT)
    internal = make_document(visibility="internal")
    archived = make_document(status=PublicationStatus.ARCHIVED)
    assert DOCUMENTS.matching("", {draft.pk, internal.pk, archived.pk}) == set()


def test_a_list_is_described_in_the_words_of_its_page():
    make_document()
    described = DOCUMENTS.describe("issuer=TU&year=2025")
    assert described == [("Cơ quan ban hành", "Cơ quan TU"), ("Năm ban hành", "2025")]
