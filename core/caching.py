"""Cache headers for public pages.

A public response may be kept by browsers, a CDN or a reverse proxy, but
never past the next scheduled publication minute: when that minute comes,
listings, feeds and archives must show the new release at once.
"""

import datetime as dt
import math

from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.http import http_date

PUBLIC_MAX_AGE = 300  # seconds


def seconds_until_next_publication(now: dt.datetime | None = None) -> float | None:
    from newsroom.models import NewsRelease

    now = now or timezone.now()
    upcoming = NewsRelease.objects.scheduled().filter(published_at__gt=now).order_by("published_at")
    next_at = upcoming.values_list("published_at", flat=True).first()
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
    return response
