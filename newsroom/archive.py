"""What every listing shows beside its releases, read once per content version.

The years with a public release are the same on every page of the newsroom,
the year archives and the site map; kept under the content version and the
next publication minute (when a release may open a new year), they cost no
query once read.
"""

import datetime as dt

from core.versioned import cached_under_version, next_publication_at

from .models import NewsRelease


def public_years() -> list[dt.date]:
    """The first day of each year with a public release, newest first."""
    next_at = next_publication_at()
    return cached_under_version(
        f"public-years:{next_at and int(next_at.timestamp())}",
        lambda: list(NewsRelease.objects.public().dates("published_at", "year", order="DESC")),
    )
