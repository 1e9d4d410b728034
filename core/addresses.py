"""Absolute addresses of this site's pages, always built from SITE_URL.

Canonical links, hreflang alternates, feeds, the API and e-mails name a page
by the site's configured address, never by the host a request came in on, so
that every copy of a page names the same address.
"""

from django.conf import settings


def absolute_url(path: str) -> str:
    """`path` (from the site's root, with any query string) as a full address."""
    return f"{settings.SITE_URL}{path}"
