"""Rate limits on searches, downloads and the API (portal/rate_limits.py): 429 with
Retry-After past the limit, one count per client address, the address behind a proxy.

The limits here count per hour or per day: a count per minute could cross the end of its
window in the middle of a test and start again at zero.
"""

import datetime
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.test import RequestFactory
from django.urls import reverse

from documents.tests.factories import make_document
from indicators.tests.factories import make_indicator
from meetings.tests.factories import make_meeting
from portal.rate_limits import client_address, client_key, parse_rate

pytestmark = pytest.mark.django_db

MESSAGE_VI = "Bạn đã gửi quá nhiều yêu cầu trong thời gian ngắn. Xin thử lại sau"
MESSAGE_EN = "You have sent too many requests in a short time. Please try again in"
OTHER_CLIENT = "203.0.113.7"
BASE_DIR = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _fresh_counts():
    """The counts live in the process-wide cache: each test starts from zero (the other
    tests run without limits, so what a test here leaves behind counts for nothing)."""
    cache.clear()


def limits(settings, **rates):
    settings.PORTAL_RATES = {"search": "", "download": "", "api": "", "password_reset": ""} | rates


def retry_after(response) -> int:
    seconds = int(response["Retry-After"])
    assert seconds >= 1
    return seconds


@pytest.mark.parametrize(
    ("rate", "parsed"),
    [("60/m", (60, 60)), ("10/s", (10, 1)), ("100/5m", (100, 300)), ("2/d", (2, 86400))],
)
def test_parse_rate(rate, parsed):
    assert parse_rate(rate) == parsed


@pytest.mark.parametrize("rate", ["", None])
def test_an_empty_rate_is_no_limit(rate):
    assert parse_rate(rate) is None


@pytest.mark.parametrize("rate", ["60", "60/minute", "m/60", "-1/m", "60/m/"])
def test_a_malformed_rate_stops_the_portal_at_start_up(rate):
    environment = os.environ | {
        "DJANGO_SECRET_KEY": "x",
        "DJANGO_ALLOWED_HOSTS": "localhost",
        "PORTAL_RATE_DOWNLOAD": rate,
    }
    started = subprocess.run(
        [sys.executable, "-c", "import portal.settings"],
        cwd=BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
    )
    assert started.returncode != 0
    assert "PORTAL_RATE_DOWNLOAD" in started.stderr


def test_search_is_limited_per_client(client, settings):
    limits(settings, search="3/d")
    make_document(title="Kế hoạch chỉnh trang đô thị")
    for _ in range(3):
        assert client.get("/documents/", {"q": "chỉnh trang"}).status_code == 200

    refused = client.get("/documents/", {"q": "chỉnh trang"})

    assert refused.status_code == 429
    assert retry_after(refused) <= 86400
    assert refused["Content-Type"].startswith("text/html")
    page = refused.content.decode()
    assert "Quá nhiều yêu cầu" in page
    assert f"{MESSAGE_VI} {retry_after(refused)} giây." in page
    # Reading the list without a search is never limited; another client has its own count.
    assert client.get("/documents/").status_code == 200
    assert (
        client.get("/documents/", {"q": "chỉnh trang"}, REMOTE_ADDR=OTHER_CLIENT).status_code
        == 200
    )


def test_the_message_follows_the_chosen_language(client, settings):
    limits(settings, search="1/d")
    client.get("/en/search/", {"q": "cầu"})

    refused = client.get("/en/search/", {"q": "cầu"})

    assert refused.status_code == 429
    seconds = retry_after(refused)
    unit = "second" if seconds == 1 else "seconds"
    assert f"{MESSAGE_EN} {seconds} {unit}." in refused.content.decode()
    assert "Too many requests" in refused.content.decode()


@pytest.mark.parametrize("path", ["/search/", "/documents/", "/meetings/", "/projects/"])
def test_every_search_box_counts(client, settings, path):
    limits(settings, search="2/d")
    assert client.get(path, {"q": "vành đai"}).status_code == 200
    assert client.get(path, {"q": "sông"}).status_code == 200
    assert client.get(path, {"q": "cầu"}).status_code == 429
    # A blank box is not a search.
    assert client.get(path, {"q": "   "}).status_code == 200


def download_urls():
    return [
        ("/documents/", {"format": "csv"}),
        ("/documents/", {"format": "json", "q": "kế hoạch"}),
        ("/meetings/", {"format": "json"}),
        ("/projects/", {"format": "csv"}),
        ("/indicators/", {"format": "csv"}),
        ("/indicators/grdp.csv", {}),
        ("/meetings/calendar.ics", {}),
        ("/documents/feed/rss/", {}),
        ("/documents/feed/atom/", {"q": "kế hoạch"}),
        ("/meetings/feed/rss/", {}),
        ("/meetings/feed/atom/", {}),
    ]


