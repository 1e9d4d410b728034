"""Initiative lists every listing and the site map show, read once per content version."""

from core.versioned import cached_under_version

from .models import Initiative


def all_initiatives() -> list[Initiative]:
    return cached_under_version("all-initiatives", lambda: list(Initiative.objects.all()))
