"""Whole public responses kept in the cache, answered conditionally.

A response is kept only when it is the same for every reader: an anonymous
GET, a response that says `Cache-Control: public` (`core.cache_headers`), sets
no cookie and read no session. A kept copy records the versions of its
surrogate keys (`core.edge`, `core.versioned`) as they were when its
rendering *began*, and is served only while none of them moved and before the
first publication minute after that moment: an edit of what the page shows,
or a scheduled release reaching its minute, sends the next reader to a fresh
page at once, even when a page started just before the minute is stored just
after it; an edit of something else leaves it kept. With an edge configured,
the response also carries its keys and its edge lifetime (`core.edge`).

Every public response also carries an ETag, and a reader who already has the
same copy gets `304 Not Modified` with no body, whether the page came from
the cache or was just rendered. Last-Modified is the moment this page's
content last changed as far as the cache can tell: a new rendering with the
same ETag keeps the date of the copy it replaces, one with another ETag gets
a later date, so a client asking with `If-Modified-Since` never gets a 304 for
a page that changed. With the page cache off there is no earlier copy to
compare with, so no Last-Modified is sent (the ETag still answers).
"""

import datetime as dt
import hashlib
import math
import time
from dataclasses import dataclass
from typing import NamedTuple

from django.apps import apps
from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.cache import cache
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from django.http import HttpResponse
from django.utils import translation
from django.utils.cache import cc_delim_re, get_conditional_response, set_response_etag
from django.utils.http import http_date, parse_http_date_safe

from . import edge, registry, version_watch
from .cache_headers import is_staff_request
from .versioned import (
    CONTENT_VERSION_KEY,
    KEYS_STAMP_KEY,
    PAGE_VERSION_KEY,
    bump_keys,
    bump_small_copies,
    key_versions,
    key_versions_to_keep,
    next_publication_at,
    pinned_version,
    started_version,
)

CACHED_STATUSES = {200, 301, 404}
# The versions read with a kept page.
VERSION_NAMES = (CONTENT_VERSION_KEY, PAGE_VERSION_KEY, KEYS_STAMP_KEY)
# A request with none of these gets the response as it is.
CONDITIONAL_HEADERS = frozenset(
    ("HTTP_IF_MATCH", "HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE", "HTTP_IF_UNMODIFIED_SINCE")
)
# Keyed on the language, so a page that varies with Accept-Language is safe.
SAFE_VARY = {"accept-language"}


def is_content_model(model) -> bool:
    """A model of an app that declared itself content (`core.registry.register_content_app`).

    django-simple-history's copies live in the same apps; the save of the
    content itself is what matters.
    """
    return model._meta.app_label in registry.content_app_labels() and not hasattr(model, "instance_type")


def own_keys(instance) -> set[str] | None:
    """The key of the object's own pages, else what its app declares a change of it touches."""
    key = getattr(instance, "surrogate_key", None)
    if key is not None:
        return {key}
    keys = registry.change_keys(instance)
    return None if keys is None else set(keys)


def changed_keys(sender, instance, kwargs) -> set[str]:
    """The keys a change touches, as its app declares them; `chrome` (everything) when it declares none."""
    if "action" not in kwargs:
        keys = registry.change_keys(instance)
        keys = None if keys is None else set(keys)
    elif kwargs.get("pk_set") is None:
        # A cleared relation: which objects it held is gone.
        keys = None
    else:
        # The relation changed, not the objects: the pages of either side
        # show it, not the pages that show those objects.
        keys = own_keys(instance)
        for pk in kwargs["pk_set"]:
            related_keys = own_keys(kwargs["model"](pk=pk))
            keys = None if keys is None or related_keys is None else keys | related_keys
    if keys is None:
        return {edge.CHROME}
    # Whatever changed may be listed somewhere (a feed, search, the API).
    keys.add(edge.LISTING)
    return keys


def _bump_after_commit(keys: set[str]) -> None:
    bump_small_copies()
    bump_keys(keys)


def content_changed(sender, **kwargs) -> None:
    action = kwargs.get("action")
    if not is_content_model(sender):
        return
    if action is not None and action.startswith("pre_") and action != "pre_clear":
        return
    instance = kwargs["instance"]
    keys = {edge.CHROME} if action == "pre_clear" else changed_keys(sender, instance, kwargs)
    bump_small_copies()
    bump_keys(keys)
    # Again after the commit: a page rendered by another request while the
    # transaction was open saw the old rows yet was kept under the new
    # versions. The edge is purged then too.
    edge.purge_after_commit(keys, then=_bump_after_commit)


