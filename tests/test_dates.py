"""Dates and times written as each official language writes them, wherever the site shows one."""

import datetime as dt
import zoneinfo

import pytest
from django.contrib.admin.models import LogEntry
from django.template import Context, Template
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from core import dates
from core.roles import EDITOR, PUBLISHER
from newsroom import services
from newsroom.models import NewsRelease
from tests.factories import make_release
from tests.staff import changelist_url, confirmation_form, login

OTTAWA = zoneinfo.ZoneInfo("America/Toronto")
NBSP = "\N{NO-BREAK SPACE}"


def ottawa(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=OTTAWA)


@pytest.mark.parametrize(
    ("day", "english", "french"),
    [
        (dt.date(2005, 5, 18), "May 18, 2005", "18 mai 2005"),
        (dt.date(2005, 6, 1), "June 1, 2005", "1er juin 2005"),
        (dt.date(2005, 9, 19), "Sept. 19, 2005", "19 septembre 2005"),
        (dt.date(2006, 2, 1), "Feb. 1, 2006", "1er février 2006"),
        (dt.date(2005, 12, 31), "Dec. 31, 2005", "31 décembre 2005"),
    ],
)
def test_long_dates_in_each_language(day, english, french):
    assert dates.long_date(day, "en") == english
    assert dates.long_date(day, "fr") == french


def test_a_dateline_date_reads_le_in_french():
    assert dates.dateline_date(dt.date(2005, 5, 18), "fr") == "le 18 mai 2005"
    assert dates.dateline_date(dt.date(2005, 6, 1), "fr") == "le 1er juin 2005"
    assert dates.dateline_date(dt.date(2005, 5, 18), "en") == "May 18, 2005"


@pytest.mark.parametrize(
    ("moment", "english", "french"),
    [
        # On the hour, in summer (daylight time).
        (ottawa(2026, 5, 18, 9, 0), "2026-05-18 09:00 EDT", f"18 mai 2026 à 9{NBSP}h (HAE)"),
        # On the half hour, in winter (standard time), on the 1st of a month.
        (ottawa(2026, 1, 1, 9, 30), "2026-01-01 09:30 EST", f"1er janvier 2026 à 9{NBSP}h{NBSP}30 (HNE)"),
        (ottawa(2026, 11, 30, 14, 5), "2026-11-30 14:05 EST", f"30 novembre 2026 à 14{NBSP}h{NBSP}05 (HNE)"),
        (ottawa(2026, 7, 1, 0, 0), "2026-07-01 00:00 EDT", f"1er juillet 2026 à 0{NBSP}h (HAE)"),
    ],
)
def test_date_times_in_each_language_with_the_zone(moment, english, french):
    assert dates.date_time(moment, "en") == english
    assert dates.date_time(moment, "fr") == french


def test_date_times_are_written_in_ottawa_time_whatever_zone_they_were_given_in():
    # 13:00 UTC is 9:00 in Ottawa in May, and 8:00 in January.
    assert (
        dates.date_time(dt.datetime(2026, 5, 18, 13, 0, tzinfo=dt.UTC), "fr")
        == f"18 mai 2026 à 9{NBSP}h (HAE)"
    )
    assert dates.date_time(dt.datetime(2026, 1, 18, 13, 0, tzinfo=dt.UTC), "en") == "2026-01-18 08:00 EST"


def test_the_active_language_is_used_when_none_is_given():
    moment = ottawa(2026, 6, 1, 9, 30)
    with translation.override("fr"):
        assert dates.long_date(moment.date()) == "1er juin 2026"
        assert dates.date_time(moment) == f"1er juin 2026 à 9{NBSP}h{NBSP}30 (HAE)"
    with translation.override("en"):
        assert dates.long_date(moment.date()) == "June 1, 2026"
        assert dates.date_time(moment) == "2026-06-01 09:30 EDT"


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "June 1, 2026|June 1, 2026|2026-06-01 09:00 EDT|"),
        ("fr", f"1er juin 2026|le 1er juin 2026|1er juin 2026 à 9{NBSP}h (HAE)|"),
    ],
)
def test_template_filters_write_in_the_active_language(language, expected):
    template = Template(
        "{% load dates %}{{ when|long_date }}|{{ when|dateline_date }}|{{ when|date_time }}|{{ none|date_time }}"
    )
    with translation.override(language):
        assert template.render(Context({"when": ottawa(2026, 6, 1, 9, 0), "none": None})) == expected


