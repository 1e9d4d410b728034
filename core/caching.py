"""Cache headers for public pages, and what keeps every cached copy exact.

A public response may be kept by browsers, a CDN or a reverse proxy, but
never past the next scheduled publication minute: when that minute comes,
listings, feeds and archives must show the new release at once.

Anything kept in our own cache (whole pages, the site chrome, the next
publication minute) is marked with the *content version*, a number that every
save or delete of content bumps (see `core.pagecache`). One bump makes every
copy stale at once, with no need to know which pages an edit touches.
"""

import contextlib
import datetime as dt
import functools
import math
import os
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from typing import TypeVar

from django.core.cache import cache
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.http import http_date

PUBLIC_MAX_AGE = 300  # seconds
# How long anything marked with a content version may stay in the cache; a
# bump makes it useless long before that.
VERSIONED_TIMEOUT = 24 * 3600

CONTENT_VERSION_KEY = "content-version"

T = TypeVar("T")


# What one request has read of the content version and the copies kept under it.
_pin: ContextVar["_Pin | None"] = ContextVar("content_version_pin", default=None)
# Small copies every page needs. Each process also holds the last ones it
# read: checked against the shared version at every request, they stay exact
# and spare a round trip and the unpickling.
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
    """The next minute a scheduled release becomes public, after `now`.

    Asked on every public response, so the answer is kept under the content
    version (a new or rescheduled release bumps it) and looked up again only
    once that minute has passed.
    """
    from newsroom.models import NewsRelease

    now = now or timezone.now()
    known = _get_versioned("next-publication")
    if known is not _MISSING:
        computed_at, next_ts = known
        if computed_at <= now.timestamp() and (next_ts is None or now.timestamp() < next_ts):
            return None if next_ts is None else dt.datetime.fromtimestamp(next_ts, tz=dt.UTC)
    upcoming = NewsRelease.objects.awaiting_publication(now).order_by("published_at")
    next_at = upcoming.values_list("published_at", flat=True).first()
    _set_versioned("next-publication", (now.timestamp(), next_at and next_at.timestamp()))
    return next_at


def seconds_until_next_publication(now: dt.datetime | None = None) -> float | None:
    now = now or timezone.now()
    next_at = next_publication_at(now)
    if next_at is None:
        return None
    return (next_at - now).total_seconds()


def public_max_age(now: dt.datetime | None = None) -> int:
    """How long a public response may be kept, in whole seconds."""
    until_next = seconds_until_next_publication(now)
    if until_next is None:
        return PUBLIC_MAX_AGE
    return max(0, min(PUBLIC_MAX_AGE, math.floor(until_next)))


def patch_public_headers(response, *, last_modified: dt.date | dt.datetime | None = None):
    max_age = public_max_age()
    patch_cache_control(response, public=True, max_age=max_age, s_maxage=max_age)
    if last_modified is not None and not response.has_header("Last-Modified"):
        if not isinstance(last_modified, dt.datetime):
            last_modified = dt.datetime.combine(last_modified, dt.time.min, tzinfo=dt.UTC)
        response["Last-Modified"] = http_date(last_modified.timestamp())
    return response


def patch_private_headers(response):
    patch_cache_control(response, private=True, no_store=True, max_age=0)
    if "s-maxage" in response.get("Cache-Control", ""):
        # A shared cache must not keep what only one reader may see.
        directives = [d for d in response["Cache-Control"].split(", ") if not d.startswith("s-maxage")]
        response["Cache-Control"] = ", ".join(directives)
    return response


def public_cache(view):
    """Public cache headers for a view that does not set them itself: feeds, sitemap, API.

    Works on view functions and on callable views such as `Feed()` instances.
    """

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if "private" in response.get("Cache-Control", "") or "no-store" in response.get("Cache-Control", ""):
            return response
        return patch_public_headers(response)

    return wrapper


def private_cache(view):
    """Never kept by a browser, a proxy or the page cache: previews, forms."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        return patch_private_headers(view(request, *args, **kwargs))

    return wrapper
