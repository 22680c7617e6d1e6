"""No name of a hidden record in public: filter choices, the API's filter form and feed
titles list only the topics, types, issuers (and meeting bodies) that some record the
viewer may see uses. A topic, type or issuer used only by internal or draft documents is
offered to nobody in public, and the internal ones only to readers allowed to see them.
"""

import feedparser
import pytest

from meetings.tests.factories import make_meeting, make_term
from meetings.tests.factories import make_organization as make_body
from portal.publication import PublicationStatus
from portal.tests.factories import make_staff

from ..models import DocumentType, Visibility
from .factories import make_document, make_topic, organization

pytestmark = pytest.mark.django_db

INTERNAL = ["MARKER-INTERNAL-TOPIC", "MARKER-INTERNAL-TYPE", "MARKER-INTERNAL-ISSUER"]
DRAFT = ["MARKER-DRAFT-TOPIC", "MARKER-DRAFT-TYPE", "MARKER-DRAFT-ISSUER", "MARKER-DRAFT-BODY"]
PUBLIC = ["Chủ đề công khai", "Loại công khai", "Cơ quan công khai"]
# The query strings that ask for a hidden topic, type or issuer by its identifier.
HIDDEN_PARAMS = [
    {"topic": "marker-internal-topic"},
    {"type": "marker-internal-type"},
    {"issuer": "MKINT"},
    {"topic": "marker-draft-topic"},
    {"type": "marker-draft-type"},
    {"issuer": "MKDRAFT"},
]


def _document(label: str, **overrides):
    topic = make_topic(name=f"{label}-TOPIC" if label.isupper() else "Chủ đề công khai")
    document = make_document(
        number="",
        title=f"Văn bản {label.lower()}",
        document_type=DocumentType.objects.create(
            name=f"{label}-TYPE" if label.isupper() else "Loại công khai",
            slug=f"{label.lower()}-type",
        ),
        **overrides,
    )
    document.topics.add(topic)
    return document


@pytest.fixture
def register():
    """One public document, one internal published one, one draft, each with a topic, a
    type and an issuer of its own; a meeting body whose only meeting is a draft."""
    public = _document("public", issuer=organization("PUB", name="Cơ quan công khai"))
    internal = _document(
        "MARKER-INTERNAL",
        visibility=Visibility.INTERNAL,
        issuer=organization("MKINT", name="MARKER-INTERNAL-ISSUER"),
    )
    draft = _document(
        "MARKER-DRAFT",
        status=PublicationStatus.DRAFT,
        issuer=organization("MKDRAFT", name="MARKER-DRAFT-ISSUER"),
    )
    make_meeting(title="Hội nghị công khai")
    body = make_body(code="MKDRB", name="MARKER-DRAFT-BODY")
    make_meeting(term=make_term(body=body), status=PublicationStatus.DRAFT)
    return {"public": public, "internal": internal, "draft": draft}


def choices(response, name: str) -> list[str]:
    return [str(label) for _value, label in response.context["filter"].form.fields[name].choices]


def assert_no_marker(response):
    text = response.content.decode()
    for marker in INTERNAL + DRAFT:
        assert marker not in text


@pytest.fixture(params=["anonymous", "staff without the permission"])
def public_client(request, client):
    if request.param != "anonymous":
        client.force_login(make_staff("documents.view_document"))
    return client


@pytest.mark.parametrize("language", ["vi", "en"])
def test_list_filters_offer_only_what_the_public_sees(public_client, register, language):
    response = public_client.get("/documents/" if language == "vi" else "/en/documents/")

    assert choices(response, "topic")[1:] == ["Chủ đề công khai"]
    assert choices(response, "type")[1:] == ["Loại công khai"]
    assert choices(response, "issuer")[1:] == ["Cơ quan công khai"]
    assert_no_marker(response)


@pytest.mark.parametrize("params", HIDDEN_PARAMS)
def test_asking_for_a_hidden_choice_names_nothing(public_client, register, params):
    response = public_client.get("/documents/", params)

    assert response.status_code == 200
    messages = [str(m) for m in response.context["messages"]]
    assert len(messages) == 1
    assert messages[0].startswith("Bỏ qua bộ lọc")
    assert [d.title for d in response.context["page_obj"]] == ["Văn bản public"]
    assert_no_marker(response)


def test_a_reader_with_the_permission_is_offered_internal_choices(client, register):
    client.force_login(make_staff("documents.view_internal_document"))
    response = client.get("/documents/")

    assert choices(response, "topic")[1:] == ["Chủ đề công khai", "MARKER-INTERNAL-TOPIC"]
    assert choices(response, "type")[1:] == ["Loại công khai", "MARKER-INTERNAL-TYPE"]
    assert choices(response, "issuer")[1:] == ["Cơ quan công khai", "MARKER-INTERNAL-ISSUER"]
    text = response.content.decode()
    for marker in DRAFT:
        assert marker not in text

    chosen = client.get("/documents/", {"topic": "marker-internal-topic"})
    assert [d.title for d in chosen.context["page_obj"]] == ["Văn bản marker-internal"]


