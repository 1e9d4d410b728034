"""Surrogate keys: what a public response shows, for the page cache and for the edge.

Every public response is named by the keys of what it shows: `release-123`
for a release's own page, `initiative-7`, `page-4`, and two keys every site
has:

- `listing`: pages that list content (the newsroom, feeds, search, year
  archives, the API's lists, the sitemaps) and any page that names nothing
  more precise. Every content change touches it;
- `chrome`: the site chrome (menus, the department, standard pages shown in
  navigation). Every page shows it, so a change to the chrome touches
  everything.

Views name what they show with `add_page_keys` (`core.views.PublicPageMixin`
does it for a page about one object); content apps say which keys a change to
one of their objects touches (`core.registry.register_change_keys`).

The page cache (`core.pagecache`) keeps a page while none of its keys moved
(`core.versioned`). With an edge configured (`EDGE_PURGE_URLS`), each public
response also carries the keys in an `xkey` header, and its lifetime at the
edge in `Surrogate-Control`; the edge reads both and strips them. After each
commit, the changed keys are purged at every edge through the task queue,
retried until they succeed or the attempts run out (logged).
"""

import datetime as dt
import logging
import math
import threading
import urllib.error
import urllib.request
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .tasks import task

logger = logging.getLogger(__name__)

CHROME = "chrome"
LISTING = "listing"
# The header the edge reads for the keys of a response (Varnish's xkey).
KEYS_HEADER = "xkey"
# The header of a purge request naming the keys to purge.
PURGE_HEADER = "xkey-purge"

_page_keys: ContextVar[set[str] | None] = ContextVar("page_keys", default=None)


def add_page_keys(*keys: str) -> None:
    """Name what the page being rendered shows (its keys), beside `chrome`."""
    collected = _page_keys.get()
    if collected is not None:
        collected.update(key for key in keys if key)


@contextmanager
def collecting_page_keys() -> Iterator[set[str]]:
    """Collect the keys a view names while it renders one response."""
    collected: set[str] = set()
    token = _page_keys.set(collected)
    try:
        yield collected
    finally:
        _page_keys.reset(token)


def page_keys(collected: Iterable[str]) -> frozenset[str]:
    """The keys of a response: what its view named, or `listing` when it named nothing.

    `chrome` is left out: every page has it (`add_edge_headers` names it).
    """
    keys = frozenset(collected) - {CHROME}
    return keys or frozenset({LISTING})


def edge_enabled() -> bool:
    return bool(getattr(settings, "EDGE_PURGE_URLS", None))


def add_edge_headers(response, keys: Iterable[str], valid_until: float | None, now: float) -> None:
    """The keys and the edge's lifetime, on a public response, when an edge is configured.

    The lifetime ends at the next publication minute (`valid_until`), so a
    scheduled release appears at the edge at its minute; the browser's
    `Cache-Control` says nothing of it.
    """
    if not edge_enabled():
        return
    response[KEYS_HEADER] = " ".join(sorted({*keys, CHROME}))
    lifetime = settings.EDGE_MAX_AGE
    if valid_until is not None:
        lifetime = min(lifetime, max(0, math.floor(valid_until - now)))
    response["Surrogate-Control"] = f"max-age={lifetime}"


def forbid_edge_keeping(response) -> None:
    """Let the edge pass this answer on without keeping it (its content changed while it was made)."""
    if edge_enabled() and response.has_header("Surrogate-Control"):
        response["Surrogate-Control"] = "max-age=0"


# Keys changed in this thread's open transactions, purged together after the commit.
_pending = threading.local()


def purge_after_commit(keys: Iterable[str], then=None) -> None:
    """Purge `keys` at the edge once the transaction commits (at once outside one).

    `then(keys)` runs first, after the commit, with every key changed since
    the last flush: several saves in one transaction send one purge.
    """
    pending = getattr(_pending, "keys", None)
    if pending is None:
        pending = _pending.keys = set()
    pending.update(keys)

    def flush():
        batch = set(getattr(_pending, "keys", None) or ())
        _pending.keys = set()
        if not batch:
            return
        if then is not None:
            then(batch)
        enqueue_purge(batch)

    transaction.on_commit(flush)


def enqueue_purge(keys: Iterable[str]) -> None:
    """Send a purge of `keys` to every edge, through the task queue; nothing without an edge."""
    if not edge_enabled():
        return
    keys = sorted(set(keys))
    if CHROME in keys:
        keys = [CHROME]
    try:
        purge_edge.enqueue(keys, 1)
    except Exception:
        # The save went through; an edge that cannot be told keeps the page
        # until its lifetime ends (EDGE_MAX_AGE, or the next publication minute).
        logger.exception("edge purge could not be queued", extra={"keys": keys})


# Straight to the edge, whatever proxy the environment names.
_opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def send_purge(url: str, keys: list[str]) -> None:
    request = urllib.request.Request(url, method="PURGE", headers={PURGE_HEADER: " ".join(keys)})
    with _opener.open(request, timeout=settings.EDGE_PURGE_TIMEOUT) as response:
        response.read()


@task()
def purge_edge(keys: list[str], attempt: int, urls: list[str] | None = None) -> None:
    """Purge `keys` at every edge (or at `urls`, those a previous attempt missed).

    An edge that does not answer is asked again later, by a new task, up to
    EDGE_PURGE_ATTEMPTS attempts; each failure is logged, the last one as an error.
    """
    failed = []
    for url in urls if urls is not None else settings.EDGE_PURGE_URLS:
        try:
            send_purge(url, keys)
        except (OSError, urllib.error.URLError) as error:
            failed.append(url)
            last = attempt >= settings.EDGE_PURGE_ATTEMPTS
            (logger.error if last else logger.warning)(
                "edge purge failed",
                extra={
                    "edge": url,
                    "keys": keys,
                    "attempt": attempt,
                    "error": str(error),
                    "retried": not last,
                },
            )
    if failed and attempt < settings.EDGE_PURGE_ATTEMPTS:
        delay = settings.EDGE_PURGE_RETRY_SECONDS * attempt
        purge_edge.using(run_after=timezone.now() + dt.timedelta(seconds=delay)).enqueue(
            keys, attempt + 1, failed
        )
