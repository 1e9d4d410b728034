"""Copies kept under the content version: exact whatever an edit touches.

Small copies of the content (the site chrome, the next publication minute,
the years of the archive) are marked with the *content version*, a number
that every save or delete of content bumps (`core.pagecache`). A copy is used
only under the version it was made with, so one bump makes every such copy
stale at once, with no need to know which pages an edit touches.

Whole pages are marked more finely, by the versions of their surrogate keys
(`core.edge`): a change bumps only the keys it touches (`bump_keys`), so a
correction to one release leaves the other kept pages kept. The *page
version* (moved by a change to the chrome, or by `bump_content_version`)
makes every kept page stale at once.

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
import hashlib
import os
import pickle
import threading
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from typing import TypeVar

from django.core.cache import cache
from django.utils import timezone

from . import registry, version_watch

# How long anything marked with a content version may stay in the cache; a
# bump makes it useless long before that.
VERSIONED_TIMEOUT = 24 * 3600

CONTENT_VERSION_KEY = "content-version"
# Kept pages are marked with finer versions (`core.edge` names the keys):
# every kept page goes stale when PAGE_VERSION_KEY moves (the chrome changed,
# or `bump_content_version`), and a page goes stale when one of its keys'
# versions moves. KEYS_STAMP moves with any key, so that a page kept since
# the last change is known good without reading its keys.
PAGE_VERSION_KEY = "page-version"
KEYS_STAMP_KEY = "keys-stamp"

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
    """Make every copy kept so far stale, every kept page included. Call it after changes that send no signal.

    The edge is purged of everything too, after the commit (`core.edge`).
    Never fails: a save must not fail because of the cache.
    """
    _bump(CONTENT_VERSION_KEY, PAGE_VERSION_KEY)
    from .edge import CHROME, purge_after_commit

    purge_after_commit({CHROME}, then=lambda keys: _bump(CONTENT_VERSION_KEY, PAGE_VERSION_KEY))


def bump_small_copies() -> None:
    """Make the copies kept with `cached_under_version` stale (any content change does)."""
    _bump(CONTENT_VERSION_KEY)


def _bump(*names: str) -> None:
    """Move versions, in order, then announce it to the processes holding pages under them.

    When the cache refuses a write (Redis full with `noeviction`, or down),
    the version is removed instead, so that no kept copy matches it any more.
    """
    for name in names:
        if name == CONTENT_VERSION_KEY:
            _pin.set(None)
        try:
            moved = cache.incr(name) is not None
        except ValueError:
            moved = cache.add(name, _fresh_version(), timeout=None)
        if not moved:
            cache.delete(name)
    version_watch.announce()


def key_version_name(key: str) -> str:
    return f"key-version:{key}"


def bump_keys(keys) -> None:
    """Make the kept pages showing any of `keys` stale; `chrome` makes every kept page stale.

    The stamp moves before the keys, so a page whose rendering overlaps the
    change is not kept (`key_versions_to_keep`), and after them, so that no
    process keeps a key's version read in between (`key_versions`).
    """
    from .edge import CHROME

    keys = set(keys)
    page = [PAGE_VERSION_KEY] if CHROME in keys else []
    _bump(KEYS_STAMP_KEY, *page, *(key_version_name(key) for key in keys - {CHROME}), KEYS_STAMP_KEY)
    _key_versions.clear()


def started_version(found: dict, name: str) -> int:
    """The version `name` in `found` (read with the page), started at random when the cache has none."""
    version = found.get(name)
    if version is None:
        cache.add(name, _fresh_version(), timeout=None)
        version = cache.get(name) or _fresh_version()
    return version


# The versions of keys this process read last, good while the stamp holds.
_key_versions: dict = {}


def key_versions(keys, stamp: int | None) -> dict[str, int | None]:
    """The current version of each key, read from the cache once per stamp in each process."""
    if stamp is None or _key_versions.get("stamp") != stamp:
        _key_versions.clear()
        _key_versions["stamp"] = stamp
        _key_versions["versions"] = {}
    known = _key_versions["versions"]
    missing = [key for key in keys if known.get(key) is None]
    if missing:
        found = cache.get_many([key_version_name(key) for key in missing])
        for key in missing:
            known[key] = found.get(key_version_name(key))
    return {key: known.get(key) for key in keys}


def key_versions_to_keep(keys, stamp: int) -> dict[str, int] | None:
    """The versions to keep a page under, as they were when its rendering began (stamp `stamp`).

    None when a key moved since: the page may show what was there before,
    and is not kept.
    """
    names = [KEYS_STAMP_KEY, *(key_version_name(key) for key in keys)]
    found = cache.get_many(names)
    missing = [name for name in names[1:] if found.get(name) is None]
    if missing:
        for name in missing:
            cache.add(name, _fresh_version(), timeout=None)
        again = cache.get_many([KEYS_STAMP_KEY, *missing])
        if again.get(KEYS_STAMP_KEY) != stamp:
            return None
        found.update(again)
    if found.get(KEYS_STAMP_KEY) != stamp:
        return None
    versions = {key: found.get(key_version_name(key)) for key in keys}
    return None if None in versions.values() else versions


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
        # Another process made it: this one keeps it too.
        _keep_in_process(name, entry)
        return entry[1]
    return _MISSING


def _set_versioned(name: str, value) -> None:
    version = content_version()
    # Kept under its plain name with the version beside it: a copy from
    # another version is ignored, and the next one replaces it in place.
    cache.set(name, (version, value), timeout=VERSIONED_TIMEOUT)
    _keep_in_process(name, (version, value))


def _keep_in_process(name: str, entry: tuple[int, object]) -> None:
    version, value = entry
    for old in [key for key, kept in list(_in_process.items()) if kept[0] != version]:
        _in_process.pop(old, None)
    _in_process[name] = entry
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


def cached_until_next_publication(name: str, build: Callable[[dt.datetime], T]) -> T:
    """`build(now)`, computed once per content version and per publication window.

    What the public may see changes at each publication minute: the copy is
    kept under the next minute, and built for a moment (`now`) inside the
    window that ends there, however long the build takes. A build that began
    a few milliseconds before a minute and ended after it still describes the
    window it is kept for.
    """
    now = timezone.now()
    next_at = next_publication_at(now)
    window = int(next_at.timestamp()) if next_at else None
    return cached_under_version(f"{name}:{window}", lambda: build(now))


# Copies of which there are many (one per release and language, one per page
# of a listing): each process keeps the last ones it used, up to this many,
# apart from the few every page needs.
MANY_IN_PROCESS = 500
_many_in_process: dict[str, tuple[int, bytes]] = {}
_many_lock = threading.Lock()


def cached_one_of_many(name: str, build: Callable[[dt.datetime], T]) -> T:
    """As `cached_until_next_publication`, for one of many copies of a kind.

    The copy is read from the process's last copies, else from the shared
    cache, else built, and used only under the content version of the request
    and in its publication window. Only the pin's version is read on the way:
    no round trip when the process already holds it. Each caller gets its own
    copy (kept pickled), free to change it. Nothing found (None) is not kept:
    addresses that lead nowhere are countless.
    """
    now = timezone.now()
    next_at = next_publication_at(now)
    if len(name) > 200:
        # Names come from addresses: a long one is shortened to fit any cache.
        name = "hashed:" + hashlib.sha256(name.encode()).hexdigest()
    key = f"{name}:{int(next_at.timestamp()) if next_at else None}"
    version = content_version()
    entry = _many_in_process.get(key)
    if entry is None or entry[0] != version:
        entry = cache.get(key)
        if entry is None or entry[0] != version:
            value = build(now)
            if value is None:
                return None
            entry = (version, pickle.dumps(value, pickle.HIGHEST_PROTOCOL))
            cache.set(key, entry, timeout=VERSIONED_TIMEOUT)
        with _many_lock:
            # The oldest go first.
            _many_in_process.pop(key, None)
            _many_in_process[key] = entry
            while len(_many_in_process) > MANY_IN_PROCESS:
                _many_in_process.pop(next(iter(_many_in_process)))
    return pickle.loads(entry[1])


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
