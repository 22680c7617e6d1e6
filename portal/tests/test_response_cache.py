"""The shared response cache (portal/response_cache.py): every cached surface follows a
publication, a change and a withdrawal at once, whichever way the record was written, and
no visitor is ever given a page made for another."""

import datetime
import gc
import importlib
from typing import NamedTuple
from urllib.parse import quote, unquote_to_bytes
from wsgiref.util import setup_testing_defaults

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client
from django.urls import reverse

from documents.models import Document
from documents.services import import_documents
from documents.tests.factories import make_document, make_topic, organization
from indicators.services import import_values
from indicators.tests.factories import make_indicator
from meetings.models import AgendaItem
from meetings.tests.factories import make_item, make_meeting
from portal.publication import PublicationStatus, approve_pending, set_status
from portal.sitemaps import SECTION_SIZE
from projects.tests.factories import make_project

from .admin_forms import make_publisher, read_form, run_action
from .test_rate_limits import redis_url  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db

TITLE = "Kế hoạch chỉnh trang đô thị quận Hoàn Kiếm"
NEW_TITLE = "Kế hoạch cải tạo vỉa hè quận Hoàn Kiếm"


@pytest.fixture(autouse=True)
def response_cache(settings):
    settings.PORTAL_RESPONSE_CACHE = True
    cache.clear()


def read(url: str, client: Client | None = None) -> str:
    """What an anonymous visitor gets at `url` ("" unless it is a 200)."""
    response = (client or Client()).get(url)
    return response.content.decode() if response.status_code == 200 else ""


def document_surfaces(document) -> list[str]:
    """Every surface that shows a published document: its page, the list, a search for its
    title, the feeds, the API's list and record, the sitemap, the site search, and the
    meeting that dealt with it."""
    meeting = make_meeting(title="Hội nghị lần thứ 23 Ban Chấp hành")
    make_item(meeting, title="Cho ý kiến kế hoạch").documents.add(document)
    api_kwargs = {"year": document.url_year, "slug": document.slug}
    return [
        document.get_absolute_url(),
        reverse("documents:list"),
        reverse("documents:list") + "?q=hoàn+kiếm",
        reverse("documents:feed_rss"),
        reverse("documents:feed_atom"),
        reverse("api:documents-list"),
        reverse("api:documents-detail", kwargs=api_kwargs),
        reverse("portal:search") + "?q=hoàn+kiếm",
        meeting.get_absolute_url(),
    ]


def shown(urls, text) -> list[str]:
    """The surfaces that show `text`."""
    return [url for url in urls if text in read(url)]


