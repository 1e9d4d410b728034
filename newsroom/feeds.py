"""Atom feeds of public releases, in the language of the address they are read at.

Three feeds: every release, one release type, one initiative. Each starts
from `NewsRelease.objects.public()`; links and entry ids are built from
SITE_URL so that they stay the same whatever host served the feed.
"""

import datetime as dt
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from core.addresses import absolute_url
from core.registry import FeedLink
from initiatives.models import Initiative
from pages.models import Department

from .models import NewsRelease

FEED_LENGTH = 20


class LanguageAtom1Feed(Atom1Feed):
    """Atom with each entry's language (xml:lang), as readers of a bilingual site need."""

    def item_attributes(self, item):
        attrs = super().item_attributes(item)
        if item.get("language"):
            attrs["xml:lang"] = item["language"]
        return attrs


def release_tag_uri(release: NewsRelease, language: str) -> str:
    """A permanent id (RFC 4151): the same release in the same language always has the same id.

    Built from values that never change once the release exists (site host,
    creation date, primary key), not from its title, slug or address.
    """
    host = urlsplit(settings.SITE_URL).hostname or "localhost"
    created = timezone.localtime(release.created_at).date()
    return f"tag:{host},{created:%Y-%m-%d}:newsroom/release/{release.pk}/{language}"


class ReleaseFeed(Feed):
    """Every public release, newest first."""

    feed_type = LanguageAtom1Feed

    # Feed-level data.

    def department_name(self) -> str:
        department = Department.current()
        return department.name if department else ""

    def title(self, obj=None) -> str:
        return " \N{EN DASH} ".join(part for part in (self.heading(obj), self.department_name()) if part)

    def heading(self, obj) -> str:
        return _("News releases")

    def subtitle(self, obj=None) -> str:
        return _("The latest news releases, in the order they were published.")

    def link(self, obj=None) -> str:
        return absolute_url(reverse("newsroom:list"))

    def feed_url(self, obj=None) -> str:
        return absolute_url(self.request_path)

    def get_object(self, request, *args, **kwargs):
        self.request_path = request.path
        return None

    def feed_guid(self, obj=None) -> str:
        return self.feed_url(obj)

    def author_name(self) -> str:
        return self.department_name()

    def author_link(self) -> str:
        return absolute_url(reverse("home"))

    # Entries.

    def releases(self, obj):
        return NewsRelease.objects.public()

    def items(self, obj=None):
        return self.releases(obj)[:FEED_LENGTH]

    def item_title(self, item: NewsRelease) -> str:
        return item.title

    def item_description(self, item: NewsRelease) -> str:
        return item.summary

    def item_link(self, item: NewsRelease) -> str:
        return absolute_url(item.get_absolute_url())

    def item_guid(self, item: NewsRelease) -> str:
        return release_tag_uri(item, translation.get_language())

    item_guid_is_permalink = False

    def item_pubdate(self, item: NewsRelease) -> dt.datetime:
        return item.published_at

    def item_updateddate(self, item: NewsRelease) -> dt.datetime:
        # "Last updated" is a date; a correction counts from the start of that
        # day, but an entry is never updated before it was published.
        if item.last_updated is None:
            return item.published_at
        corrected = timezone.make_aware(dt.datetime.combine(item.last_updated, dt.time.min))
        return max(item.published_at, corrected)

    def item_categories(self, item: NewsRelease):
        return [item.get_release_type_display()]

    def item_extra_kwargs(self, item: NewsRelease):
        return {"language": translation.get_language()}


class ReleaseTypeFeed(ReleaseFeed):
    """The public releases of one type: news releases, backgrounders, speeches..."""

    def get_object(self, request, release_type: str):
        super().get_object(request)
        if release_type not in NewsRelease.ReleaseType.values:
            raise Http404("unknown release type")
        return NewsRelease.ReleaseType(release_type)

    def heading(self, obj) -> str:
        return str(obj.label)

    def subtitle(self, obj=None) -> str:
        return _("The latest releases of type “%(type)s”.") % {"type": obj.label}

    def link(self, obj=None) -> str:
        return absolute_url(f"{reverse('newsroom:list')}?type={obj.value}")

    def releases(self, obj):
        return super().releases(obj).filtered(release_type=obj)


class InitiativeFeed(ReleaseFeed):
    """The public releases about one initiative."""

    def get_object(self, request, slug: str):
        super().get_object(request)
        return get_object_or_404(Initiative, slug=slug)

    def heading(self, obj) -> str:
        return obj.name

    def subtitle(self, obj=None) -> str:
        return _("The latest releases about %(initiative)s.") % {"initiative": obj.name}

    def link(self, obj=None) -> str:
        return absolute_url(obj.get_absolute_url())

    def releases(self, obj):
        return super().releases(obj).filtered(initiative=obj)


def feed_links(view) -> list[FeedLink]:
    """The feeds a page links to: every release, and the feed of what the page is about."""
    feeds = [FeedLink(_("News releases (Atom feed)"), reverse("newsroom:feed"))]
    subject = view.get_feed_subject() if view is not None else None
    if isinstance(subject, Initiative):
        feeds.append(
            FeedLink(
                _("News releases about this initiative (Atom feed)"),
                reverse("newsroom:initiative_feed", kwargs={"slug": subject.slug}),
            )
        )
    elif isinstance(subject, NewsRelease.ReleaseType):
        feeds.append(
            FeedLink(
                _("%(type)s (Atom feed)") % {"type": subject.label},
                reverse("newsroom:type_feed", kwargs={"release_type": subject.value}),
            )
        )
    return feeds
