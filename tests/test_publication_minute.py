"""The publication minute, exact in every cache: nothing before it, everything at it."""

import datetime as dt
import subprocess
import time

import pytest
import time_machine
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from core.pagecache import PageCacheMiddleware
from newsroom.models import NewsRelease
from tests.factories import make_release
from tests.real_services import answers, free_port

LANGUAGES = ["en", "fr"]
MINUTE = dt.datetime(2031, 3, 2, 14, 0, tzinfo=dt.UTC)


def url_in(language: str, name: str, **kwargs) -> str:
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None)


def object_url(language: str, obj) -> str:
    with translation.override(language):
        return obj.get_absolute_url()


@pytest.fixture
def slow_store(monkeypatch):
    """Pages are stored 0.1 s after their rendering began: across the minute when it began 0.05 s before."""
    keep = PageCacheMiddleware.keep
    travellers = []

    def keep_later(key, marks, response, *, started):
        travellers[-1].shift(0.1)
        return keep(key, marks, response, started=started)

    monkeypatch.setattr(PageCacheMiddleware, "keep", staticmethod(keep_later))
    return travellers


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_page_rendered_just_before_the_minute_is_not_kept_after_it(client, db, slow_store, language):
    make_release(published_at=dt.datetime(2031, 1, 5, tzinfo=dt.UTC))
    with time_machine.travel(MINUTE - dt.timedelta(minutes=5), tick=False) as traveller:
        slow_store.append(traveller)
        scheduled = make_release(published_at=MINUTE)
        make_release(published_at=MINUTE + dt.timedelta(hours=1))
        title = getattr(scheduled, f"title_{language}")
        listing, own_page = url_in(language, "newsroom:list"), object_url(language, scheduled)

        traveller.move_to(MINUTE - dt.timedelta(seconds=0.05))
        assert title not in client.get(listing).content.decode()
        traveller.move_to(MINUTE - dt.timedelta(seconds=0.05))
        assert client.get(own_page).status_code == 404

        traveller.move_to(MINUTE + dt.timedelta(seconds=1))
        assert title in client.get(listing).content.decode()
        assert client.get(own_page).status_code == 200


@pytest.mark.parametrize("page_cache", [True, False], ids=["page cache on", "page cache off"])
@pytest.mark.parametrize("language", LANGUAGES)
def test_archived_with_a_time_to_come_appears_at_its_minute(client, db, settings, language, page_cache):
    settings.PAGE_CACHE = page_cache
    make_release(published_at=dt.datetime(2030, 6, 1, tzinfo=dt.UTC))
    with time_machine.travel(MINUTE - dt.timedelta(minutes=1), tick=False) as traveller:
        archived = make_release(status=NewsRelease.Status.ARCHIVED, published_at=MINUTE)
        assert archived.is_scheduled
        title = getattr(archived, f"title_{language}")
        listing, site_map = url_in(language, "newsroom:list"), url_in(language, "site_map")
        year_link = url_in(language, "newsroom:year", year=MINUTE.year)
        assert title not in client.get(listing).content.decode()
        assert year_link not in client.get(site_map).content.decode()

        traveller.move_to(MINUTE)
        assert title in client.get(listing).content.decode()
        assert year_link in client.get(site_map).content.decode()


def test_archived_with_a_time_to_come_is_scheduled_for_the_publishing_desk(db):
    with time_machine.travel(MINUTE - dt.timedelta(minutes=1), tick=False):
        archived = make_release(status=NewsRelease.Status.ARCHIVED, published_at=MINUTE)
        assert list(NewsRelease.objects.awaiting_publication()) == [archived]
        assert NewsRelease.objects.next_publication_minute(MINUTE - dt.timedelta(minutes=1)) == MINUTE
        assert not archived.is_public and not archived.was_public


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_old_address_redirect_carries_cache_headers(client, db, language):
    release = make_release()
    old = object_url(language, release)
    setattr(release, f"slug_{language}", "a-corrected-address")
    release.save()
    response = client.get(old)
    assert response.status_code == 301
    assert response["Location"] == object_url(language, release)
    assert response["Cache-Control"] == "public, max-age=0, must-revalidate"


def test_one_command_makes_every_kept_page_stale_after_a_restore(client, db):
    release = make_release()
    url = object_url("en", release)
    client.get(url)
    # A restore writes the rows without a save signal.
    NewsRelease.objects.filter(pk=release.pk).update(title_en="Title as restored")
    assert "Title as restored" not in client.get(url).content.decode()
    call_command("expire_kept_pages", verbosity=0)
    assert "Title as restored" in client.get(url).content.decode()


@pytest.fixture
def full_redis():
    """A Redis of its own that refuses every write: full, with no eviction."""
    port = free_port()
    server = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 10
        while not answers("127.0.0.1", port):
            assert time.monotonic() < deadline, "redis-server did not start"
            time.sleep(0.05)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_a_save_never_fails_when_redis_refuses_writes(client, db, full_redis):
    import redis

    release = make_release()
    url = object_url("en", release)
    options = {"LOCATION": f"redis://127.0.0.1:{full_redis}/0", "OPTIONS": {"socket_timeout": 1}}
    caches = {
        "default": {"BACKEND": "core.cache_backends.FailOpenRedisCache", **options},
        "strict": {"BACKEND": "django.core.cache.backends.redis.RedisCache", **options},
    }
    with override_settings(CACHES=caches):
        assert "Release number" in client.get(url).content.decode()  # kept
        server = redis.Redis(port=full_redis)
        server.config_set("maxmemory", max(1, server.info("memory")["used_memory"] - 1024))
        server.config_set("maxmemory-policy", "noeviction")
        with pytest.raises(redis.exceptions.ResponseError, match="maxmemory"):
            server.set("more", "x" * 1000)

        release.title_en = "Saved while the cache is full"
        release.save()
        release.refresh_from_db()
        assert release.title_en == "Saved while the cache is full"
        assert "Saved while the cache is full" in client.get(url).content.decode()
