"""The initiatives every listing and the site map show, read once per content version and window."""

from core.versioned import cached_until_next_publication

from .models import Initiative


def all_initiatives() -> list[Initiative]:
    """The public initiatives; one may become public at a release's minute."""
    return cached_until_next_publication(
        "public-initiatives", lambda now: list(Initiative.objects.public(now))
    )
