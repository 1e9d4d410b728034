"""The page cache: anonymous readers get kept pages, and never a stale one."""

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from core.versioned import bump_small_copies
from initiatives.models import Initiative, PartnerAgency
from newsroom.models import MediaContact, NewsRelease
from pages.models import Department, Menu, MenuLink, StandardPage
from tests.factories import make_contact, make_initiative, make_page, make_release

LANGUAGES = ["en", "fr"]


def url_in(language: str, name: str, **kwargs) -> str:
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None)


def object_url(language: str, obj) -> str:
    with translation.override(language):
        return obj.get_absolute_url()


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


@pytest.fixture
def release(db):
    contact = make_contact(phone="(613) 555-0100")
    initiative = make_initiative()
    return make_release(initiatives=[initiative], media_contacts=[contact])


def test_second_anonymous_reader_is_served_without_the_database(client, release, django_assert_num_queries):
    url = object_url("en", release)
    first = client.get(url)
    with django_assert_num_queries(0):
        second = client.get(url)
    assert second.content == first.content
    assert second["ETag"] == first["ETag"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_release_edit_shows_at_once_on_its_page_and_the_listing(client, release, language):
    listing = url_in(language, "newsroom:list")
    assert "Old title" not in page(client, listing)
    setattr(release, f"title_{language}", "Old title")
    release.save()
    assert "Old title" in page(client, listing)
    assert "Old title" in page(client, object_url(language, release))

    setattr(release, f"title_{language}", "New title")
    release.save()
    assert "New title" in page(client, listing)
    assert "Old title" not in page(client, listing)
    assert "New title" in page(client, object_url(language, release))


@pytest.mark.parametrize("language", LANGUAGES)
def test_unpublishing_a_release_removes_it_from_the_kept_listing(client, release, language):
    listing = url_in(language, "newsroom:list")
    title = getattr(release, f"title_{language}")
    assert title in page(client, listing)
    release.status = NewsRelease.Status.DRAFT
    release.published_at = None
    release.save()
    assert title not in page(client, listing)


@pytest.mark.parametrize("language", LANGUAGES)
def test_deleting_a_release_removes_it_from_the_kept_listing(client, release, language):
    listing = url_in(language, "newsroom:list")
    title = getattr(release, f"title_{language}")
    assert title in page(client, listing)
    release.delete()
    assert title not in page(client, listing)


@pytest.mark.parametrize("language", LANGUAGES)
def test_initiative_edit_shows_at_once(client, release, language):
    initiative = release.initiatives.get()
    url = object_url(language, initiative)
    assert "Renamed initiative" not in page(client, url)
    setattr(initiative, f"name_{language}", "Renamed initiative")
    initiative.save()
    assert "Renamed initiative" in page(client, url)
    assert "Renamed initiative" in page(client, url_in(language, "a_to_z"))


@pytest.mark.parametrize("language", LANGUAGES)
def test_linking_a_release_to_an_initiative_shows_at_once(client, release, language):
    other = make_initiative()
    url = object_url(language, other)
    title = getattr(release, f"title_{language}")
    assert title not in page(client, url)
    release.initiatives.add(other)
    assert title in page(client, url)
    release.initiatives.remove(other)
    assert title not in page(client, url)


@pytest.mark.parametrize("language", LANGUAGES)
def test_media_contact_edit_shows_at_once(client, release, language):
    url = object_url(language, release)
    assert "(613) 555-0100" in page(client, url)
    contact = MediaContact.objects.get()
    contact.phone = "(613) 555-0199"
    setattr(contact, f"organisation_{language}", "Press office")
    contact.save()
    content = page(client, url)
    assert "(613) 555-0199" in content
    assert "Press office" in content


@pytest.mark.parametrize("language", LANGUAGES)
def test_menu_edit_shows_at_once_on_every_page(client, reference, release, language):
    pages = [url_in(language, "home"), url_in(language, "newsroom:list"), object_url(language, release)]
    for url in pages:
        assert "Renamed link" not in page(client, url)
    link = MenuLink.objects.filter(menu__key="top").first()
    setattr(link, f"label_{language}", "Renamed link")
    link.save()
    for url in pages:
        assert "Renamed link" in page(client, url)

    menu = Menu.objects.get(key="information-for")
    setattr(menu, f"title_{language}", "Renamed menu")
    menu.save()
    assert all("Renamed menu" in page(client, url) for url in pages)


@pytest.mark.parametrize("language", LANGUAGES)
def test_department_edit_shows_at_once(client, reference, language):
    url = url_in(language, "home")
    page(client, url)
    department = Department.current()
    setattr(department, f"name_{language}", "Department of Renamed Things")
    department.save()
    assert "Department of Renamed Things" in page(client, url)


@pytest.mark.parametrize("language", LANGUAGES)
def test_standard_page_edit_shows_at_once(client, db, language):
    standard = make_page()
    url = object_url(language, standard)
    assert "Revised wording" not in page(client, url)
    setattr(standard, f"body_{language}", "<p>Revised wording</p>")
    standard.save()
    assert "Revised wording" in page(client, url)
    StandardPage.objects.filter(pk=standard.pk).delete()
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("page_cache", [True, False], ids=["page cache on", "page cache off"])
@pytest.mark.parametrize("language", LANGUAGES)
def test_scheduled_release_appears_on_the_kept_listing_at_its_minute(
    client, db, language, settings, page_cache
):
    settings.PAGE_CACHE = page_cache
    make_release()
    start = dt.datetime(2026, 3, 2, 9, 58, 30, tzinfo=dt.UTC)
    minute = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)
    listing = url_in(language, "newsroom:list")
    with time_machine.travel(start, tick=False) as traveller:
        scheduled = make_release(published_at=minute)
        title = getattr(scheduled, f"title_{language}")
        assert title not in page(client, listing)

        traveller.move_to(minute - dt.timedelta(seconds=1))
        assert title not in page(client, listing)
        assert client.get(object_url(language, scheduled)).status_code == 404

        traveller.move_to(minute)
        assert title in page(client, listing)
        assert client.get(object_url(language, scheduled)).status_code == 200