def content_deleting(sender, **kwargs) -> None:
    """Before a delete, while the object's relations still say which pages show it."""
    if is_content_model(sender):
        content_changed(sender, **kwargs)


def connect_signals() -> None:
    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(content_changed, dispatch_uid=f"pagecache-{id(signal)}")
    pre_delete.connect(content_deleting, dispatch_uid="pagecache-pre-delete")


def content_models() -> list:
    return [model for model in apps.get_models() if is_content_model(model)]


def _cache_control(response) -> set[str]:
    return {d.strip().split("=")[0].lower() for d in cc_delim_re.split(response.get("Cache-Control", ""))}


def is_public(response) -> bool:
    directives = _cache_control(response)
    return "public" in directives and not directives & {"private", "no-store", "no-cache"}


_deployment: tuple[tuple, str] | None = None


def deployment_mark() -> str:
    """What a kept page owes to the deployment rather than to the content.

    A kept page holds the headers the layers below the page cache added (the
    security policies) and the addresses of the static files it links to. A
    deployment that changes either must not serve pages kept by the one
    before: they are kept under a mark of both. Computed again only when the
    settings object it reads is replaced.
    """
    global _deployment
    policies = (
        getattr(settings, "CONTENT_SECURITY_POLICY", None),
        getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None),
        settings.PERMISSIONS_POLICY,
        settings.SECURE_REFERRER_POLICY,
        settings.SECURE_CROSS_ORIGIN_OPENER_POLICY,
        settings.X_FRAME_OPTIONS,
    )
    if _deployment is None or any(a is not b for a, b in zip(_deployment[0], policies, strict=True)):
        static = getattr(staticfiles_storage, "manifest_hash", "")
        described = repr((policies, static)).encode()
        _deployment = (policies, hashlib.md5(described, usedforsecurity=False).hexdigest()[:12])
    return _deployment[1]


@dataclass
class KeptPage:
    """A response kept for every reader, with what makes it still good.

    It holds while the page version holds (the chrome), none of its keys
    moved, and its publication minute has not come.
    """

    version: int
    # Epoch seconds: the first publication minute after its rendering began.
    valid_until: float
    response: HttpResponse
    # The keys stamp and the versions of the page's keys when its rendering began.
    stamp: int = 0
    keys: dict | None = None

    def serves(self, version: int | None, stamp: int | None, now: float) -> bool:
        if version is None or self.version != version or now >= self.valid_until or self.keys is None:
            return False
        if stamp is not None and stamp == self.stamp:
            return True
        return key_versions(list(self.keys), stamp) == self.keys


class Marks(NamedTuple):
    """What a page is kept under: the versions when its rendering began, and its keys."""

    page_version: int
    stamp: int
    keys: frozenset


