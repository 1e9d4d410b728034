"""What every public page shares, whichever app it belongs to.

`PublicPageMixin` gives a page its breadcrumb, its date, its addresses (the
canonical link, the hreflang alternates and the language toggle's target:
the same content in the other language) and what it offers (its feeds, its
printable version, whether it can be sent). Cache headers come by default
from `core.cache_headers`.
"""

import datetime as dt
import json

from django.conf import settings
from django.http import HttpRequest
from django.templatetags.static import static
from django.urls import reverse, translate_url
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import to_locale

from . import edge, registry
from .addresses import absolute_url


def translated_path(request: HttpRequest, language: str) -> str:
    """This request's path in `language`, even when nothing answers at it (an error page)."""
    path = translate_url(request.path, language)
    if path != request.path:
        return path
    prefix, _sep, rest = request.path.lstrip("/").partition("/")
    if prefix in dict(settings.LANGUAGES):
        return f"/{language}/{rest}"
    with translation.override(language):
        return reverse("home")


def language_context(alternates: dict[str, str]) -> dict:
    """The head's hreflang links and the toggle's target, from each language's path."""
    current = translation.get_language()
    other = next(({"code": code, "url": url} for code, url in alternates.items() if code != current), None)
    return {
        "alternate_urls": {code: absolute_url(url) for code, url in alternates.items()},
        "other_language": other,
    }


def page_context(request: HttpRequest, alternates: dict[str, str], *, view=None) -> dict:
    """What the layout's head needs on any page: addresses, language links, feeds."""
    return {
        "canonical_url": absolute_url(request.get_full_path()),
        "feeds": registry.feeds_for(view),
        "alerts_url": registry.subscribe_url_for(None),
        **language_context(alternates),
    }


def alternates_of(request: HttpRequest) -> dict[str, str]:
    """This request's address in each language, its query string kept (an error page's links)."""
    query = request.GET.urlencode()
    return {
        code: translated_path(request, code) + (f"?{query}" if query else "")
        for code, _name in settings.LANGUAGES
    }


# The longest description link previews and search results show in full.
DESCRIPTION_LENGTH = 300
# Characters a JSON-LD block must not hold as such inside <script> (as json_script escapes them).
_JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def json_ld(data: dict) -> SafeString:
    """A schema.org block for <script type="application/ld+json">: data the browser never runs."""
    return mark_safe(json.dumps(data, ensure_ascii=False).translate(_JSON_SCRIPT_ESCAPES))


def og_locale(language: str) -> str:
    """en -> en_CA, fr -> fr_CA: Open Graph names a language with its country."""
    return f"{to_locale(language)}_CA"