@pytest.mark.parametrize("language", LANGUAGES)
def test_public_headers_do_not_tell_when_the_next_embargo_lifts(client, release, language):
    urls = [url_in(language, "newsroom:list"), object_url(language, release), f"/{language}/no-such-page/"]
    now = timezone.now().replace(microsecond=0)
    with time_machine.travel(now, tick=False) as traveller:
        before = [client.get(url)["Cache-Control"] for url in urls]
        make_release(published_at=now + dt.timedelta(seconds=180))
        traveller.shift(30)
        scheduled = [client.get(url)["Cache-Control"] for url in urls]
    assert scheduled == before
    assert set(before) == {"public, max-age=0, must-revalidate"}


def test_staff_never_get_a_kept_copy(staff_client, release):
    url = object_url("en", release)
    anonymous = Client()
    page(anonymous, url)
    NewsRelease.objects.filter(pk=release.pk).update(title_en="Changed without a save signal")
    assert "Changed without a save signal" in page(staff_client, url)
    # The kept copy is still there for the public: only staff went around it.
    assert "Changed without a save signal" not in page(anonymous, url)


def test_staff_visit_does_not_fill_the_cache(staff_client, release):
    url = object_url("en", release)
    page(staff_client, url)
    NewsRelease.objects.filter(pk=release.pk).update(title_en="Changed without a save signal")
    assert "Changed without a save signal" in page(Client(), url)


def test_page_cache_can_be_turned_off(client, release, settings):
    settings.PAGE_CACHE = False
    url = object_url("en", release)
    page(client, url)
    NewsRelease.objects.filter(pk=release.pk).update(title_en="Changed without a save signal")
    # What any save does to the copies kept under the content version; the
    # versions of the page's keys stay as they were, which would have left a
    # kept page in place.
    bump_small_copies()
    assert "Changed without a save signal" in page(client, url)


@pytest.mark.parametrize("language", LANGUAGES)
def test_with_the_page_cache_off_pages_are_read_once_per_change(
    client, release, language, settings, django_assert_num_queries
):
    settings.PAGE_CACHE = False
    url, listing = object_url(language, release), url_in(language, "newsroom:list")
    page(client, url), page(client, listing)
    with django_assert_num_queries(0):
        again = page(client, url), page(client, listing)
    assert again == (page(client, url), page(client, listing))

    setattr(release, f"title_{language}", "Corrected title")
    release.save()
    assert "Corrected title" in page(client, url)
    assert "Corrected title" in page(client, listing)

    release.status = NewsRelease.Status.DRAFT
    release.save()
    assert client.get(url).status_code == 404
    assert "Corrected title" not in page(client, listing)


def test_every_content_model_is_watched():
    from core.pagecache import content_models

    watched = set(content_models())
    content = {NewsRelease, MediaContact, Initiative, PartnerAgency, Department, Menu, MenuLink, StandardPage}
    assert content <= watched
    assert all(not model.__name__.startswith("Historical") for model in watched)


def test_emptied_cache_never_brings_back_an_old_version(db):
    from django.core.cache import cache

    from core.versioned import content_version

    before = content_version()
    cache.clear()
    assert content_version() != before


def test_demo_archive_shows_at_once_on_the_kept_listing(client, db):
    from django.core.management import call_command

    listing = url_in("en", "newsroom:list")
    assert "Minister" not in page(client, listing)
    call_command("seed_demo", releases=3, initiatives=0, verbosity=0)
    assert "Minister" in page(client, listing)


def test_new_year_appears_in_the_kept_archive_years_at_its_first_release(client, settings, db):
    settings.PAGE_CACHE = False  # only the kept list of years is at stake here
    make_release(published_at=dt.datetime(2031, 6, 1, 12, tzinfo=dt.UTC))
    minute = dt.datetime(2032, 1, 2, 12, 0, tzinfo=dt.UTC)
    site_map = url_in("en", "site_map")
    year_link = url_in("en", "newsroom:year", year=2032)
    with time_machine.travel(minute - dt.timedelta(seconds=30), tick=False) as traveller:
        make_release(published_at=minute)
        assert year_link not in page(client, site_map)
        traveller.move_to(minute)
        assert year_link in page(client, site_map)


def test_pages_are_served_when_the_cache_does_not_answer(client, release, settings):
    # As production is configured: the default cache fails open.
    settings.CACHES = {
        "default": {
            "BACKEND": "core.cache_backends.FailOpenRedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",  # nothing listens there
            "OPTIONS": {"socket_connect_timeout": 0.2},
        }
    }
    for language in LANGUAGES:
        response = client.get(object_url(language, release))
        assert response.status_code == 200
        assert getattr(release, f"title_{language}") in response.content.decode()


@pytest.mark.parametrize("language", LANGUAGES)
def test_feed_is_kept_and_sent_in_one_piece(client, release, language, django_assert_num_queries):
    # Written in many small pieces, a feed would go out as many packets, each
    # waiting on the network: a kept copy is one piece.
    url = url_in(language, "newsroom:feed")
    first = client.get(url)
    assert len(list(first)) == 1
    with django_assert_num_queries(0):
        again = client.get(url)
    assert len(list(again)) == 1
    assert again.content == first.content