class PageCacheMiddleware:
    """Serve and keep anonymous public responses; set validators; answer 304.

    It stands just inside WhiteNoise, before sessions, languages and CSRF, so
    that a page found in the cache costs one cache round trip and little else;
    and everything those layers add on the way out (a cookie, `Vary: Cookie`)
    is seen before a response is kept.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if is_staff_request(request):
            # A signed-in reader (staff) may see what the public may not:
            # nothing they get is shared or kept (`core.cache_headers` marks it private).
            return self.get_response(request)
        if request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        if not settings.PAGE_CACHE:
            started = dt.datetime.now(tz=dt.UTC)
            with pinned_version():
                response, keys = self.fresh_response(request, previous=None)
                self.add_edge_headers(response, keys, started=started)
                return self.conditional(request, response)

        key = self.cache_key(request)
        # The versions and the kept copy: from this process's memory while no
        # version moved since it read them (`core.version_watch`), else in one
        # round trip.
        held = version_watch.held(key)
        if held is not None:
            kept, now = held.pop(key), time.time()
            if kept.serves(held.get(PAGE_VERSION_KEY), held.get(KEYS_STAMP_KEY), now):
                return self.serve(request, kept, now)
        mark = version_watch.listen()
        found = cache.get_many([*VERSION_NAMES, key])
        kept = found.pop(key, None)
        if not isinstance(kept, KeptPage):
            kept = None
        now = time.time()
        if kept is not None and kept.serves(found.get(PAGE_VERSION_KEY), found.get(KEYS_STAMP_KEY), now):
            version_watch.hold(mark, {name: found.get(name) for name in VERSION_NAMES}, key, kept)
            return self.serve(request, kept, now)
        started = dt.datetime.now(tz=dt.UTC)
        page_version = started_version(found, PAGE_VERSION_KEY)
        stamp = started_version(found, KEYS_STAMP_KEY)
        with pinned_version(found):
            response, keys = self.fresh_response(request, previous=kept and kept.response)
            self.add_edge_headers(response, keys, started=started)
            if request.method == "GET" and self.can_keep(request, response):
                kept_here = self.keep(key, Marks(page_version, stamp, keys), response, started=started)
                if not kept_here:
                    # Its content changed while it was rendered: it may show
                    # what was there before, and the purge of that change may
                    # reach the edge before this answer does. Not kept there either.
                    edge.forbid_edge_keeping(response)
        return self.conditional(request, response)

    @staticmethod
    def add_edge_headers(response, keys, *, started: dt.datetime) -> None:
        """A fresh public page's keys, and its edge lifetime up to the first minute after it began."""
        if edge.edge_enabled() and is_public(response):
            next_at = next_publication_at(started)
            edge.add_edge_headers(response, keys, next_at and next_at.timestamp(), time.time())

    def serve(self, request, kept: "KeptPage", now: float):
        edge.add_edge_headers(kept.response, kept.keys, kept.valid_until, now)
        return self.conditional(request, kept.response)

    def fresh_response(self, request, *, previous):
        with edge.collecting_page_keys() as collected:
            response = self.get_response(request)
        keys = edge.page_keys(collected)
        if is_public(response) and not response.streaming:
            # One piece, not the many a feed writer leaves: the server would
            # send each as its own packet and wait on the network between them.
            response.content = response.content
            if response.status_code == 200:
                self.add_validators(response, previous=previous)
        return response, keys

    @staticmethod
    def conditional(request, response):
        if not CONDITIONAL_HEADERS.intersection(request.META):
            return response
        if response.status_code == 200 and is_public(response):
            return get_conditional_response(
                request,
                etag=response.get("ETag"),
                last_modified=parse_http_date_safe(response.get("Last-Modified", "")),
                response=response,
            )
        return response

    @staticmethod
    def cache_key(request) -> str:
        language = translation.get_language_from_request(request, check_path=True)
        url = hashlib.md5(request.build_absolute_uri().encode(), usedforsecurity=False).hexdigest()
        return f"page:{deployment_mark()}:{language}:{url}"

    @staticmethod
    def keep(key: str, marks: "Marks", response, *, started: dt.datetime) -> bool:
        """Keep a copy under the versions of its keys, until the first publication minute after it began.

        The versions are those of the moment its rendering began: when one
        moved meanwhile, the page is not kept. The entry itself outlives its
        minute (up to PAGE_CACHE_SECONDS), so that the next rendering can
        compare itself with it (`add_validators`). False when it is not kept.
        """
        versions = key_versions_to_keep(sorted(marks.keys), marks.stamp)
        if versions is None:
            return False
        next_at = next_publication_at(started)
        valid_until = next_at.timestamp() if next_at else time.time() + settings.PAGE_CACHE_SECONDS
        page = KeptPage(marks.page_version, valid_until, response, stamp=marks.stamp, keys=versions)
        cache.set(key, page, timeout=settings.PAGE_CACHE_SECONDS)
        return True

    @staticmethod
    def add_validators(response, *, previous) -> None:
        """An ETag of the content; a Last-Modified that moves whenever the content does.

        A date a view or framework set (a feed's newest entry, a sitemap's
        newest page) is not one: withdrawing an entry leaves it unchanged.
        """
        if not response.has_header("ETag"):
            set_response_etag(response)
        del response["Last-Modified"]
        if previous is not None and previous.status_code == 200 and previous.has_header("Last-Modified"):
            if previous.get("ETag") == response["ETag"]:
                response["Last-Modified"] = previous["Last-Modified"]
            else:
                previous_date = parse_http_date_safe(previous["Last-Modified"]) or 0
                response["Last-Modified"] = http_date(max(math.floor(time.time()), previous_date + 1))
        elif settings.PAGE_CACHE:
            response["Last-Modified"] = http_date()

    @staticmethod
    def can_keep(request, response) -> bool:
        if response.status_code not in CACHED_STATUSES or response.streaming or not is_public(response):
            return False
        if response.cookies:
            return False
        session = getattr(request, "session", None)
        if session is not None and (session.accessed or session.modified):
            return False
        vary = {v.strip().lower() for v in cc_delim_re.split(response.get("Vary", "")) if v.strip()}
        return vary <= SAFE_VARY
