"""The initiatives every listing and the site map show, read once per content version and window."""

from django.utils import translation

from core.versioned import cached_until_next_publication

from .models import Initiative


def all_initiatives() -> list[Initiative]:
    """The public initiatives, by name; one may become public at a release's minute.

    Kept per language: they are in the order of their names in the page's language.
    """
    return cached_until_next_publication(
        f"public-initiatives:{translation.get_language()}", lambda now: list(Initiative.objects.public(now))
    )
