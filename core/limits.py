"""Abuse limits for the public forms that send e-mail, counted in the cache.

In production the cache is the shared Redis, so the limits hold across app
servers. Keys are keyed hashes: the cache never holds an IP address or an
e-mail address. Counting uses the `strict` cache alias, which raises when
Redis is down, where `default` would fail open and let every send through
uncounted: a form then refuses to send (LimitsUnavailable).
"""

import logging
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches
from django.utils.crypto import salted_hmac

logger = logging.getLogger(__name__)


class LimitReached(Exception):
    """Too many sends from this address or to this recipient."""


class LimitsUnavailable(Exception):
    """The cache cannot count; sending without limits would be an open relay."""


@dataclass(frozen=True)
class Limit:
    """At most `count` sends per `seconds` for one value of `scope`, counted apart for each `form`."""

    form: str
    scope: str
    count: int
    seconds: int

    def key(self, value: str) -> str:
        digest = salted_hmac(f"{self.form}.limits", f"{self.scope}:{value}").hexdigest()
        return f"{self.form}:{self.scope}:{digest}"


def client_ip(request) -> str:
    """The reader's address: REMOTE_ADDR, or behind our own proxies the entry they added.

    Entries further left in X-Forwarded-For are written by the client and
    could be anything, so they are never read.
    """
    proxies = getattr(settings, "NUMBER_OF_PROXIES", 0)
    if proxies > 0:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        if len(forwarded) >= proxies and forwarded[-proxies]:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def _counter():
    return caches["strict"]


def _take(key: str, limit: Limit) -> int:
    cache = _counter()
    cache.add(key, 0, timeout=limit.seconds)
    try:
        return cache.incr(key)
    except ValueError:
        # The window ended between add() and incr(): this is the first of a new one.
        cache.add(key, 1, timeout=limit.seconds)
        return 1


def _give_back(keys: list[str]) -> None:
    cache = _counter()
    for key in keys:
        try:
            cache.decr(key)
        except Exception:
            # An expired window or a cache gone away: nothing left to give back.
            logger.warning("could not give back a form's send count")


@contextmanager
def counted(checks: Iterable[tuple[Limit, str]]) -> Iterator[None]:
    """Count one send against each (limit, value) for the duration of the block.

    Raises LimitReached (nothing counted) when a limit is reached, and
    LimitsUnavailable when the cache does not answer. If the block raises
    (the message could not be sent), the counts are taken back.
    """
    taken: list[str] = []
    try:
        for limit, value in checks:
            key = limit.key(value)
            count = _take(key, limit)
            taken.append(key)
            if count > limit.count:
                _give_back(taken)
                raise LimitReached(limit.scope)
    except LimitReached:
        raise
    except Exception as exc:
        _give_back(taken)
        raise LimitsUnavailable from exc
    try:
        yield
    except BaseException:
        _give_back(taken)
        raise
