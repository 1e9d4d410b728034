"""A Redis cache that fails open.

When Redis is down or does not answer, the site keeps serving pages: a read is
a miss and a write is dropped. The failure is logged once, when it starts, and
once more when Redis answers again, not on every request.

Callers that must not run without the cache (rate limits) use the "strict"
alias, the same store without this safety net, or check `cache_is_failing()`.
"""

import functools
import logging
import threading

from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)


def _fail_open(default_factory=lambda args, kwargs: None):
    def decorator(method):
        @functools.wraps(method)
        def wrapper(self, *args, **kwargs):
            try:
                result = method(self, *args, **kwargs)
            except RedisError as error:
                self._record_failure(error)
                return default_factory(args, kwargs)
            self._record_success()
            return result

        return wrapper

    return decorator


def _default_argument(args, kwargs):
    """What `get(key, default)` returns on a miss."""
    return kwargs.get("default", args[1] if len(args) > 1 else None)


class ReusedClientRedisCacheClient(RedisCacheClient):
    """Django's Redis client, keeping one `redis.Redis` per connection pool.

    Django builds a new `redis.Redis` for every cache operation, and each
    builds its table of some 170 response callbacks: a fifth of a millisecond
    a time, several times a request. One per pool is enough: it is safe to
    share, and takes a connection from its pool for each command.
    """

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        clients = self.__dict__.setdefault("_clients", {})
        client = clients.get(id(pool))
        if client is None:
            client = clients[id(pool)] = self._client(connection_pool=pool)
        return client


class FailOpenRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusedClientRedisCacheClient
        self._lock = threading.Lock()
        self.failing = False

    def _record_failure(self, error: Exception) -> None:
        with self._lock:
            first = not self.failing
            self.failing = True
        if first:
            logger.error(
                "cache unavailable, serving without it",
                extra={"event": "cache_down", "error": error.__class__.__name__},
            )

    def _record_success(self) -> None:
        if self.failing:
            with self._lock:
                back = self.failing
                self.failing = False
            if back:
                logger.warning("cache available again", extra={"event": "cache_up"})

    def make_and_validate_key(self, key, version=None):
        # Redis takes any key: memcached's checks of length and characters,
        # run on every key of every request, are left out.
        return self.make_key(key, version=version)

    get = _fail_open(_default_argument)(RedisCache.get)
    set = _fail_open()(RedisCache.set)
    add = _fail_open(lambda args, kwargs: False)(RedisCache.add)
    touch = _fail_open(lambda args, kwargs: False)(RedisCache.touch)
    delete = _fail_open(lambda args, kwargs: False)(RedisCache.delete)
    has_key = _fail_open(lambda args, kwargs: False)(RedisCache.has_key)
    get_many = _fail_open(lambda args, kwargs: {})(RedisCache.get_many)
    set_many = _fail_open(lambda args, kwargs: [])(RedisCache.set_many)
    delete_many = _fail_open()(RedisCache.delete_many)
    _clear = _fail_open(lambda args, kwargs: False)(RedisCache.clear)

    def clear(self):
        cleared = self._clear()
        # Every version is gone: processes holding pages under them let go.
        from .version_watch import announce

        announce()
        return cleared

    # None when Redis refused: the caller cannot tell what the value is now.
    incr = _fail_open()(RedisCache.incr)

    def get_or_set(self, key, default, timeout=None, version=None):
        # Built on get and add, which already fail open; with Redis down the
        # value is computed every time rather than never.
        value = self.get(key, version=version)
        if value is None:
            value = default() if callable(default) else default
            if value is not None:
                self.add(key, value, timeout=timeout, version=version)
        return value


def cache_is_failing(alias: str = "default") -> bool:
    """True while the cache behind `alias` is known to be down."""
    return bool(getattr(caches[alias], "failing", False))