@pytest.mark.parametrize(("path", "params"), download_urls())
def test_every_download_counts(client, settings, django_assert_num_queries, path, params):
    limits(settings, download="2/h", search="1/h")
    make_document()
    make_meeting()
    make_indicator(code="grdp")
    for _ in range(2):
        response = client.get(path, params)
        assert response.status_code == 200, response.content[:300]

    with django_assert_num_queries(0):  # refused before any work
        refused = client.get(path, params)

    assert refused.status_code == 429
    assert retry_after(refused) <= 3600
    assert MESSAGE_VI in refused.content.decode()
    assert client.get(path, params, REMOTE_ADDR=OTHER_CLIENT).status_code == 200


def test_downloads_and_searches_are_counted_apart(client, settings):
    limits(settings, download="1/d", search="1/d")
    assert client.get("/documents/", {"format": "csv"}).status_code == 200
    assert client.get("/documents/", {"q": "kế hoạch"}).status_code == 200
    assert client.get("/documents/", {"format": "csv", "q": "kế hoạch"}).status_code == 429
    assert client.get("/search/", {"q": "kế hoạch"}).status_code == 429
    # The site's pages and the API are not limited by the other two.
    assert client.get("/documents/").status_code == 200
    assert client.get("/api/documents/").status_code == 200


def test_api_is_throttled_per_client_with_a_json_answer(client, settings):
    limits(settings, api="3/h")
    for path in ("/api/", "/api/documents/", "/api/meetings/"):
        assert client.get(path).status_code == 200

    refused = client.get("/api/projects/")

    assert refused.status_code == 429
    assert refused["Content-Type"] == "application/json"
    assert 1 <= retry_after(refused) <= 3600
    assert refused.json() == {"detail": f"{MESSAGE_VI} {retry_after(refused)} giây."}
    assert client.get("/api/projects/", REMOTE_ADDR=OTHER_CLIENT).status_code == 200


def test_api_message_in_english(client, settings):
    limits(settings, api="1/h")
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    client.get("/api/documents/")

    refused = client.get("/api/documents/")

    assert refused.status_code == 429
    assert refused.json()["detail"].startswith(MESSAGE_EN)


def test_a_forged_forwarded_header_buys_no_fresh_count(client, settings):
    """Without a proxy in front, X-Forwarded-For is the client's own words: not read."""
    limits(settings, api="2/h", search="2/d")
    settings.PORTAL_PROXY_HOPS = 0
    for n in range(2):
        client.get("/api/documents/", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}")
        client.get("/search/", {"q": "cầu"}, HTTP_X_FORWARDED_FOR=f"198.51.100.{n}")
    forged = {"HTTP_X_FORWARDED_FOR": "198.51.100.99"}
    assert client.get("/api/documents/", **forged).status_code == 429
    assert client.get("/search/", {"q": "cầu"}, **forged).status_code == 429


def test_behind_the_proxy_each_forwarded_client_has_its_own_count(client, settings):
    limits(settings, api="1/h", search="1/d")
    settings.PORTAL_PROXY_HOPS = 1
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    first = {"HTTP_X_FORWARDED_FOR": "198.51.100.1", **proxy}
    # The same client, with a forged entry before the one the proxy appended.
    first_again = {"HTTP_X_FORWARDED_FOR": "6.6.6.6, 198.51.100.1", **proxy}
    second = {"HTTP_X_FORWARDED_FOR": "198.51.100.2", **proxy}

    assert client.get("/api/documents/", **first).status_code == 200
    assert client.get("/api/documents/", **first_again).status_code == 429
    assert client.get("/api/documents/", **second).status_code == 200
    assert client.get("/search/", {"q": "cầu"}, **first).status_code == 200
    assert client.get("/search/", {"q": "cầu"}, **first_again).status_code == 429
    assert client.get("/search/", {"q": "cầu"}, **second).status_code == 200