def in_sitemap(document) -> bool:
    section = reverse(
        "sitemap_section", kwargs={"kind": "documents", "number": document.pk // SECTION_SIZE}
    )
    return document.get_absolute_url() in read(section)


def test_a_kept_page_costs_no_query_and_can_be_shared_by_a_proxy(django_assert_num_queries):
    document = make_document(title=TITLE)
    first = Client().get(document.get_absolute_url())
    with django_assert_num_queries(0):
        second = Client().get(document.get_absolute_url())
    assert second.content == first.content
    assert TITLE in second.content.decode()
    assert set(second.headers) == set(first.headers)  # security headers and all
    assert second["Cache-Control"] == "public, no-cache"
    assert second["ETag"] == first["ETag"]
    assert second["Content-Security-Policy"]  # added on the way out, hit or miss
    assert "Cookie" in second["Vary"]
    assert not second.cookies

    revalidated = Client().get(document.get_absolute_url(), HTTP_IF_NONE_MATCH=first["ETag"])
    assert revalidated.status_code == 304
    assert revalidated.content == b""


def test_publication_change_and_withdrawal_reach_every_surface_at_once():
    """The issue's test: through the publisher's admin actions and change form."""
    document = make_document(title=TITLE, status=PublicationStatus.DRAFT)
    surfaces = document_surfaces(document)
    assert shown(surfaces, TITLE) == []  # and every surface is now kept
    assert not in_sitemap(document)
    publisher = Client()
    publisher.force_login(make_publisher())

    run_action(publisher, "publish", document)
    assert shown(surfaces, TITLE) == surfaces
    assert in_sitemap(document)

    url = reverse("admin:documents_document_change", args=[document.pk])
    form = read_form(publisher, url, Document)
    response = publisher.post(url, form.data(title=NEW_TITLE, change_note="Sửa trích yếu."))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert shown(surfaces, TITLE) == []
    assert shown(surfaces, NEW_TITLE) == surfaces

    run_action(publisher, "unpublish", document)
    assert shown(surfaces, NEW_TITLE) == []
    assert not in_sitemap(document)


# Every other way a record reaches or leaves the public ------------------------------------


def _kept(url: str, text: str) -> None:
    """Read `url` until it is kept, and check it does not show `text` yet."""
    assert text not in read(url)
    assert text not in read(url)


def test_set_status_publishes_and_withdraws():
    meeting = make_meeting(title="Hội nghị chuyên đề về giao thông", status="draft")
    _kept(reverse("meetings:list"), meeting.title)
    set_status([meeting], PublicationStatus.PUBLISHED)
    assert meeting.title in read(reverse("meetings:list"))
    set_status([meeting], PublicationStatus.ARCHIVED)
    assert meeting.title not in read(reverse("meetings:list"))


@pytest.mark.parametrize("how", ["approve_pending", "admin action"])
def test_approving_an_editors_addition_shows_it(how):
    meeting = make_meeting()
    item = make_item(meeting, title="Báo cáo tiến độ đường vành đai 4", pending=True)
    _kept(meeting.get_absolute_url(), item.title)
    if how == "approve_pending":
        approve_pending(meeting)
    else:
        publisher = Client()
        publisher.force_login(make_publisher())
        run_action(publisher, "publish_pending", meeting)
    assert AgendaItem.objects.filter(pk=item.pk).exists()
    assert item.title in read(meeting.get_absolute_url())


GOOD_ROW = "number,issued_on,title\n341-KH/TU,2025-06-12,{title}\n"


@pytest.mark.parametrize("how", ["service", "command"])
def test_an_import_that_publishes_shows_at_once(how, tmp_path):
    organization("TU")
    _kept(reverse("documents:list"), TITLE)
    _kept(reverse("api:documents-list"), TITLE)
    if how == "service":
        assert import_documents(data=GOOD_ROW.format(title=TITLE), publish=True).ok
    else:
        path = tmp_path / "register.csv"
        path.write_text(GOOD_ROW.format(title=TITLE), encoding="utf-8")
        call_command("import_documents", str(path), "--publish", verbosity=0)
    assert TITLE in read(reverse("documents:list"))
    assert TITLE in read(reverse("api:documents-list"))


def test_an_import_of_figures_shows_at_once():
    indicator = make_indicator(code="grdp-growth", name="Tăng trưởng GRDP")
    url = reverse("api:indicators-detail", kwargs={"code": indicator.code})
    _kept(url, "7.63")
    content = (
        "indicator_code,period_kind,period_start,period_end,value_kind,value,status,source,note\n"
        "grdp-growth,half_year,2025-01-01,2025-06-30,actual,7.63,official,,\n"
    )
    assert import_values(content=content, publish=True).ok
    assert "7.63" in read(url)


def test_a_topic_added_to_a_document_shows_on_its_page():
    topic = make_topic(name="Chuyển đổi số")
    document = make_document(title=TITLE)
    _kept(document.get_absolute_url(), topic.name)
    document.topics.add(topic)
    assert topic.name in read(document.get_absolute_url())


def test_an_organizations_new_name_shows_on_its_documents():
    issuer = organization("TU", name="Thành ủy Hà Nội")
    document = make_document(title=TITLE, issuer=issuer)
    _kept(document.get_absolute_url(), "Thành ủy thành phố Hà Nội")
    issuer.name = "Thành ủy thành phố Hà Nội"
    issuer.save()
    assert "Thành ủy thành phố Hà Nội" in read(document.get_absolute_url())


def test_a_deleted_record_leaves_every_surface():
    document = make_document(title=TITLE)
    assert TITLE in read(document.get_absolute_url())
    assert TITLE in read(reverse("documents:list"))
    Document.objects.filter(pk=document.pk).delete()
    assert read(document.get_absolute_url()) == ""
    assert TITLE not in read(reverse("documents:list"))


def test_a_change_of_one_kind_keeps_the_pages_of_kinds_that_cannot_show_it(
    django_assert_num_queries,
):
    """Precise: a new figure does not throw away the projects' pages."""
    project = make_project(name="Đường vành đai 4 - Vùng Thủ đô")
    read(project.get_absolute_url())
    make_indicator(name="Tỷ lệ đô thị hóa")
    with django_assert_num_queries(0):
        assert project.name in read(project.get_absolute_url())


def test_a_new_day_makes_pages_anew(django_assert_max_num_queries, monkeypatch):
    """Pages judged against today (upcoming meetings, late projects) follow the date."""
    document = make_document(title=TITLE)
    read(document.get_absolute_url())
    tomorrow = datetime.date.today() + datetime.timedelta(days=1)
    monkeypatch.setattr("portal.response_cache.timezone.localdate", lambda: tomorrow)
    with django_assert_max_num_queries(20) as queries:
        read(document.get_absolute_url())
    assert len(queries) > 0


# Never one visitor's page to another ------------------------------------------------------


def test_signed_in_staff_neither_read_nor_fill_the_cache():
    document = make_document(title=TITLE)
    assert TITLE in read(document.get_absolute_url())
    # A write that sends no signal: only a request that skips the cache sees it.
    Document.objects.filter(pk=document.pk).update(title=NEW_TITLE)
    staff = Client()
    staff.force_login(make_publisher())
    assert NEW_TITLE in read(document.get_absolute_url(), staff)
    assert TITLE in read(document.get_absolute_url())


def test_pages_hold_no_csrf_token_and_the_language_switch_needs_none():
    page = Client().get(reverse("portal:home"))
    assert "csrfmiddlewaretoken" not in page.content.decode()
    assert not page.cookies
    visitor = Client(enforce_csrf_checks=True)
    switched = visitor.post(reverse("set_language"), {"language": "en", "next": "/documents/"})
    assert switched.status_code == 302
    assert visitor.cookies["django_language"].value == "en"


def test_each_language_has_its_own_copy():
    """`/en/` pages and Vietnamese pages never share a copy; at a Vietnamese address the
    redirect kept for visitors who chose English is never given to anyone else, nor the
    Vietnamese page to them."""
    document = make_document(title=TITLE)
    vietnamese_url = document.get_absolute_url()
    english_url = f"/en{vietnamese_url}"
    chose_english, chose_vietnamese = Client(), Client()
    chose_english.cookies["django_language"] = "en"
    chose_vietnamese.cookies["django_language"] = "vi"

    for _kept_then_read in range(2):
        redirect = chose_english.get(vietnamese_url)
        vietnamese = [Client().get(vietnamese_url), chose_vietnamese.get(vietnamese_url)]
        english = [Client().get(english_url), chose_english.get(english_url)]

        assert (redirect.status_code, redirect["Location"]) == (302, english_url)
        assert redirect["Content-Language"] == "en"
        for page in vietnamese:
            assert page["Content-Language"] == "vi"
            assert '<html lang="vi">' in page.content.decode()
        for page in english:
            assert page["Content-Language"] == "en"
            assert '<html lang="en">' in page.content.decode()
        for response in (redirect, *vietnamese, *english):
            assert "public" in response["Cache-Control"]
    assert english[0]["ETag"] == english[1]["ETag"] != vietnamese[0]["ETag"]


def test_a_message_left_for_a_visitor_is_never_served_from_or_into_the_cache():
    """A request with a messages or session cookie is made afresh, and its page (which
    shows the message) is not kept for the next visitor."""
    url = reverse("documents:list")
    read(url)
    visitor = Client()
    visitor.cookies["messages"] = "anything"
    response = visitor.get(url)
    assert response.status_code == 200
    assert "Cache-Control" not in response


def test_attachments_health_and_the_admin_are_never_kept(tmp_path, settings):
    from documents.tests.factories import make_attachment

    settings.MEDIA_ROOT = tmp_path
    attachment = make_attachment(make_document(title=TITLE))
    for url in (
        reverse("documents:attachment", kwargs={"key": attachment.key}),
        reverse("health"),
        reverse("admin:index"),
        reverse("api:schema"),
    ):
        Client().get(url)
        assert "public" not in Client().get(url).get("Cache-Control", ""), url


def test_a_search_limit_counts_only_what_reaches_the_database(settings):
    """A kept answer is given without counting; a refusal (429) is never kept."""
    settings.PORTAL_RATES = {**settings.PORTAL_RATES, "search": "1/m"}
    make_document(title=TITLE)
    first = reverse("documents:list") + "?q=chỉnh+trang"
    other = reverse("documents:list") + "?q=vỉa+hè"
    assert Client().get(first).status_code == 200
    assert Client().get(first).status_code == 200  # kept: not counted
    assert Client().get(other).status_code == 429
    assert Client().get(other).status_code == 429  # a refusal is not kept
    assert TITLE in read(first)


def test_off_means_nothing_kept(settings, django_assert_max_num_queries):
    settings.PORTAL_RESPONSE_CACHE = False
    document = make_document(title=TITLE)
    read(document.get_absolute_url())
    with django_assert_max_num_queries(30) as queries:
        response = Client().get(document.get_absolute_url())
    assert len(queries) > 0
    assert "Cache-Control" not in response


def test_an_unreachable_cache_serves_pages_and_lets_writes_through(settings, caplog):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
        }
    }
    document = make_document(title=TITLE)
    assert "not invalidated: cache unavailable" in caplog.text
    set_status([document], PublicationStatus.ARCHIVED)
    assert read(document.get_absolute_url()) == ""
    set_status([document], PublicationStatus.PUBLISHED)
    assert TITLE in read(document.get_absolute_url())


