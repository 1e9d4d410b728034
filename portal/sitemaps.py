"""sitemap.xml: every public page, in both languages, each with its translation.

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
from django.contrib.sitemaps.views import sitemap
from django.db.models import Max
from django.db.models.functions import ExtractYear
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation

from core.addresses import absolute_url
from initiatives.models import Initiative
from newsroom.archive import public_years
from newsroom.models import NewsRelease
from pages.models import Department, StandardPage


class BilingualSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = False

    @property
    def protocol(self) -> str:
        return urlsplit(settings.SITE_URL).scheme

    def get_domain(self, site=None) -> str:
        return urlsplit(settings.SITE_URL).netloc


class ReleaseSitemap(BilingualSitemap):
    changefreq = "yearly"

    def items(self):
        return NewsRelease.objects.public().order_by("pk")

    def lastmod(self, release: NewsRelease) -> dt.date:
        return release.last_updated or release.local_published_at.date()


class YearArchiveSitemap(BilingualSitemap):
    changefreq = "monthly"

    def items(self) -> list[int]:
        years = [day.year for day in public_years()]
        # Each year's newest change, all in one query.
        self.newest = dict(
            NewsRelease.objects.public()
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
        return Initiative.objects.public().order_by("pk")

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
        newest = NewsRelease.objects.public().aggregate(newest=Max("published_at"))["newest"]
        return timezone.localtime(newest).date() if newest else None


SITEMAPS = {
    "sections": SectionSitemap,
    "releases": ReleaseSitemap,
    "years": YearArchiveSitemap,
    "initiatives": InitiativeSitemap,
    "pages": StandardPageSitemap,
}


def sitemap_xml(request):
    return sitemap(request, sitemaps=SITEMAPS)


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
