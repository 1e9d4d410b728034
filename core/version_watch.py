"""Kept pages answered from the process's memory, exact through Redis's messages.

A kept page is good while the versions it was kept under hold
(`core.versioned`); reading them is a round trip to Redis on every request,
which is most of what a kept page costs under load. Each process therefore
listens on a Redis channel on which every move of a version is announced
(`announce`, called by `core.versioned` after each bump and by the cache's
`clear`), and keeps the versions it last read, with the pages it served under
them, until the next announcement. A request first looks, without waiting,
for an announcement on its connection: none means the versions it holds are
still those in Redis, and a page it holds is answered without a round trip.

The channel is listened to before the versions are read, so a move made after
the reading is always announced to the process; a move made by the process
itself forgets at once. Whatever goes wrong (Redis down, the connection lost,
a message that cannot be read, another thread listening) forgets everything
and falls back to reading Redis, so a page is never served on versions that
may have moved. The publication minute does not depend on it: a kept page
still ends at its minute, read from the clock.

Only with Redis as the cache; the embedded default's file cache has no
channel, and reads its versions every time.
"""

import contextlib
import logging
import os
import pickle
import threading
import time
from typing import NamedTuple

from django.conf import settings
from django.core.cache import caches
from redis.exceptions import RedisError

from .cache_backends import FailOpenRedisCache

logger = logging.getLogger(__name__)

# Pages each process holds, the oldest forgotten first.
HELD_PAGES = 1000
# After a failure to listen, how long before trying again.
RETRY_SECONDS = 5.0
# How long to wait for Redis to confirm a subscription.
CONFIRM_SECONDS = 0.5


def _channel() -> str:
    """One per cache: sites sharing a Redis server keep to their own announcements."""
    default = settings.CACHES["default"]
    return f"{default.get('KEY_PREFIX', '')}:{default.get('LOCATION', '')}:versions-moved"


class VersionWatch:
    """One process's listening connection, the versions it read and the pages kept under them."""

    def __init__(self, backend):
        self.backend = backend
        self.pid = os.getpid()
        self.lock = threading.Lock()
        self.pubsub = None
        self.failed_at = 0.0
        # Moves seen (or failures) so far: what was read before one may be stale.
        self.moves = 0
        self.versions: dict | None = None
        self.pages: dict[str, bytes] = {}

    def forget(self) -> None:
        self.moves += 1
        self.versions = None
        self.pages = {}

    def listen(self) -> bool:
        """Subscribe, and wait for Redis to confirm it; False when it cannot."""
        if self.pubsub is not None:
            return True
        if time.monotonic() - self.failed_at < RETRY_SECONDS:
            return False
        pubsub = None
        try:
            pubsub = self.backend._cache.get_client(write=True).pubsub()
            pubsub.subscribe(_channel())
            confirmed = pubsub.get_message(timeout=CONFIRM_SECONDS)
            if not confirmed or confirmed.get("type") != "subscribe":
                raise RedisError("the subscription was not confirmed")
        except (RedisError, OSError) as error:
            self.pubsub = pubsub
            self.stop(error)
            return False
        self.pubsub = pubsub
        self.forget()
        return True

    def close(self) -> None:
        """Stop listening, and forget what was held."""
        self.forget()
        pubsub, self.pubsub = self.pubsub, None
        if pubsub is not None:
            with contextlib.suppress(RedisError, OSError):
                pubsub.close()

    def stop(self, error: Exception) -> None:
        self.failed_at = time.monotonic()
        self.close()
        logger.info(
            "not listening for version moves",
            extra={"event": "version_watch_stopped", "error": error.__class__.__name__},
        )

    def drain(self) -> bool:
        """Read the announcements waiting, without waiting for any; False when not listening."""
        if self.pubsub is None:
            return False
        try:
            while self.pubsub.get_message(timeout=0) is not None:
                self.forget()
        except (RedisError, OSError, ValueError) as error:
            self.stop(error)
            return False
        return True


_watch: VersionWatch | None = None
_watch_lock = threading.Lock()


def _current() -> VersionWatch | None:
    """This process's watch over the default cache, when it is Redis and pages are kept."""
    global _watch
    backend = caches["default"]
    if not settings.PAGE_CACHE or not isinstance(backend, FailOpenRedisCache):
        return None
    watch = _watch
    if watch is None or watch.backend is not backend or watch.pid != os.getpid():
        with _watch_lock:
            watch = _watch
            if watch is None or watch.backend is not backend or watch.pid != os.getpid():
                if watch is not None and watch.pid == os.getpid():
                    # The cache was replaced (new settings): its watch stops listening.
                    watch.close()
                watch = _watch = VersionWatch(backend)
    return watch


def held(key: str) -> dict | None:
    """The versions and the page kept as `key`, from this process's memory, or None.

    None also when another thread of the process is using the watch: that
    request reads Redis as usual.
    """
    watch = _current()
    if watch is None or not watch.lock.acquire(blocking=False):
        return None
    try:
        if not watch.drain() or watch.versions is None or key not in watch.pages:
            return None
        return {**watch.versions, key: pickle.loads(watch.pages[key])}
    finally:
        watch.lock.release()


class Mark(NamedTuple):
    watch: VersionWatch
    moves: int


def listen() -> Mark | None:
    """Listen, if not yet, before the versions are read: a mark to hold what is read with, or None."""
    watch = _current()
    if watch is None or not watch.lock.acquire(blocking=False):
        return None
    try:
        if not watch.listen() or not watch.drain():
            return None
        return Mark(watch, watch.moves)
    finally:
        watch.lock.release()


def hold(mark: Mark | None, versions: dict, key: str, page) -> None:
    """Keep `page` in this process under `versions`, read from Redis after `listen()` gave `mark`.

    Not when a version moved since (the versions may be older than Redis's).
    """
    if mark is None or None in versions.values():
        return
    watch = mark.watch
    if not watch.lock.acquire(blocking=False):
        return
    try:
        if not watch.drain() or watch.moves != mark.moves:
            return
        if watch.versions != versions:
            watch.pages = {}
            watch.versions = dict(versions)
        watch.pages.pop(key, None)
        watch.pages[key] = pickle.dumps(page, pickle.HIGHEST_PROTOCOL)
        while len(watch.pages) > HELD_PAGES:
            watch.pages.pop(next(iter(watch.pages)))
    finally:
        watch.lock.release()


def announce() -> None:
    """Tell every process that a version moved; this one forgets at once."""
    watch = _watch
    if watch is not None:
        with watch.lock:
            watch.forget()
    backend = caches["default"]
    if not isinstance(backend, FailOpenRedisCache):
        return
    try:
        backend._cache.get_client(write=True).publish(_channel(), b"moved")
    except (RedisError, OSError) as error:
        # Processes whose connection still works hear nothing: they learn it
        # from their own connection failing, or from the next move.
        logger.warning(
            "a version move was not announced",
            extra={"event": "version_announce_failed", "error": error.__class__.__name__},
        )