@pytest.mark.parametrize("params", HIDDEN_PARAMS)
@pytest.mark.parametrize("url", ["/documents/feed/rss/", "/documents/feed/atom/"])
def test_feed_titles_never_name_a_hidden_choice(client, register, url, params):
    # Feeds show the anonymous view whoever asks, a reader with the permission included.
    client.force_login(make_staff("documents.view_internal_document"))
    response = client.get(url, params)

    assert response.status_code == 400
    assert_no_marker(response)


@pytest.mark.parametrize("url", ["/documents/feed/rss/", "/documents/feed/atom/"])
def test_feed_title_names_a_public_choice(client, register, url):
    response = client.get(url, {"topic": "chu-de-cong-khai", "issuer": "PUB"})

    feed = feedparser.parse(response.content)
    assert feed.feed.title == (
        "Văn bản mới công bố – Cơ quan ban hành: Cơ quan công khai; Chủ đề: Chủ đề công khai"
    )
    assert [entry.title for entry in feed.entries] == ["Văn bản public"]


@pytest.mark.parametrize("params", [*HIDDEN_PARAMS, {"body": "MKDRB"}])
def test_meeting_feed_title_never_names_a_body_without_published_meetings(
    client, register, params
):
    if "body" not in params:
        params = {"body": params.get("issuer", "MKINT")}
    response = client.get("/meetings/feed/rss/", params)
    assert response.status_code == 400
    assert_no_marker(response)


def test_calendar_names_only_a_body_with_published_meetings(client, register):
    hidden = client.get("/meetings/calendar.ics", {"body": "MKDRB"})
    shown = client.get("/meetings/calendar.ics", {"body": "BCHTU"})

    assert hidden.status_code == 200
    assert "X-WR-CALNAME:Lịch hội nghị\r\n" in hidden.content.decode()
    assert_no_marker(hidden)
    assert "X-WR-CALNAME:Lịch hội nghị – Ban Chấp hành Đảng bộ" in shown.content.decode()


def test_meeting_list_filter_offers_only_bodies_with_published_meetings(public_client, register):
    response = public_client.get("/meetings/")
    assert [code for code, _name in response.context["filter"].form.fields["body"].choices] == [
        "",
        "BCHTU",
    ]
    assert_no_marker(response)


@pytest.mark.parametrize("url", ["/api/documents/", "/api/meetings/"])
def test_api_filter_form_offers_only_public_choices(client, register, url):
    # The API is anonymous whoever is signed in on the site.
    client.force_login(make_staff("documents.view_internal_document"))
    response = client.get(url, HTTP_ACCEPT="text/html")

    assert response.status_code == 200
    text = response.content.decode()
    assert "<select" in text  # the browsable API's filter form is on the page
    if url == "/api/documents/":
        for name in PUBLIC:
            assert name in text
    assert_no_marker(response)


@pytest.mark.parametrize("params", HIDDEN_PARAMS)
def test_api_answers_a_hidden_choice_as_an_unknown_one(client, register, params):
    """Nothing selected, as for a value nobody has: a probe learns nothing (api_rules)."""
    response = client.get("/api/documents/", params)

    assert response.status_code == 200
    assert response.json() == {
        "count": 0,
        "capped": False,
        "next": None,
        "previous": None,
        "results": [],
    }
    assert response.json() == client.get("/api/documents/", {"type": "khong-co"}).json()
    assert_no_marker(response)


def test_api_schema_names_no_hidden_choice(client, register):
    response = client.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    assert_no_marker(response)


@pytest.mark.parametrize("params", HIDDEN_PARAMS)
def test_download_refuses_a_hidden_choice_without_naming_it(client, register, params):
    response = client.get("/documents/", {"format": "csv", **params})

    assert response.status_code == 400
    assert_no_marker(response)


def test_choice_lists_cost_one_query_each(client, register, django_assert_max_num_queries):
    for _ in range(20):
        document = make_document(number="", document_type=register["public"].document_type)
        document.topics.add(*register["public"].topics.all())
    client.force_login(make_staff("documents.view_internal_document"))
    # The session, the user and their permissions (2), the count, one query per choice list
    # (3) and the page; the session's idle-time update (3, in a savepoint).
    with django_assert_max_num_queries(12):
        response = client.get("/documents/")
    assert len(choices(response, "topic")) == 3
