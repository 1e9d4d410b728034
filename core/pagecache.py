"""Whole public responses kept in the cache, answered conditionally.

A response is kept only when it is the same for every reader: an anonymous
GET, a response that says `Cache-Control: public` (`core.cache_headers`), sets
no cookie and read no session. A kept copy records the content version it was
made under and the next publication minute (`core.versioned`), and is served
only while both still hold: an edit of any content, or a scheduled release
reaching its minute, sends the next reader to a fresh page at once.

Every public response also carries an ETag and a Last-Modified, and a reader
who already has the same copy gets `304 Not Modified` with no body, whether
the page came from the cache or was just rendered.
"""

import hashlib
import math
import re
import time

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import translation
from django.utils.cache import cc_delim_re, get_conditional_response, set_response_etag
from django.utils.http import http_date, parse_http_date_safe

from . import registry
from .cache_headers import is_staff_request
from .versioned import (
    CONTENT_VERSION_KEY,
    bump_content_version,
    content_version,
    next_publication_at,
    pinned_version,
)

CACHED_STATUSES = {200, 301, 404}
# Keyed on the language, so a page that varies with Accept-Language is safe.
SAFE_VARY = {"accept-language"}
LIFETIME_RE = re.compile(r"\b(max-age|s-maxage)=(\d+)")


def is_content_model(model) -> bool:
    """A model of an app that declared itself content (`core.registry.register_content_app`).

    django-simple-history's copies live in the same apps; the save of the
    content itself is what matters.
    """
    return model._meta.app_label in registry.content_app_labels() and not hasattr(model, "instance_type")


def content_changed(sender, **kwargs) -> None:
    if kwargs.get("action", "post_").startswith("pre_") or not is_content_model(sender):
        return
    bump_content_version()
    # Again after the commit: a page rendered by another request while the
    # transaction was open saw the old rows yet was kept under the new version.
    transaction.on_commit(bump_content_version)


def connect_signals() -> None:
    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(content_changed, dispatch_uid=f"pagecache-{id(signal)}")


def content_models() -> list:
    return [model for model in apps.get_models() if is_content_model(model)]


def _cache_control(response) -> set[str]:
    return {d.strip().split("=")[0].lower() for d in cc_delim_re.split(response.get("Cache-Control", ""))}


def is_public(response) -> bool:
    directives = _cache_control(response)
    return "public" in directives and not directives & {"private", "no-store", "no-cache"}


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
            with pinned_version():
                return self.conditional(request, self.fresh_response(request))

        key = self.cache_key(request)
        # The version and the kept copy in one round trip.
        found = cache.get_many([CONTENT_VERSION_KEY, key])
        version = found.get(CONTENT_VERSION_KEY)
        kept = found.pop(key, None)
        if version is not None and kept is not None:
            kept_version, valid_until, stored_at, response = kept
            now = time.time()
            if kept_version == version and now < valid_until:
                self.shorten_lifetime(response, age=int(now - stored_at))
                return self.conditional(request, response)
        with pinned_version(found):
            version = content_version()
            response = self.fresh_response(request)
            if request.method == "GET" and self.can_keep(request, response):
                self.keep(key, version, response)
        return self.conditional(request, response)

    def fresh_response(self, request):
        response = self.get_response(request)
        if is_public(response) and not response.streaming:
            # One piece, not the many a feed writer leaves: the server would
            # send each as its own packet and wait on the network between them.
            response.content = response.content
            if response.status_code == 200:
                self.add_validators(response)
        return response

    @staticmethod
    def conditional(request, response):
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
        return f"page:{language}:{url}"

    @staticmethod
    def keep(key: str, version: int, response) -> None:
        """Keep a copy, good for this content version until the next publication minute."""
        now = time.time()
        next_at = next_publication_at()
        valid_until = next_at.timestamp() if next_at else now + settings.PAGE_CACHE_SECONDS
        timeout = max(1, min(settings.PAGE_CACHE_SECONDS, math.ceil(valid_until - now)))
        cache.set(key, (version, valid_until, now, response), timeout=timeout)

    @staticmethod
    def add_validators(response) -> None:
        if not response.has_header("ETag"):
            set_response_etag(response)
        if not response.has_header("Last-Modified"):
            # A page with no date of its own is as new as this copy of it.
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

    @staticmethod
    def shorten_lifetime(response, *, age: int) -> None:
        """A kept copy may be handed on only for what is left of its lifetime."""
        if age > 0 and response.has_header("Cache-Control"):
            response["Cache-Control"] = LIFETIME_RE.sub(
                lambda match: f"{match[1]}={max(0, int(match[2]) - age)}", response["Cache-Control"]
            )
