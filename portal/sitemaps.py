"""sitemap.xml: every public page, in both languages, each with its translation.

sitemap.xml is an index of sections (`sitemap-<section>.xml`), each split in
pages of at most 10,000 addresses (`?p=2`, ...), so that no file grows with
the archive; the release pages read only their own rows from the database.
`i18n = True` lists every page once per language; `alternates = True` adds
the `xhtml:link hreflang` pointing at the same content in the other language.
Releases start from `NewsRelease.objects.public()`; admin and staff preview
pages are never listed. Addresses are built from SITE_URL, like every
canonical link of the site.
"""

import datetime as dt
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import SitemapIndexItem, sitemap
from django.db.models import Max
from django.db.models.functions import ExtractYear
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import cached_property
from django.utils.http import http_date

from core.addresses import absolute_url
from core.versioned import cached_until_next_publication
from initiatives.models import Initiative
from newsroom.archive import public_years
from newsroom.models import NewsRelease
from pages.models import Department, StandardPage


class BilingualSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = False
    # Addresses a file of the index lists at most.
    limit = 10_000

    def __init__(self, now: dt.datetime | None = None):
        # The moment whose public content is listed (None: this moment).
        self.now = now

    @property
    def protocol(self) -> str:
        return urlsplit(settings.SITE_URL).scheme

    def get_domain(self, site=None) -> str:
        return urlsplit(settings.SITE_URL).netloc


class _PagesInLanguages:
    """Each release once per language, read from the database one page of the sitemap at a time."""

    def __init__(self, releases, languages: list[str]):
        self.releases = releases
        self.languages = languages

    def count(self) -> int:
        return self.releases.count() * len(self.languages)

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list[tuple]:
        per_release = len(self.languages)
        first = index.start // per_release
        rows = self.releases[first : -(-index.stop // per_release)]
        pairs = [(release, code) for release in rows for code in self.languages]
        skip = first * per_release
        return pairs[index.start - skip : index.stop - skip]


class ReleaseSitemap(BilingualSitemap):
    changefreq = "yearly"

    def items(self):
        return NewsRelease.objects.public(self.now).for_listing().order_by("pk")

    def _items(self):
        return _PagesInLanguages(self.items(), self._languages())

    def lastmod(self, release: NewsRelease) -> dt.date:
        return release.last_updated or release.local_published_at.date()

    def get_latest_lastmod(self) -> dt.date | None:
        newest = NewsRelease.objects.public(self.now).aggregate(
            updated=Max("last_updated"), published=Max("published_at")
        )
        dates = [newest["updated"], newest["published"] and timezone.localtime(newest["published"]).date()]
        return max((date for date in dates if date), default=None)


class YearArchiveSitemap(BilingualSitemap):
    changefreq = "monthly"

    def items(self) -> list[int]:
        years = [day.year for day in public_years()]
        # Each year's newest change, all in one query.
        self.newest = dict(
            NewsRelease.objects.public(self.now)
            .annotate(year=ExtractYear("published_at"))
            .order_by()
            .values_list("year")
            .annotate(newest=Max("last_updated"))
        )
        return sorted(years)

    def location(self, year: int) -> str:
        return reverse("newsroom:year", kwargs={"year": year})

    def lastmod(self, year: int) -> dt.date | None:
        return self.newest.get(year)


class InitiativeSitemap(BilingualSitemap):
    changefreq = "monthly"

    def items(self):
        return Initiative.objects.public(self.now).order_by("pk")

    def lastmod(self, initiative: Initiative) -> dt.date:
        return initiative.last_updated


class StandardPageSitemap(BilingualSitemap):
    changefreq = "yearly"

    def items(self):
        return StandardPage.objects.order_by("pk")

    def lastmod(self, page: StandardPage) -> dt.date:
        return page.last_updated


class SectionSitemap(BilingualSitemap):
    """Home, newsroom, initiatives, A-Z index and site map: they change when releases do."""

    changefreq = "daily"

    def items(self) -> list[str]:
        return ["home", "newsroom:list", "initiatives:list", "a_to_z", "site_map"]

    def location(self, name: str) -> str:
        return reverse(name)

    def lastmod(self, name: str) -> dt.date | None:
        return self.newest

    @cached_property
    def newest(self) -> dt.date | None:
        newest = NewsRelease.objects.public(self.now).aggregate(newest=Max("published_at"))["newest"]
        return timezone.localtime(newest).date() if newest else None


SITEMAPS = {
    "sections": SectionSitemap,
    "releases": ReleaseSitemap,
    "years": YearArchiveSitemap,
    "initiatives": InitiativeSitemap,
    "pages": StandardPageSitemap,
}


def sitemap_xml(request):
    """The index: each section's files, with the date of its newest change."""
    sections = cached_until_next_publication("sitemap-index", _index_sections)
    response = render(request, "sitemap_index.xml", {"sitemaps": sections}, content_type="application/xml")
    dates = [section.last_mod for section in sections]
    if dates and all(dates):
        response["Last-Modified"] = http_date(
            dt.datetime.combine(max(dates), dt.time.min, tzinfo=dt.UTC).timestamp()
        )
    return response


def _index_sections(now: dt.datetime) -> list[SitemapIndexItem]:
    """Each file of each section as the public sees them at `now`."""
    sections = []
    for section, kind in SITEMAPS.items():
        site = kind(now)
        location = absolute_url(reverse("sitemap_section", kwargs={"section": section}))
        lastmod = site.get_latest_lastmod()
        sections.append(SitemapIndexItem(location, lastmod))
        sections += [
            SitemapIndexItem(f"{location}?p={page}", lastmod)
            for page in range(2, site.paginator.num_pages + 1)
        ]
    return sections


def sitemap_section_xml(request, section: str):
    return sitemap(request, sitemaps=SITEMAPS, section=section)


# Google News lists only what was published in the last two days.
NEWS_DAYS = 2


def news_sitemap_entries(now: dt.datetime | None = None) -> list[dict]:
    """Public releases of the last two days, once per language, for the Google News sitemap."""
    now = now or timezone.now()
    department = Department.current()
    entries = []
    releases = NewsRelease.objects.public().filter(published_at__gte=now - dt.timedelta(days=NEWS_DAYS))
    for release in releases.order_by("-published_at", "pk"):
        for code, _name in settings.LANGUAGES:
            with translation.override(code):
                entries.append(
                    {
                        "location": absolute_url(release.get_absolute_url()),
                        "name": department.name if department else settings.SITE_URL,
                        "language": code,
                        "published": release.local_published_at.isoformat(),
                        "title": release.title,
                    }
                )
    return entries


def news_sitemap_xml(request):
    """news-sitemap.xml: the releases of the last two days, in the Google News namespace."""
    response = render(
        request,
        "portal/news_sitemap.xml",
        {"entries": news_sitemap_entries()},
        content_type="application/xml; charset=utf-8",
    )
    return response
