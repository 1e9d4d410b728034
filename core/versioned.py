"""Copies kept under the content version: exact whatever an edit touches.

Anything kept of the content (whole pages, the site chrome, the next
publication minute, the years of the archive) is marked with the *content
version*, a number that every save or delete of content bumps
(`core.pagecache`). A copy is used only under the version it was made with,
so one bump makes every copy stale at once, with no need to know which pages
an edit touches.

Three layers, each exact:

1. the *request pin*: a request reads the version once, with the small
   copies every page needs, and uses that one answer throughout, so that a
   page is built from one consistent state;
2. the *per-process copy*: each process keeps the last small copies it read,
   checked against the shared version at every request, which spares a round
   trip and the unpickling;
3. the *shared cache* (Redis, or local memory on the embedded default), where
   the version and the copies live for every process.
"""

import contextlib
import datetime as dt
import os
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from typing import TypeVar

from django.core.cache import cache
from django.utils import timezone

from . import registry

# How long anything marked with a content version may stay in the cache; a
# bump makes it useless long before that.
VERSIONED_TIMEOUT = 24 * 3600

CONTENT_VERSION_KEY = "content-version"

T = TypeVar("T")


# What one request has read of the content version and the copies kept under it.
_pin: ContextVar["_Pin | None"] = ContextVar("content_version_pin", default=None)
# Small copies every page needs, read with the version in one round trip.
SHARED_NAMES = ("site-chrome", "next-publication")
_in_process: dict[str, tuple[int, object]] = {}


class _Pin:
    def __init__(self, version: int, values: dict):
        self.version = version
        self.values = values


@contextlib.contextmanager
def pinned_version(found: dict | None = None) -> Iterator[None]:
    """Read the content version once for a whole request, with the copies every page needs.

    A page asks for the version several times (its own copy, the site chrome,
    the next publication minute); one answer saves round trips to the cache
    and keeps them consistent. `found` is what the caller already read.
    """
    found = found or {}
    version = found[CONTENT_VERSION_KEY] if CONTENT_VERSION_KEY in found else content_version()
    values = {name: entry[1] for name, entry in list(_in_process.items()) if entry[0] == version}
    missing = [name for name in SHARED_NAMES if name not in values]
    for name, entry in cache.get_many(missing).items() if missing else ():
        if entry[0] == version:
            values[name] = entry[1]
            _in_process[name] = entry
    token = _pin.set(_Pin(version, values))
    try:
        yield
    finally:
        _pin.reset(token)


def content_version() -> int:
    """The current content version, shared by every process through the cache."""
    pin = _pin.get()
    if pin is not None:
        return pin.version
    return _shared_version()


def _shared_version() -> int:
    version = cache.get(CONTENT_VERSION_KEY)
    if version is None:
        # Started at random, so a version lost with an emptied cache is never
        # reused and can never bring back a copy made under it.
        cache.add(CONTENT_VERSION_KEY, _fresh_version(), timeout=None)
        # Without an answer (Redis down: the cache fails open), a version of
        # its own that no kept copy matches.
        version = cache.get(CONTENT_VERSION_KEY) or _fresh_version()
    return version


def bump_content_version() -> None:
    """Make every copy kept so far stale. Call it after changes that send no signal."""
    _pin.set(None)
    try:
        cache.incr(CONTENT_VERSION_KEY)
    except ValueError:
        cache.add(CONTENT_VERSION_KEY, _fresh_version(), timeout=None)


def _fresh_version() -> int:
    return int.from_bytes(os.urandom(7), "big")


_MISSING = object()


def _get_versioned(name: str):
    """The copy kept as `name` if it was made under the current version."""
    pin = _pin.get()
    if pin is not None and name in pin.values:
        return pin.values[name]
    entry = cache.get(name)
    if entry is not None and entry[0] == content_version():
        return entry[1]
    return _MISSING


def _set_versioned(name: str, value) -> None:
    version = content_version()
    # Kept under its plain name with the version beside it: a copy from
    # another version is ignored, and the next one replaces it in place.
    cache.set(name, (version, value), timeout=VERSIONED_TIMEOUT)
    for old in [key for key, entry in list(_in_process.items()) if entry[0] != version]:
        _in_process.pop(old, None)
    _in_process[name] = (version, value)
    pin = _pin.get()
    if pin is not None and pin.version == version:
        pin.values[name] = value


def cached_under_version(name: str, build: Callable[[], T]) -> T:
    """`build()`, computed once per content version."""
    value = _get_versioned(name)
    if value is _MISSING:
        value = build()
        _set_versioned(name, value)
    return value


def next_publication_at(now: dt.datetime | None = None) -> dt.datetime | None:
    """The next minute something scheduled becomes public, after `now`.

    Asked on every public response, so the answer is kept under the content
    version (scheduling or rescheduling is a save, which bumps it) and looked
    up again only once that minute has passed. The content apps say when their
    items are due (`core.registry.register_publication_clock`).
    """
    now = now or timezone.now()
    known = _get_versioned("next-publication")
    if known is not _MISSING:
        computed_at, next_ts = known
        if computed_at <= now.timestamp() and (next_ts is None or now.timestamp() < next_ts):
            return None if next_ts is None else dt.datetime.fromtimestamp(next_ts, tz=dt.UTC)
    next_at = registry.next_scheduled_minute(now)
    _set_versioned("next-publication", (now.timestamp(), next_at and next_at.timestamp()))
    return next_at


def seconds_until_next_publication(now: dt.datetime | None = None) -> float | None:
    now = now or timezone.now()
    next_at = next_publication_at(now)
    if next_at is None:
        return None
    return (next_at - now).total_seconds()