# Where the site shows them.


@pytest.mark.django_db
def test_french_release_page_dateline_reads_le(client, reference):
    french = client.get("/fr/salle-de-presse/2005/criminalite-transfrontaliere/").content.decode()
    english = client.get("/en/newsroom/2005/cross-border-crime/").content.decode()
    time = '<time datetime="2005-05-18T10:00:00-04:00">'
    assert f'<span class="release__dateline">OTTAWA</span>, {time}le 18 mai 2005</time>' in french
    assert f'<span class="release__dateline">OTTAWA</span>, {time}May 18, 2005</time>' in english


@pytest.mark.django_db
def test_a_release_without_a_dateline_shows_the_date_alone(client):
    release = make_release(dateline_en="", dateline_fr="", published_at=ottawa(2024, 6, 1, 9, 0))
    with translation.override("fr"):
        url = release.get_absolute_url()
    assert (
        '<time datetime="2024-06-01T09:00:00-04:00">1er juin 2024</time>' in client.get(url).content.decode()
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "this release will appear by itself at 2031-01-01 09:30 EST."),
        ("fr", f"ce communiqué sera publié automatiquement le 1er janvier 2031 à 9{NBSP}h{NBSP}30 (HNE)."),
    ],
)
def test_preview_banner_gives_the_publication_minute_in_the_pages_language(client, language, expected):
    release = make_release(published_at=ottawa(2031, 1, 1, 9, 30))
    login(client, EDITOR)
    with translation.override(language):
        url = reverse("newsroom:preview", kwargs={"pk": release.pk})
    assert expected in client.get(url).content.decode()


@pytest.mark.django_db
@override_settings(TIME_ZONE="UTC")
@pytest.mark.parametrize(
    ("language", "listed", "logged"),
    [
        ("en", "2031-05-18 09:00 EDT", "Scheduled for 2031-05-18 09:00 EDT"),
        ("fr", f"18 mai 2031 à 9{NBSP}h (HAE)", f"Programmé pour le 18 mai 2031 à 9{NBSP}h (HAE)"),
    ],
)
def test_admin_gives_publication_minutes_in_ottawa_time_in_the_staff_language(
    client, language, listed, logged
):
    release = make_release(status=NewsRelease.Status.DRAFT, published_at=None, last_updated=None)
    login(client, PUBLISHER)
    data = {"action": "schedule", "publish_at": "2031-05-18 09:00", "_selected_action": [release.pk]}
    page = client.post(changelist_url(), data, HTTP_ACCEPT_LANGUAGE=language)
    confirmation, fields = confirmation_form(page)
    client.post(confirmation, fields, HTTP_ACCEPT_LANGUAGE=language)
    assert LogEntry.objects.get(object_id=str(release.pk)).change_message == logged
    assert listed in client.get(changelist_url(), HTTP_ACCEPT_LANGUAGE=language).content.decode()


@pytest.mark.django_db
def test_a_refused_save_says_when_the_other_save_was_made_in_the_staff_language():
    release = make_release(status=NewsRelease.Status.DRAFT, published_at=None, last_updated=None)
    NewsRelease.objects.filter(pk=release.pk).update(modified_at=ottawa(2026, 3, 2, 16, 30))
    stored = NewsRelease.objects.get(pk=release.pk)
    with translation.override("fr"):
        assert f"le 2 mars 2026 à 16{NBSP}h{NBSP}30 (HNE), après" in services.conflict_message(stored)
    with translation.override("en"):
        assert "on 2026-03-02 16:30 EST, after" in services.conflict_message(stored)


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "expected"), [("en", "June 1, 2026"), ("fr", "1er juin 2026")])
def test_admin_lists_write_dates_as_the_staff_language_does(client, language, expected):
    make_release(published_at=ottawa(2026, 6, 1, 9, 0))
    login(client, EDITOR)
    listing = client.get(changelist_url(), HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert expected in listing
    if language == "fr":
        assert "1 juin 2026" not in listing