# Through the WSGI application a server runs (portal.wsgi) ----------------------------------


class Sent(NamedTuple):
    """What a WSGI server sends: the status line, the headers, the body."""

    status: str
    headers: list[tuple[str, str]]
    body: bytes


@pytest.fixture
def application(monkeypatch):
    """The WSGI application gunicorn runs, without its gc.freeze() in the test process."""
    monkeypatch.setattr(gc, "freeze", lambda: None)
    return importlib.import_module("portal.wsgi").application


@pytest.fixture
def handled():
    """The addresses Django's handler was given (its request_started signal)."""
    paths = []

    def started(sender, environ, **kwargs):
        paths.append(environ["PATH_INFO"])

    request_started.connect(started)
    yield paths
    request_started.disconnect(started)


def serve(application, url: str, **environ) -> Sent:
    """`url` asked of `application` as a WSGI server asks it; `environ` adds to the request
    (`HTTP_COOKIE`, `REQUEST_METHOD`...)."""
    path, _, query = url.partition("?")
    environ = {
        # PEP 3333: the path percent-decoded, its bytes as latin-1; the query as sent.
        "PATH_INFO": unquote_to_bytes(path).decode("iso-8859-1"),
        "QUERY_STRING": quote(query, safe="=&+%"),
        "HTTP_HOST": "testserver",
        "HTTP_ACCEPT": "*/*",
        **environ,
    }
    setup_testing_defaults(environ)
    started = []
    # The request leaves the test's database connection open, as the test client's do (on
    # PostgreSQL, closing it would lose the test's transaction).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        answer = application(environ, lambda status, headers: started.append((status, headers)))
        try:
            body = b"".join(answer)
        finally:
            if hasattr(answer, "close"):
                answer.close()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    return Sent(*started[0], body)


