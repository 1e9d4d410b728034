"""Cache headers: what browsers and shared caches may keep, decided by default.

`CacheHeadersMiddleware` gives every response a policy unless its view chose
one (a view opts out explicitly with `private_cache`, or by setting
`Cache-Control` itself):

- an anonymous GET or HEAD that answers a page (200, 301, 404...) and sets no
  cookie and reads no session is *public*: any cache may keep it, never past
  the next scheduled publication minute;
- everything else is *private, no-store*: forms (they set a CSRF cookie),
  staff previews and anything a signed-in reader sees, the admin, errors,
  redirects of the moment.
"""

import datetime as dt
import functools
import math

from django.conf import settings
from django.utils.cache import patch_cache_control
from django.utils.http import http_date

from .versioned import seconds_until_next_publication

PUBLIC_MAX_AGE = 300  # seconds
# Answers a shared cache may keep by default (RFC 9111, 4.2.2), as far as this site sends them.
PUBLIC_STATUSES = {200, 203, 300, 301, 308, 404, 405, 410}


def public_max_age(now: dt.datetime | None = None) -> int:
    """How long a public response may be kept, in whole seconds."""
    until_next = seconds_until_next_publication(now)
    if until_next is None:
        return PUBLIC_MAX_AGE
    return max(0, min(PUBLIC_MAX_AGE, math.floor(until_next)))


def patch_public_headers(response):
    max_age = public_max_age()
    patch_cache_control(response, public=True, max_age=max_age, s_maxage=max_age)
    return response


def patch_private_headers(response):
    patch_cache_control(response, private=True, no_store=True, max_age=0)
    if "s-maxage" in response.get("Cache-Control", ""):
        # A shared cache must not keep what only one reader may see.
        directives = [d for d in response["Cache-Control"].split(", ") if not d.startswith("s-maxage")]
        response["Cache-Control"] = ", ".join(directives)
    return response


def set_last_modified(response, moment: dt.date | dt.datetime | None):
    """Last-Modified from the content's own date, unless the response has one."""
    if moment is not None and not response.has_header("Last-Modified"):
        if not isinstance(moment, dt.datetime):
            moment = dt.datetime.combine(moment, dt.time.min, tzinfo=dt.UTC)
        response["Last-Modified"] = http_date(moment.timestamp())
    return response


def private_cache(view):
    """Never kept by a browser, a proxy or the page cache, whoever asks."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        return patch_private_headers(view(request, *args, **kwargs))

    return wrapper


def is_staff_request(request) -> bool:
    """A request that may be signed in, or is for the admin: it never gets a shared answer."""
    return (
        request.path.startswith(f"/{settings.ADMIN_URL}")
        or settings.SESSION_COOKIE_NAME in request.COOKIES
        or "HTTP_AUTHORIZATION" in request.META
    )


def is_shareable(request, response) -> bool:
    """The same answer for every reader: a public policy is safe."""
    if request.method not in ("GET", "HEAD") or is_staff_request(request):
        return False
    if response.status_code not in PUBLIC_STATUSES or response.cookies:
        return False
    session = getattr(request, "session", None)
    return session is None or not (session.accessed or session.modified)


class CacheHeadersMiddleware:
    """The default policy, for every response whose view did not choose one.

    It stands inside the page cache and outside sessions, CSRF and the views,
    so that it sees every cookie set and every session read on the way out.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if is_staff_request(request):
            return patch_private_headers(response)
        if not response.has_header("Cache-Control"):
            if is_shareable(request, response):
                patch_public_headers(response)
            else:
                patch_private_headers(response)
        return response
