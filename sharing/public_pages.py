"""Which pages may be sent: public pages of this site, named by their path.

A path is resolved with Django's own URL resolver in the language of its
prefix, and each kind of page is looked up the way its view looks it up
(releases through `NewsRelease.objects.public()`), so a page that the public
cannot see cannot be sent either.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import Resolver404, resolve, reverse
from django.utils import translation
from django.utils.translation import get_language_from_path
from django.utils.translation import gettext as _

from initiatives.models import Initiative
from newsroom.models import NewsRelease
from pages.models import Department, StandardPage

# Longer than any address of this site; anything longer is not one of its pages.
MAX_PATH_LENGTH = 500


@dataclass(frozen=True)
class SharedPage:
    """A public page of this site, described in one language."""

    title: str
    summary: str
    path: str
    language: str
    # The same page's path in each language, for the language toggle.
    alternates: dict[str, str] = field(default_factory=dict, compare=False)

    @property
    def url(self) -> str:
        """The full address, built from the site's configured address, never from the request."""
        return settings.SITE_URL + self.path


def _public_release(match) -> NewsRelease | None:
    return NewsRelease.objects.public().at_address(**match.kwargs).first()


def _initiative(match) -> Initiative | None:
    return Initiative.objects.filter(slug=match.kwargs["slug"]).first()


def _standard_page(match) -> StandardPage | None:
    return StandardPage.objects.filter(slug=match.kwargs["slug"]).first()


def _release_year(match) -> dict | None:
    if not NewsRelease.objects.public().in_year(match.kwargs["year"]).exists():
        return None
    return match.kwargs


def _listing(match) -> dict:
    return match.kwargs


def _home_title(_kwargs) -> str:
    department = Department.current()
    return department.name if department else _("Home")


# URL name -> (find the thing the page shows, or None; its title; its summary).
# Print views are sent as the page they print.
PAGES: dict[str, tuple[Callable, Callable[[object], str], Callable[[object], str]]] = {
    "newsroom:release": (_public_release, lambda r: r.title, lambda r: r.summary),
    "newsroom:release_print": (_public_release, lambda r: r.title, lambda r: r.summary),
    "initiatives:detail": (_initiative, lambda i: i.name, lambda i: i.summary),
    "initiatives:print": (_initiative, lambda i: i.name, lambda i: i.summary),
    "pages:page": (_standard_page, lambda p: p.title, lambda p: p.summary),
    "pages:print": (_standard_page, lambda p: p.title, lambda p: p.summary),
    "newsroom:list": (_listing, lambda _k: _("Newsroom"), lambda _k: ""),
    "newsroom:year": (
        _release_year,
        lambda k: _("News releases of %(year)s") % {"year": k["year"]},
        lambda _k: "",
    ),
    "initiatives:list": (_listing, lambda _k: _("Initiatives"), lambda _k: ""),
    "home": (_listing, _home_title, lambda _k: ""),
    "a_to_z": (_listing, lambda _k: _("A-Z index"), lambda _k: ""),
    "site_map": (_listing, lambda _k: _("Site map"), lambda _k: ""),
}


def _is_local_path(path: str) -> bool:
    if not path.startswith("/") or path.startswith("//") or len(path) > MAX_PATH_LENGTH:
        return False
    # Browsers read a backslash as a slash ("/\evil.example") and drop control characters.
    if "\\" in path or any(ord(char) < 32 or ord(char) == 127 for char in path):
        return False
    parts = urlsplit(path)
    return not parts.scheme and not parts.netloc


def _path_of(view_name: str, found) -> str:
    if isinstance(found, dict):
        return reverse(view_name, kwargs=found)
    return found.get_absolute_url()


def _canonical_name(view_name: str) -> str:
    return {
        "newsroom:release_print": "newsroom:release",
        "initiatives:print": "initiatives:detail",
        "pages:print": "pages:page",
    }.get(view_name, view_name)


def resolve_public_page(path: str, *, language: str) -> SharedPage | None:
    """The public page at `path` (a path on this site), described in `language`; None if there is none.

    The path's own language prefix decides how it is resolved; the page is
    then described in `language`, so a reader on the French form sends the
    French page.
    """
    if not isinstance(path, str) or not _is_local_path(path):
        return None
    path_language = get_language_from_path(path)
    if path_language is None:
        return None
    with translation.override(path_language):
        try:
            match = resolve(urlsplit(path).path)
        except Resolver404:
            return None
        if match.view_name not in PAGES:
            return None
        find, title_of, summary_of = PAGES[match.view_name]
        found = find(match)
        if found is None:
            return None
    view_name = _canonical_name(match.view_name)
    alternates = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            alternates[code] = _path_of(view_name, found)
    with translation.override(language):
        return SharedPage(
            title=str(title_of(found)),
            summary=str(summary_of(found)),
            path=alternates[language],
            language=language,
            alternates=alternates,
        )