def test_a_kept_answer_is_sent_as_it_was_made_without_djangos_handler(
    application, handled, django_assert_num_queries
):
    """A page, its English address, the API, a feed and a kept redirect: the second visitor
    gets the first one's answer, byte for byte, before Django handles the request at all."""
    document = make_document(title=TITLE, number="341-KH/TU")
    urls = [
        document.get_absolute_url(),
        f"/en{document.get_absolute_url()}",
        reverse("api:documents-list"),
        reverse("documents:feed_rss"),
        reverse("documents:list") + "?q=341-KH/TU",  # the number: a redirect to its page
    ]
    made = [serve(application, url) for url in urls]
    with django_assert_num_queries(0):
        kept = [serve(application, url) for url in urls]
    assert kept == made
    assert len(handled) == len(urls)  # the first visits only
    assert [sent.status for sent in kept] == ["200 OK"] * 4 + ["302 Found"]
    assert TITLE in kept[0].body.decode()
    for sent in kept:
        assert ("Cache-Control", "public, no-cache") in sent.headers
        assert "Set-Cookie" not in dict(sent.headers)


def test_a_proxy_asking_again_gets_the_304_the_middleware_gives(application, handled):
    document = make_document(title=TITLE)
    url = document.get_absolute_url()
    made = serve(application, url)
    etag = dict(made.headers)["ETag"]
    handled.clear()

    unchanged = serve(application, url, HTTP_IF_NONE_MATCH=etag)
    older = serve(application, url, HTTP_IF_NONE_MATCH='"an-older-copy"')
    assert handled == []
    assert unchanged.status == "304 Not Modified"
    assert unchanged.body == b""
    through_django = Client().get(url, HTTP_IF_NONE_MATCH=etag)
    assert unchanged.headers == list(through_django.items())
    assert older == made


