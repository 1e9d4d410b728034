"""An embargoed release is nowhere to be seen the minute before its publication, and everywhere at the minute.

Each public surface is one entry of SURFACES: add a surface (feed, search,
API, sitemap.xml...) by appending an entry; every test below then runs on it
in both languages, at minute-1 and at minute+0, in that order and without
clearing any cache in between, so that a cached response cannot hide or
reveal the release at the wrong minute.
"""

import datetime as dt
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation

from core.roles import PUBLISHER
from newsroom import services
from newsroom.models import NewsRelease
from tests.factories import make_contact, make_initiative, make_release
from tests.staff import make_staff

OTTAWA = zoneinfo.ZoneInfo("America/Toronto")
# A year with no other release, so that even the year's existence is news.
PUBLICATION = dt.datetime(2031, 3, 10, 9, 0, tzinfo=OTTAWA)
LANGUAGES = ("en", "fr")


@dataclass
class Embargo:
    release: NewsRelease
    old_slugs: dict[str, str]

    @property
    def old_slug(self) -> str:
        return self.old_slugs[translation.get_language()]

    @property
    def title(self) -> str:
        return self.release.title

    @property
    def year_url(self) -> str:
        return reverse("newsroom:year", kwargs={"year": PUBLICATION.year})

    @property
    def initiative(self):
        """An initiative announced with the release: public with it, not before."""
        return self.release.initiatives.get()

    @property
    def contact(self) -> str:
        """The contact created for the release."""
        return self.release.media_contacts.get().organisation


@dataclass(frozen=True)
class Surface:
    """A public surface, and what on it would give the release away.

    `url` and `markers` are called in the language being tested. The first
    marker must appear at the minute of publication (unless
    `shown_at_publication` is False, for surfaces that never list releases,
    or None where it depends on features the site may not have); none may
    appear before it.
    """

    name: str
    url: Callable[[Embargo], str]
    markers: Callable[[Embargo], list[str]] = lambda embargo: [embargo.title, embargo.year_url]
    shown_at_publication: bool | None = True
    languages: tuple[str, ...] = LANGUAGES
    headers: dict[str, str] = field(default_factory=dict)
    # A refusal (the send form's 400) gives nothing away either.
    statuses: tuple[int, ...] = (200, 404)


def _old_slug_url(embargo: Embargo) -> str:
    return reverse("newsroom:release", kwargs={"year": PUBLICATION.year, "slug": embargo.old_slug})


SURFACES = [
    Surface("release page", lambda e: e.release.get_absolute_url(), lambda e: [e.title]),
    Surface("print view", lambda e: e.release.get_print_url(), lambda e: [e.title]),
    # Before the minute an old address leads nowhere; from it, to the release.
    Surface("old slug", _old_slug_url, lambda e: [e.title]),
    # Its initiative joins the listing's filter at the same minute.
    Surface(
        "newsroom listing",
        lambda e: reverse("newsroom:list"),
        lambda e: [e.title, e.year_url, e.initiative.name],
    ),
    Surface("year archive", lambda e: e.year_url, lambda e: [e.title]),
    Surface("initiative page", lambda e: e.initiative.get_absolute_url()),
    Surface("initiative print view", lambda e: e.initiative.get_print_url(), lambda e: [e.initiative.name]),
    Surface("initiatives", lambda e: reverse("initiatives:list"), lambda e: [e.initiative.name]),
    Surface(
        "initiative feed", lambda e: reverse("newsroom:initiative_feed", kwargs={"slug": e.initiative.slug})
    ),
    Surface("home page", lambda e: reverse("home")),
    Surface("A-Z index", lambda e: reverse("a_to_z"), lambda e: [e.initiative.name]),
    Surface("site map", lambda e: reverse("site_map"), lambda e: [e.year_url, e.initiative.name]),
    Surface("Atom feed", lambda e: reverse("newsroom:feed"), lambda e: [e.title]),
    Surface(
        "search",
        lambda e: reverse("search:results") + "?q=budget",
        # Titles come back with the searched word highlighted: look for the link.
        lambda e: [e.release.get_absolute_url(), e.title, e.initiative.name],
    ),
    Surface("sitemap.xml", lambda e: "/sitemap-releases.xml", lambda e: [e.release.get_absolute_url()]),
    Surface(
        "sitemap.xml initiatives",
        lambda e: "/sitemap-initiatives.xml",
        lambda e: [e.initiative.get_absolute_url()],
    ),
    Surface("JSON API", lambda e: "/api/releases/", lambda e: [e.title]),
    Surface("JSON API initiatives", lambda e: "/api/initiatives/", lambda e: [e.initiative.name]),
    Surface("JSON API media contacts", lambda e: "/api/media-contacts/", lambda e: [e.contact]),
    Surface(
        "send this page",
        lambda e: reverse("sharing:send") + "?page=" + e.release.get_absolute_url(),
        lambda e: [e.title],
        statuses=(200, 400),
    ),
]


