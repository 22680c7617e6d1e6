"""The figures the search plans are chosen by, kept in Django's cache (`word_search.cached`):
shared by every worker through Redis, expiring after STATISTICS_SECONDS, and never a
reason for a search to fail."""

import datetime
import socket
import time

import pytest
from django.core.cache.backends.redis import RedisCache
from django.db import connection

from portal.tests.test_rate_limits import redis_url  # noqa: F401 (a fixture)

from .. import word_search
from ..models import Document
from .factories import make_document

pytestmark = pytest.mark.django_db


def worker(monkeypatch, location: str) -> RedisCache:
    """A process of its own: its own client of the cache at `location`."""
    client = RedisCache(location, {})
    monkeypatch.setattr(word_search, "cache", client)
    return client


def second_newest() -> datetime.date | None:
    """A figure kept like the statistics: the issue date of the second newest document."""

    def read():
        dated = Document.objects.exclude(issued_on=None).order_by("-issued_on")
        newest = dated.values_list("issued_on", flat=True)
        return next(iter(newest[1:2]), None)

    return word_search.cached(connection.alias, "recent:2", read)


def issued(month: int) -> Document:
    return make_document(issued_on=datetime.date(2025, month, 1))


def test_workers_share_a_figure_through_redis(
    monkeypatch,
    redis_url,  # noqa: F811
    django_assert_num_queries,
):
    for month in (1, 2, 3):
        issued(month)
    first = worker(monkeypatch, redis_url)
    assert second_newest() == datetime.date(2025, 2, 1)
    issued(4)
    worker(monkeypatch, redis_url)
    with django_assert_num_queries(0):  # the first worker's figure, not read again
        assert second_newest() == datetime.date(2025, 2, 1)
    # One short key under the documented prefix, with the database hashed into it.
    keys = [key.decode() for key in first._cache.get_client().keys("*")]
    assert len(keys) == 1
    assert keys[0].startswith(f":1:{word_search.CACHE_PREFIX}:recent:2:")
    assert len(keys[0]) < 60
    assert not any(character.isspace() for character in keys[0])


def test_a_figure_expires_for_every_worker(monkeypatch, redis_url):  # noqa: F811
    """Documents added since a figure was read count once it expires, in any worker."""
    monkeypatch.setattr(word_search, "STATISTICS_SECONDS", 1)
    for month in (1, 2):
        issued(month)
    worker(monkeypatch, redis_url)
    assert second_newest() == datetime.date(2025, 1, 1)
    issued(3)
    time.sleep(1.2)
    worker(monkeypatch, redis_url)
    assert second_newest() == datetime.date(2025, 2, 1)


def test_an_unreachable_cache_reads_the_figure_every_time(monkeypatch, caplog):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    worker(monkeypatch, f"redis://127.0.0.1:{port}/0")
    for month in (1, 2):
        issued(month)
    assert second_newest() == datetime.date(2025, 1, 1)
    issued(3)
    assert second_newest() == datetime.date(2025, 2, 1)
    assert "cache unavailable" in caplog.text


def test_a_figure_of_none_is_kept(django_assert_num_queries):
    """Fewer documents than the position: None, kept like any other figure."""
    word_search.cache.clear()
    issued(1)
    assert second_newest() is None
    with django_assert_num_queries(0):
        assert second_newest() is None


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's statistics")
def test_workers_share_the_statistics_of_words(
    monkeypatch,
    redis_url,  # noqa: F811
    django_assert_num_queries,
):
    for _ in range(3):
        make_document(title="Cải tạo sông Tô Lịch")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE documents_document")
    worker(monkeypatch, redis_url)
    read = word_search.word_frequencies(connection.alias)
    assert read[1] == 3
    worker(monkeypatch, redis_url)
    with django_assert_num_queries(0):
        assert word_search.word_frequencies(connection.alias) == read