@pytest.mark.parametrize(
    "request_environ",
    [
        {"HTTP_COOKIE": "messages=anything"},
        {"HTTP_COOKIE": "sessionid=anything; django_language=vi"},
        {"HTTP_AUTHORIZATION": "Token 0123456789abcdef"},
        {"REQUEST_METHOD": "HEAD"},
        {"REQUEST_METHOD": "POST"},
    ],
    ids=["message cookie", "session cookie", "authorization", "HEAD", "POST"],
)
def test_what_no_copy_may_answer_goes_through_django(application, handled, request_environ):
    make_document(title=TITLE)
    url = reverse("documents:list")
    serve(application, url)
    assert TITLE in serve(application, url).body.decode()  # kept
    handled.clear()
    sent = serve(application, url, **request_environ)
    assert handled == [url]
    assert "public" not in dict(sent.headers).get("Cache-Control", "")


def test_signed_in_staff_get_pages_made_afresh_through_the_wsgi_application(application):
    document = make_document(title=TITLE)
    url = document.get_absolute_url()
    assert TITLE in serve(application, url).body.decode()
    # A write that sends no signal: only a request that skips the cache sees it.
    Document.objects.filter(pk=document.pk).update(title=NEW_TITLE)
    staff = Client()
    staff.force_login(make_publisher())
    session = staff.cookies[django_settings.SESSION_COOKIE_NAME].value
    cookie = f"{django_settings.SESSION_COOKIE_NAME}={session}"
    assert NEW_TITLE in serve(application, url, HTTP_COOKIE=cookie).body.decode()
    assert TITLE in serve(application, url).body.decode()


def test_a_withdrawal_and_a_publication_reach_the_kept_answers_at_once(application, handled):
    """Tokens are read from the cache on every request: a worker never answers a copy
    another worker's write made old."""
    document = make_document(title=TITLE)
    page, listing = document.get_absolute_url(), reverse("documents:list")
    api = reverse("api:documents-list")
    for url in (page, listing, api, page, listing, api):
        assert TITLE in serve(application, url).body.decode()
    assert handled == [page, listing, api]
    publisher = Client()
    publisher.force_login(make_publisher())

    run_action(publisher, "unpublish", document)
    assert serve(application, page).status == "404 Not Found"
    assert TITLE not in serve(application, listing).body.decode()
    assert TITLE not in serve(application, api).body.decode()

    run_action(publisher, "publish", document)
    for url in (page, listing, api):
        assert TITLE in serve(application, url).body.decode()


def test_an_address_in_vietnamese_letters_that_names_no_page_is_a_404(application):
    """The path is read before Django's handler; Django's handler still reads it as sent."""
    assert serve(application, "/văn-bản/không-có/").status == "404 Not Found"


def test_kept_answers_are_sent_again_after_redis_drops_its_connections(
    application,
    handled,
    settings,
    redis_url,  # noqa: F811 (the fixture)
):
    """Through the production cache (portal/cache.py) and a Redis server: after a Redis
    restart the next visitor still gets the copy."""
    settings.CACHES = {
        "default": {"BACKEND": "portal.cache.PooledRedisCache", "LOCATION": redis_url}
    }
    document = make_document(title=TITLE)
    url = document.get_absolute_url()
    serve(application, url)
    serve(application, url)
    redis = cache._cache.get_client(write=True)
    readers = [c["id"] for c in redis.client_list() if c["cmd"] == "mget"]
    assert readers
    for reader in readers:
        redis.client_kill_filter(_id=reader)
    handled.clear()
    assert TITLE in serve(application, url).body.decode()
    assert handled == []
