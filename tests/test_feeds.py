"""Atom feeds: readable by feed readers, in each language, showing only public releases."""

import datetime as dt

import feedparser
import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone, translation

from newsroom.models import NewsRelease
from tests.factories import make_initiative, make_release

pytestmark = pytest.mark.django_db


def feed_url(name: str, language: str, **kwargs) -> str:
    with translation.override(language):
        return reverse(f"newsroom:{name}", kwargs=kwargs)


def read(client, url: str):
    response = client.get(url)
    assert response.status_code == 200
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    return response, parsed


@pytest.mark.parametrize(
    ("language", "title_field", "path_start"),
    [("en", "title_en", "/en/newsroom/feed/"), ("fr", "title_fr", "/fr/salle-de-presse/fil/")],
)
def test_feed_entries_have_id_title_link_dates_and_language(
    client, reference, language, title_field, path_start
):
    url = feed_url("feed", language)
    assert url == path_start
    release = NewsRelease.objects.get(slug_en="cross-border-crime")

    _, parsed = read(client, url)

    assert parsed.version == "atom10"
    assert parsed.feed.language == language
    assert parsed.feed.author_detail.name
    [entry] = parsed.entries
    assert entry.title == getattr(release, title_field)
    assert entry.id.startswith("tag:") and entry.id.endswith(f"/release/{release.pk}/{language}")
    with translation.override(language):
        assert entry.link.endswith(release.get_absolute_url())
    assert entry.link.startswith("http")
    assert entry.summary
    assert entry.published_parsed[:3] == (2005, 5, 18)
    assert entry.updated_parsed[:3] == (2005, 9, 19)
    # feedparser reports an entry's xml:lang on each of its texts.
    assert entry.title_detail.language == language
    assert entry.summary_detail.language == language


def test_french_feed_is_written_in_french(client, reference):
    _, english = read(client, feed_url("feed", "en"))
    assert english.feed.author == "Public Safety and Emergency Preparedness Canada"
    _, parsed = read(client, feed_url("feed", "fr"))
    assert parsed.feed.title.startswith("Communiqués")
    assert parsed.feed.author == "Sécurité publique et Protection civile Canada"
    assert "criminalité" in parsed.entries[0].title


def test_entry_ids_stay_the_same_from_one_request_to_the_next(client):
    make_release(title_en="Steady")
    first = [entry.id for entry in read(client, feed_url("feed", "en"))[1].entries]
    make_release(title_en="Newer")
    second = [entry.id for entry in read(client, feed_url("feed", "en"))[1].entries]
    assert first[0] in second
    assert len(set(second)) == 2


def test_drafts_and_scheduled_releases_stay_out_of_every_feed(client):
    initiative = make_initiative()
    make_release(title_en="Visible", initiatives=[initiative])
    make_release(title_en="Draft", status=NewsRelease.Status.DRAFT, initiatives=[initiative])
    embargoed = timezone.now() + dt.timedelta(hours=2)
    make_release(title_en="Embargoed", published_at=embargoed, initiatives=[initiative])
    urls = [
        feed_url("feed", "en"),
        feed_url("type_feed", "en", release_type="news_release"),
        feed_url("initiative_feed", "en", slug=initiative.slug_en),
    ]
    for url in urls:
        titles = [entry.title for entry in read(client, url)[1].entries]
        assert titles == ["Visible"], url

    with time_machine.travel(embargoed + dt.timedelta(minutes=1)):
        titles = [entry.title for entry in read(client, urls[0])[1].entries]
    assert titles == ["Embargoed", "Visible"]


def test_type_feed_lists_only_that_type(client):
    make_release(title_en="A speech", release_type=NewsRelease.ReleaseType.SPEECH)
    make_release(title_en="A statement", release_type=NewsRelease.ReleaseType.STATEMENT)
    _, parsed = read(client, feed_url("type_feed", "en", release_type="speech"))
    assert [entry.title for entry in parsed.entries] == ["A speech"]
    assert parsed.feed.title.startswith("Speech")


def test_initiative_feed_in_french_uses_the_french_address(client):
    initiative = make_initiative(slug_fr="frontiere-securitaire")
    make_release(title_fr="Sur l'initiative", initiatives=[initiative])
    make_release(title_fr="Autre sujet")
    url = feed_url("initiative_feed", "fr", slug="frontiere-securitaire")
    assert url == "/fr/salle-de-presse/fil/initiative/frontiere-securitaire/"
    _, parsed = read(client, url)
    assert [entry.title for entry in parsed.entries] == ["Sur l'initiative"]


@pytest.mark.parametrize(
    ("name", "kwargs"),
    [("type_feed", {"release_type": "gossip"}), ("initiative_feed", {"slug": "no-such-initiative"})],
)
def test_unknown_type_or_initiative_feed_is_not_found(client, name, kwargs):
    assert client.get(feed_url(name, "en", **kwargs)).status_code == 404


def test_feed_is_cacheable_and_sets_no_cookie(client):
    make_release()
    response = client.get(feed_url("feed", "en"))
    assert "public" in response["Cache-Control"]
    assert "max-age=" in response["Cache-Control"]
    assert response["Content-Type"].startswith("application/atom+xml")
    assert not response.cookies


def test_pages_point_to_their_feeds(client):
    initiative = make_initiative(slug_en="border-teams")
    home = client.get(reverse("home")).content.decode()
    assert '<link rel="alternate" type="application/atom+xml"' in home
    assert 'href="/en/newsroom/feed/"' in home

    page = client.get(initiative.get_absolute_url()).content.decode()
    assert 'href="/en/newsroom/feed/initiative/border-teams/"' in page

    with translation.override("fr"):
        french = client.get(reverse("newsroom:list") + "?type=speech").content.decode()
    assert 'href="/fr/salle-de-presse/fil/type/speech/"' in french
    assert "(fil Atom)" in french
