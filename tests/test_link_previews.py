"""Link previews and search results: description, Open Graph, Twitter card, NewsArticle, Google News sitemap."""

import datetime as dt
import json
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.utils import timezone, translation
from lxml import etree

from newsroom.models import NewsRelease
from tests.factories import make_release
from tests.reference_pages import PAGE_TYPES, RELEASE_EN, RELEASE_FR

pytestmark = pytest.mark.django_db

SCHEMAS = Path(__file__).parent / "schemas"
# The properties schema.org gives a NewsArticle (through Article and CreativeWork) that we use.
NEWS_ARTICLE_PROPERTIES = {
    "@context", "@type", "headline", "description", "datePublished", "dateModified", "inLanguage",
    "url", "mainEntityOfPage", "image", "author", "publisher",
}  # fmt: skip


def head(client, path) -> BeautifulSoup:
    response = client.get(path)
    assert response.status_code == 200, path
    return BeautifulSoup(response.content, "html.parser").head


def meta(soup, **attrs) -> str | None:
    tag = soup.find("meta", attrs=attrs)
    return tag["content"] if tag else None


@pytest.mark.parametrize("name", [name for name in PAGE_TYPES if "print" not in name])
@pytest.mark.parametrize("language", ["en", "fr"])
def test_every_public_page_has_a_description_open_graph_and_a_twitter_card(client, reference, name, language):
    path = PAGE_TYPES[name][0 if language == "en" else 1]
    soup = head(client, path)
    canonical = soup.find("link", rel="canonical")["href"]
    description = meta(soup, name="description")
    assert description and len(description) <= 300
    assert meta(soup, property="og:description") == description == meta(soup, name="twitter:description")
    assert meta(soup, property="og:url") == canonical
    assert meta(soup, property="og:title") and meta(soup, property="og:title") == meta(
        soup, name="twitter:title"
    )
    assert meta(soup, property="og:locale") == f"{language}_CA"
    assert meta(soup, property="og:locale:alternate") == ("fr_CA" if language == "en" else "en_CA")
    site_name = "Public Safety and Emergency Preparedness Canada" if language == "en" else "Sécurité publique"
    assert meta(soup, property="og:site_name").startswith(site_name)
    assert meta(soup, property="og:image").startswith(settings.SITE_URL + "/static/")
    assert meta(soup, name="twitter:card") == "summary"


@pytest.mark.parametrize("path,language", [(RELEASE_EN, "en"), (RELEASE_FR, "fr")])
def test_release_preview_is_an_article_with_its_summary_and_dates(client, reference, path, language):
    soup = head(client, path)
    assert meta(soup, property="og:type") == "article"
    if language == "en":
        assert meta(soup, property="og:title") == "Canada-U.S. cooperation to tackle cross-border crime"
        assert meta(soup, name="description").startswith("With the longest shared border in the world")
    else:
        assert meta(soup, name="description").startswith(
            "Partageant la plus longue frontière commune du monde"
        )
    assert meta(soup, property="article:published_time") == "2005-05-18T10:00:00-04:00"
    # Corrected on 2005-09-19: the date readers see as "Last updated".
    assert meta(soup, property="article:modified_time") == "2005-09-19"


@pytest.mark.parametrize("path,language", [(RELEASE_EN, "en"), (RELEASE_FR, "fr")])
def test_release_json_ld_is_a_news_article_naming_the_department_and_its_dates(
    client, reference, path, language
):
    soup = head(client, path)
    [block] = soup.find_all("script", type="application/ld+json")
    data = json.loads(block.string)
    assert data["@context"] == "https://schema.org" and data["@type"] == "NewsArticle"
    assert set(data) <= NEWS_ARTICLE_PROPERTIES
    assert dt.datetime.fromisoformat(data["datePublished"]) == dt.datetime(2005, 5, 18, 14, 0, tzinfo=dt.UTC)
    assert dt.date.fromisoformat(data["dateModified"]) == dt.date(2005, 9, 19)
    assert data["inLanguage"] == f"{language}-CA"
    assert data["url"] == soup.find("link", rel="canonical")["href"]
    assert data["author"]["@type"] == "GovernmentOrganization" and data["author"] == data["publisher"]
    assert data["author"]["url"] == f"{settings.SITE_URL}/{language}/"
    assert data["headline"] == meta(soup, property="og:title")


def test_json_ld_cannot_close_its_script_block(client):
    make_release(title_en="Evil </script><script>alert(1)</script>", slug_en="evil")
    release = NewsRelease.objects.get(slug_en="evil")
    with translation.override("en"):
        response = client.get(release.get_absolute_url())
    html = response.content.decode()
    block = html.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0]
    assert "<" not in block
    assert json.loads(block)["headline"].startswith("Evil </script>")


def test_pages_that_are_not_for_the_public_offer_no_preview(client, staff_client):
    release = make_release(published_at=timezone.now() + dt.timedelta(days=1))
    response = staff_client.get(f"/en/newsroom/preview/{release.pk}/")
    assert response.status_code == 200
    assert b'property="og:' not in response.content and b"ld+json" not in response.content


def news_sitemap(client):
    response = client.get("/news-sitemap.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    return etree.fromstring(response.content)


def test_news_sitemap_lists_the_last_two_days_in_both_languages_and_validates(client, reference):
    fresh = make_release(
        published_at=timezone.now() - dt.timedelta(hours=3), title_fr="Nouvelles « fraîches »"
    )
    make_release(published_at=timezone.now() - dt.timedelta(days=3))
    make_release(published_at=timezone.now() + dt.timedelta(hours=1))
    make_release(published_at=timezone.now() - dt.timedelta(hours=1), status="draft")
    document = news_sitemap(client)
    schema = etree.XMLSchema(etree.parse(str(SCHEMAS / "sitemap.xsd")))
    schema.assertValid(document)
    ns = {
        "sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
        "news": "http://www.google.com/schemas/sitemap-news/0.9",
    }
    entries = {
        url.findtext("sm:loc", namespaces=ns): (
            url.findtext("news:news/news:publication/news:language", namespaces=ns),
            url.findtext("news:news/news:title", namespaces=ns),
        )
        for url in document.findall("sm:url", ns)
    }
    year = fresh.local_published_at.year
    assert entries == {
        f"{settings.SITE_URL}/en/newsroom/{year}/{fresh.slug_en}/": ("en", fresh.title_en),
        f"{settings.SITE_URL}/fr/salle-de-presse/{year}/{fresh.slug_fr}/": ("fr", "Nouvelles « fraîches »"),
    }


def test_robots_txt_names_the_news_sitemap(client):
    robots = client.get("/robots.txt").content.decode()
    assert f"Sitemap: {settings.SITE_URL}/news-sitemap.xml" in robots


def test_news_sitemap_is_public_and_sets_no_cookie(client):
    response = client.get("/news-sitemap.xml")
    assert "public" in response["Cache-Control"] and not response.cookies
