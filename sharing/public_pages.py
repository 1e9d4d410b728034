"""Which pages may be sent: public pages of this site, named by their path.

A path is resolved with Django's own URL resolver in the language of its
prefix. The view that answers there says whether its page can be sent
(`sendable`) and looks up what the page shows the way it does for a reader
(`get_subject()`: releases through `NewsRelease.objects.public()`), so a page
that the public cannot see cannot be sent either, and no second list of pages
is kept here.
"""

from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.conf import settings
from django.http import Http404, HttpRequest
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.translation import get_language_from_path

from core.addresses import absolute_url

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
        return absolute_url(self.path)


def _is_local_path(path: str) -> bool:
    if not path.startswith("/") or path.startswith("//") or len(path) > MAX_PATH_LENGTH:
        return False
    # Browsers read a backslash as a slash ("/\evil.example") and drop control characters.
    if "\\" in path or any(ord(char) < 32 or ord(char) == 127 for char in path):
        return False
    parts = urlsplit(path)
    return not parts.scheme and not parts.netloc


def _page_view(path: str):
    """The view that answers at `path`, set up as for a reader's GET; None if it cannot be sent."""
    try:
        match = resolve(path)
    except Resolver404:
        return None
    view_class = getattr(match.func, "view_class", None)
    if view_class is None or not getattr(view_class, "sendable", False):
        return None
    request = HttpRequest()
    request.method = "GET"
    request.path = request.path_info = path
    view = view_class(**match.func.view_initkwargs)
    view.setup(request, *match.args, **match.kwargs)
    return view


def resolve_public_page(path: str, *, language: str) -> SharedPage | None:
    """The public page at `path` (a path on this site), described in `language`; None if there is none.

    The path's own language prefix decides how it is resolved; the page is
    then described in `language`, so a reader on the French form sends the
    French page. A printable version is sent as the page it prints.
    """
    if not isinstance(path, str) or not _is_local_path(path):
        return None
    path_language = get_language_from_path(path)
    if path_language is None:
        return None
    with translation.override(path_language):
        view = _page_view(urlsplit(path).path)
        if view is None:
            return None
        try:
            subject = view.get_subject()
        except Http404:
            return None
    view.object = subject
    alternates = {code: view.canonical_path(code) for code, _name in settings.LANGUAGES}
    with translation.override(language):
        return SharedPage(
            title=str(view.get_subject_title(subject)),
            summary=view.get_subject_summary(subject),
            path=alternates[language],
            language=language,
            alternates=alternates,
        )