@pytest.mark.parametrize(
    ("hops", "remote", "forwarded", "client"),
    [
        (0, "192.0.2.1", "198.51.100.1", "192.0.2.1"),
        (1, "10.0.0.2", "198.51.100.1", "198.51.100.1"),
        (1, "10.0.0.2", "6.6.6.6, 198.51.100.1", "198.51.100.1"),
        (1, "10.0.0.2", " 198.51.100.1 ", "198.51.100.1"),
        (1, "10.0.0.2", "2001:db8::5", "2001:db8::5"),
        # A load balancer, then nginx: the client is two entries from the end.
        (2, "10.0.0.3", "6.6.6.6, 198.51.100.1, 10.0.0.9", "198.51.100.1"),
        # Missing, too short or malformed: the proxy itself, never a guess.
        (1, "10.0.0.2", None, "10.0.0.2"),
        (2, "10.0.0.2", "198.51.100.1", "10.0.0.2"),
        (1, "10.0.0.2", "unknown", "10.0.0.2"),
        (1, "10.0.0.2", "198.51.100.1:4711", "10.0.0.2"),
        (0, "", None, ""),
    ],
)
def test_client_address(settings, hops, remote, forwarded, client):
    settings.PORTAL_PROXY_HOPS = hops
    headers = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    assert client_address(RequestFactory().get("/", **headers)) == client


def test_an_ipv6_client_is_counted_by_its_64_block(settings):
    settings.PORTAL_PROXY_HOPS = 0
    one = RequestFactory().get("/", REMOTE_ADDR="2001:db8:1:2::5")
    other = RequestFactory().get("/", REMOTE_ADDR="2001:db8:1:2:ffff::9")
    assert client_key(one) == client_key(other) == "2001:db8:1:2::/64"


def test_a_client_without_an_address_is_not_limited(client, settings):
    limits(settings, search="1/d", api="1/h")
    for _ in range(3):
        assert client.get("/search/", {"q": "cầu"}, REMOTE_ADDR="").status_code == 200
        assert client.get("/api/documents/", REMOTE_ADDR="").status_code == 200


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_an_unreachable_cache_lets_visitors_through(client, settings):
    limits(settings, search="1/d", download="1/d", api="1/h")
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{_free_port()}/0",
        }
    }
    for _ in range(2):
        assert client.get("/search/", {"q": "cầu"}).status_code == 200
        assert client.get("/documents/", {"format": "csv"}).status_code == 200
        assert client.get("/api/documents/").status_code == 200


@pytest.fixture
def redis_url():
    """A Redis server of the test's own (Debian's redis-server), on a free port."""
    executable = shutil.which("redis-server")
    if executable is None:
        pytest.fail("redis-server is not installed: `apt-get install redis-server`.")
    port = _free_port()
    server = subprocess.Popen(
        [executable, "--port", str(port), "--bind", "127.0.0.1", "--save", ""],
        stdout=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        server.terminate()
        server.wait(timeout=10)


# One search from a fresh process, served by the production settings (static files by name:
# the hashed manifest exists only after collectstatic).
ANOTHER_WORKER = """
import django
from django.test import Client, override_settings

django.setup()
plain = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
with override_settings(STORAGES={"staticfiles": plain}):
    response = Client().get("/search/", {"q": "cầu"})
print(response.status_code, response.get("Retry-After"))
"""


def test_the_count_holds_across_workers_through_redis(client, settings, redis_url):
    """Two processes (two gunicorn workers) share one count when REDIS_URL is set."""
    limits(settings, search="2/d")
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis_url,
        }
    }
    assert client.get("/search/", {"q": "cầu"}).status_code == 200
    assert client.get("/search/", {"q": "cầu"}).status_code == 200

    # Another worker: a new process, its settings read from the environment as in production.
    other_worker = subprocess.run(
        [sys.executable, "-c", ANOTHER_WORKER],
        cwd=BASE_DIR,
        env=os.environ
        | {
            "DJANGO_SETTINGS_MODULE": "portal.settings",
            "DJANGO_SECRET_KEY": "x",
            "DJANGO_ALLOWED_HOSTS": "testserver",
            "DJANGO_SECURE_HTTPS": "false",
            "REDIS_URL": redis_url,
            "PORTAL_RATE_SEARCH": "2/d",
        },
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert other_worker.returncode == 0, other_worker.stderr
    status, seconds = other_worker.stdout.split()
    assert status == "429"
    assert 1 <= int(seconds) <= datetime.timedelta(days=1).total_seconds()


def test_password_reset_mails_are_limited_per_client(client, settings, mailoutbox):
    limits(settings, password_reset="2/h")
    url = reverse("accounts:password_reset")
    for _ in range(2):
        assert client.post(url, {"email": "ai.do@example.gov.vn"}).status_code == 302
    refused = client.post(url, {"email": "ai.do@example.gov.vn"})
    assert refused.status_code == 429 and retry_after(refused) <= 3600
    assert client.get(url).status_code == 200, "the form itself stays readable"