class PublicPageMixin:
    """What every public page shares: addresses, breadcrumb, dates, what the page offers.

    Views give their breadcrumb and the date their content last changed. A
    page about one object (a release, an initiative) is addressed by that
    object's `get_absolute_url()` in each language, so the language toggle
    leads to the object's own page in the other language. A page says whether
    it can be sent (`sendable`); "Send this page" then asks the view itself,
    through `get_subject()`, whether the page exists for the public.
    """

    # Whether "Send this page" may send this page.
    sendable = True
    # What a page about no one object is called when it is sent.
    page_title = None
    # Whether the page offers link previews (description, Open Graph, Twitter card).
    link_preview = True
    # What a page about no one object says of itself to search engines and link previews.
    meta_description = None

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        return [(_("Home"), reverse("home"))]

    def get_last_updated(self) -> dt.date | None:
        return None

    def get_subject(self):
        """What the page shows, looked up as the page looks it up; Http404 if the public cannot see it.

        For a page about one object, that object; for other pages None.
        """
        if hasattr(self, "get_object"):
            return self.get_object()
        return None

    def get_subject_title(self, subject) -> str:
        return str(subject) if subject is not None else str(self.page_title or "")

    def get_subject_summary(self, subject) -> str:
        return str(getattr(subject, "summary", "") or "")

    def _shown_object(self):
        return getattr(self, "object", None)

    def canonical_path(self, language: str) -> str:
        """This page's own address in `language`: an object's page, or this path with its filters."""
        obj = self._shown_object()
        if obj is not None and hasattr(obj, "get_absolute_url"):
            with translation.override(language):
                return obj.get_absolute_url()
        path = translated_path(self.request, language)
        query = self.get_alternate_query(language)
        return f"{path}?{query}" if query else path

    def alternate_path(self, language: str) -> str:
        """Where this page is in `language`: the toggle's target and the hreflang link."""
        return self.canonical_path(language)

    def get_alternate_urls(self) -> dict[str, str]:
        return {code: self.alternate_path(code) for code, _name in settings.LANGUAGES}

    def get_alternate_query(self, language: str) -> str:
        """The query string of this page in `language`: filters and page number kept."""
        return self.request.GET.urlencode()

    def get_feed_subject(self):
        """What this page's own feed would follow (an initiative, a release type), if any."""
        return None

    def get_meta_description(self) -> str:
        """The page's description: the summary of what it shows, or what the page says of itself."""
        obj = self._shown_object()
        summary = str(getattr(obj, "summary", "") or "") if obj is not None else ""
        text = summary or str(self.meta_description or "")
        return Truncator(" ".join(text.split())).chars(DESCRIPTION_LENGTH)

    def get_link_preview(self) -> dict | None:
        """What a link to this page shows when pasted (Open Graph, Twitter card); None for none.

        Pages about one object may add to it (a release: its dates and its
        schema.org NewsArticle).
        """
        if not self.link_preview:
            return None
        current = translation.get_language()
        obj = self._shown_object()
        title = str(obj) if obj is not None else str(self.page_title or "")
        return {
            "title": title,
            "description": self.get_meta_description(),
            "type": "website",
            "locale": og_locale(current),
            "alternate_locales": [og_locale(code) for code, _name in settings.LANGUAGES if code != current],
            "image": absolute_url(static("images/link-preview.png")),
        }

    def get_topic_alerts_url(self) -> str:
        """The alerts form with this page's topic chosen, when the page has one (an initiative...)."""
        if self.get_feed_subject() is None:
            return ""
        return registry.subscribe_url_for(self)

    def get_print_url(self) -> str:
        obj = self._shown_object()
        return obj.get_print_url() if obj is not None and hasattr(obj, "get_print_url") else ""

    def get_surrogate_keys(self) -> list[str]:
        """The keys of what this page shows (`core.edge`): the object it is about, if any.

        A page that names none is a listing: every content change touches it.
        """
        key = getattr(self._shown_object(), "surrogate_key", None)
        return [key] if key else []

    def get_context_data(self, **kwargs):
        edge.add_page_keys(*self.get_surrogate_keys())
        context = super().get_context_data(**kwargs)
        current = translation.get_language()
        context.update(
            breadcrumbs=self.get_breadcrumbs(),
            last_updated=self.get_last_updated(),
            canonical_url=absolute_url(self.canonical_path(current)),
            feeds=registry.feeds_for(self),
            print_url=self.get_print_url(),
            send_url=registry.send_url_for(self.request.path) if self.sendable else "",
            alerts_url=registry.subscribe_url_for(None),
            link_preview=self.get_link_preview(),
            topic_alerts_url=self.get_topic_alerts_url(),
            **language_context(self.get_alternate_urls()),
        )
        return context


class PrintViewMixin:
    """The printable version of a page about one object: the page's own view with the print template.

    Its canonical address is the page it prints; its language toggle leads to
    the printable version in the other language. The template shows the
    object's body template (`body_template`) without the site's navigation.
    """

    template_name = "print.html"
    # The page's own body, the part printed: "newsroom/release_body.html"...
    body_template: str

    def alternate_path(self, language: str) -> str:
        with translation.override(language):
            return self.object.get_print_url()

    def get_print_url(self) -> str:
        return ""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(body_template=self.body_template, printed_body=self.object.body)
        return context
