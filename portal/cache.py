"""Django's Redis cache, keeping one Redis client per connection pool, and reading many keys
over a connection of the thread's own.

Django's `RedisCacheClient.get_client()` builds a new `redis.Redis` for every call, and
redis-py fills a table of ~170 response callbacks in each: about 0.4 ms, twice for every
page the response cache answers (its generations, then the page), more than the rest of a
hit. A client is safe to share: each command borrows a connection from the pool.

`get_many` is the one read of every page the response cache answers (portal/response_cache.py).
Through `redis.Redis.mget` it cost 45-70 µs of CPU (a connection borrowed from the pool and
given back, retries, metrics); on a connection that stays with its thread, about 20 µs.
redis-py's connection still connects, authenticates, selects the database, packs the
command and parses the answer. Each thread of each worker holds one such connection.
"""

import os
import threading

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError


class _PooledClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}
        self._own = threading.local()

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(pool)
        if client is None:
            client = self._clients[pool] = self._client(connection_pool=pool)
        return client

    def get_many(self, keys):
        values = self._mget(keys)
        return {
            k: self._serializer.loads(v)
            for k, v in zip(keys, values, strict=True)
            if v is not None
        }

    def _mget(self, keys) -> list:
        try:
            return self._send(keys)
        except ConnectionError:
            # Closed by Redis (a restart), the connection is made again: a read can be sent
            # twice. redis-py has already dropped the broken one.
            return self._send(keys)

    def _send(self, keys) -> list:
        connection = self._connection()
        connection.send_command("MGET", *keys)
        return connection.read_response()

    def _connection(self):
        """This thread's connection to the server that reads, made in this process (a
        forked worker makes its own)."""
        own = self._own
        if getattr(own, "pid", None) != os.getpid():
            pool = self._get_connection_pool(write=False)
            own.connection = pool.connection_class(**pool.connection_kwargs)
            own.pid = os.getpid()
        return own.connection


class PooledRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _PooledClient
