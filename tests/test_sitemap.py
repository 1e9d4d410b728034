"""sitemap.xml: every public page in both languages, each pointing at its translation."""

import datetime as dt
import xml.etree.ElementTree as ET

import pytest
import time_machine
from django.conf import settings
from django.utils import timezone, translation

from newsroom.models import NewsRelease
from tests.factories import make_release

NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9", "xhtml": "http://www.w3.org/1999/xhtml"}


def read_index(client) -> list[str]:
    """The files the index at /sitemap.xml names, as paths."""
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    assert root.tag == f"{{{NS['sm']}}}sitemapindex"
    return [loc.text.removeprefix(settings.SITE_URL) for loc in root.findall("sm:sitemap/sm:loc", NS)]


def read_sitemap(client) -> dict[str, dict]:
    """Every address of every file of the index."""
    urls = {}
    for path in read_index(client):
        urls.update(read_urlset(client, path))
    return urls


def read_urlset(client, path: str) -> dict[str, dict]:
    response = client.get(path)
    assert response.status_code == 200, path
    root = ET.fromstring(response.content)
    urls = {}
    for url in root.findall("sm:url", NS):
        loc = url.findtext("sm:loc", namespaces=NS)
        urls[loc.removeprefix(settings.SITE_URL)] = {
            "lastmod": url.findtext("sm:lastmod", namespaces=NS),
            "alternates": {
                link.get("hreflang"): link.get("href").removeprefix(settings.SITE_URL)
                for link in url.findall("xhtml:link", NS)
            },
        }
    return urls


def test_sitemap_lists_the_reference_release_in_both_languages_with_alternates(client, reference):
    urls = read_sitemap(client)
    english = "/en/newsroom/2005/cross-border-crime/"
    french = "/fr/salle-de-presse/2005/criminalite-transfrontaliere/"
    assert english in urls and french in urls
    for loc in (english, french):
        assert urls[loc]["alternates"] == {"en": english, "fr": french}
        assert urls[loc]["lastmod"] == "2005-09-19"


def test_sitemap_lists_sections_initiatives_pages_and_year_archives(client, reference):
    urls = read_sitemap(client)
    for path in (
        "/en/",
        "/fr/",
        "/en/newsroom/",
        "/fr/salle-de-presse/",
        "/en/newsroom/2005/",
        "/fr/salle-de-presse/2005/",
    ):
        assert path in urls, path
    assert any(path.startswith("/fr/initiatives/") and path != "/fr/initiatives/" for path in urls)
    assert any(path.startswith("/en/pages/") for path in urls)
    assert all(set(entry["alternates"]) == {"en", "fr"} for entry in urls.values())


@pytest.mark.django_db
def test_drafts_and_scheduled_releases_are_not_in_the_sitemap(client):
    make_release(slug_en="visible")
    make_release(slug_en="draft-one", status=NewsRelease.Status.DRAFT)
    embargoed = timezone.now() + dt.timedelta(days=1)
    make_release(slug_en="embargoed", published_at=embargoed)

    paths = " ".join(read_sitemap(client))
    assert "/visible/" in paths
    assert "/draft-one/" not in paths and "/embargoed/" not in paths

    with time_machine.travel(embargoed + dt.timedelta(minutes=1)):
        assert "/embargoed/" in " ".join(read_sitemap(client))


def test_sitemap_never_lists_the_admin_and_robots_txt_names_it(client, reference):
    paths = read_sitemap(client)
    assert not any("/admin/" in path or "preview" in path for path in paths)
    robots = client.get("/robots.txt").content.decode()
    assert f"Sitemap: {settings.SITE_URL}/sitemap.xml" in robots
    assert "Disallow: /admin/" in robots


def test_sitemap_is_cacheable_and_sets_no_cookie(client, reference):
    response = client.get("/sitemap.xml")
    assert "public" in response["Cache-Control"]
    assert response["Last-Modified"]
    assert not response.cookies


@pytest.mark.django_db
def test_sitemap_index_splits_the_releases_in_files_of_a_bounded_size(client, monkeypatch):
    from portal.sitemaps import ReleaseSitemap

    monkeypatch.setattr(ReleaseSitemap, "limit", 4)
    releases = [make_release() for _ in range(5)]
    files = [path for path in read_index(client) if path.startswith("/sitemap-releases.xml")]
    assert files == ["/sitemap-releases.xml", "/sitemap-releases.xml?p=2", "/sitemap-releases.xml?p=3"]
    listed = []
    for path in files:
        urls = read_urlset(client, path)
        assert len(urls) <= 4
        listed += urls
    expected = []
    for release in sorted(releases, key=lambda release: release.pk):
        for code in ("en", "fr"):
            with translation.override(code):
                expected.append(release.get_absolute_url())
    assert listed == expected
    assert client.get("/sitemap-releases.xml?p=4").status_code == 404