@pytest.fixture
def embargo(reference) -> Embargo:
    """A release scheduled by a publisher for PUBLICATION, whose address changed while embargoed."""
    publisher = make_staff(PUBLISHER)
    release = make_release(
        status=NewsRelease.Status.DRAFT,
        published_at=None,
        title_en="Embargoed border budget",
        title_fr="Budget frontalier sous embargo",
        slug_en="first-slug",
        slug_fr="premier-slug",
        initiatives=[
            make_initiative(
                name_en="Border budget initiative", name_fr="Initiative du budget frontalier", listed=False
            )
        ],
        media_contacts=[
            make_contact(
                organisation_en="Border budget press office",
                organisation_fr="Bureau de presse du budget frontalier",
                listed=False,
            )
        ],
    )
    with time_machine.travel(PUBLICATION - dt.timedelta(days=1), tick=False):
        services.schedule_release(release=release, by=publisher, at=PUBLICATION)
        release.slug_en, release.slug_fr = "border-budget", "budget-frontalier"
        services.save_release(release=release, by=publisher, expected_version=release.version)
    return Embargo(release=release, old_slugs={"en": "first-slug", "fr": "premier-slug"})


def _visit(client, surface: Surface, embargo: Embargo, language: str, moment: dt.datetime):
    with time_machine.travel(moment, tick=False), translation.override(language):
        url = surface.url(embargo)
        markers = surface.markers(embargo)
        response = client.get(url, follow=True, headers=surface.headers)
    return response, markers


@pytest.mark.parametrize(
    ("surface", "language"),
    [
        pytest.param(surface, language, id=f"{surface.name}-{language}")
        for surface in SURFACES
        for language in surface.languages
    ],
)
def test_embargoed_release_appears_at_its_minute_and_not_before(client, embargo, surface, language):
    before, markers = _visit(client, surface, embargo, language, PUBLICATION - dt.timedelta(minutes=1))
    assert before.status_code in surface.statuses
    text = before.content.decode()
    for marker in markers:
        assert marker not in text, f"{surface.name} gives away {marker!r} the minute before publication"

    at, markers = _visit(client, surface, embargo, language, PUBLICATION)
    assert at.status_code in surface.statuses
    shown = markers[0] in at.content.decode()
    if surface.shown_at_publication is not None:
        assert shown is surface.shown_at_publication, f"{surface.name} at the minute of publication"


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_release_page_answers_not_found_before_its_minute(client, embargo, language):
    before, _markers = _visit(client, SURFACES[0], embargo, language, PUBLICATION - dt.timedelta(seconds=1))
    at, _markers = _visit(client, SURFACES[0], embargo, language, PUBLICATION)
    assert (before.status_code, at.status_code) == (404, 200)


def test_a_publisher_can_pull_the_release_back_before_its_minute(client, embargo):
    with time_machine.travel(PUBLICATION - dt.timedelta(minutes=5), tick=False):
        release = NewsRelease.objects.get(pk=embargo.release.pk)
        services.unpublish_release(release=release, by=make_staff(PUBLISHER, "media"))
    at, _markers = _visit(client, SURFACES[0], embargo, "en", PUBLICATION)
    assert at.status_code == 404
