"""What every listing shows beside its releases, read once per content version.

The years with a public release are the same on every page of the newsroom,
the year archives and the site map; kept under the content version and the
next publication minute (when a release may open a new year), they cost no
query once read.
"""

import datetime as dt

from core.versioned import cached_until_next_publication

from .models import NewsRelease


def public_years() -> list[dt.date]:
    """The first day of each year with a public release, newest first."""
    return cached_until_next_publication(
        "public-years",
        lambda now: list(NewsRelease.objects.public(now).dates("published_at", "year", order="DESC")),
    )
