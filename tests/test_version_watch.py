"""Kept pages answered from a process's memory: never once a version moved elsewhere.

These tests use the machine's Redis, in a database of their own, and play
"another process" with a connection of their own: it moves a version as
`core.versioned` does, and announces it (or not) on the channel.
"""

import uuid

import pytest
import redis
from django.core.cache import caches
from django.test import Client, override_settings

from core.versioned import CONTENT_VERSION_KEY, KEYS_STAMP_KEY, key_version_name
from newsroom.models import NewsRelease
from tests.factories import make_release
from tests.real_services import REDIS_HOST, REDIS_PORT, answers

REDIS_DB = 9


@pytest.fixture
def redis_cache():
    """The default cache in Redis, as in production, under a prefix of this test's own."""
    if not answers(REDIS_HOST, REDIS_PORT):
        pytest.skip(f"Redis is not running on {REDIS_HOST}:{REDIS_PORT}")
    prefix = f"watch-{uuid.uuid4().hex[:8]}"
    options = {
        "LOCATION": f"redis://{REDIS_HOST}:{REDIS_PORT}/{REDIS_DB}",
        "KEY_PREFIX": prefix,
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    }
    caches_setting = {
        "default": {"BACKEND": "core.cache_backends.FailOpenRedisCache", **options},
        "strict": {"BACKEND": "django.core.cache.backends.redis.RedisCache", **options},
    }
    with override_settings(CACHES=caches_setting, PAGE_CACHE=True):
        yield Elsewhere(prefix, options["LOCATION"])
        caches["default"].clear()


class Elsewhere:
    """Another process sharing the Redis: it moves versions with a connection of its own."""

    def __init__(self, prefix: str, location: str):
        self.client = redis.Redis(host=REDIS_HOST, port=REDIS_PORT, db=REDIS_DB)
        self.prefix = prefix
        self.channel = f"{prefix}:{location}:versions-moved"

    def move(self, name: str, *, announce: bool = True) -> None:
        self.client.incr(f"{self.prefix}:1:{name}")
        if announce:
            self.client.publish(self.channel, b"moved")

    def edit(self, release: NewsRelease, title: str, *, announce: bool = True) -> None:
        """A save in another process: the row changes, then the versions move as `core.pagecache` moves them."""
        NewsRelease.objects.filter(pk=release.pk).update(title_en=title)
        for name in (
            CONTENT_VERSION_KEY,
            KEYS_STAMP_KEY,
            key_version_name(f"release-{release.pk}"),
            KEYS_STAMP_KEY,
        ):
            self.move(name, announce=announce)


@pytest.fixture
def held_release(db, redis_cache):
    """A release whose page this process has kept and holds: (release, client, url)."""
    release, client = make_release(), Client()
    url = release.get_absolute_url()
    for _reader in range(3):
        read(client, url)
    return release, client, url


def read(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def count_round_trips(monkeypatch) -> list:
    trips = []
    backend = caches["default"]
    get_many = backend.get_many

    def counted(keys, *args, **kwargs):
        trips.append(keys)
        return get_many(keys, *args, **kwargs)

    monkeypatch.setattr(backend, "get_many", counted)
    return trips


@pytest.mark.django_db
def test_a_kept_page_is_answered_from_memory_with_no_round_trip(redis_cache, monkeypatch):
    release, client = make_release(), Client()
    url = release.get_absolute_url()
    first = client.get(url)
    read(client, url)  # kept, then held by this process
    trips = count_round_trips(monkeypatch)
    for _reader in range(3):
        again = client.get(url)
        assert again.content == first.content
        assert again["ETag"] == first["ETag"]
    assert trips == []


@pytest.mark.django_db
def test_a_change_announced_by_another_process_is_shown_to_the_next_reader(redis_cache, held_release):
    release, client, url = held_release
    redis_cache.edit(release, "Corrected in another process")
    assert "Corrected in another process" in read(client, url)
    # Held again under the new versions, and let go again at the next change.
    read(client, url)
    redis_cache.edit(release, "Corrected twice")
    assert "Corrected twice" in read(client, url)


@pytest.mark.django_db
def test_a_lost_channel_lets_go_of_every_held_page(redis_cache, held_release):
    release, client, url = held_release
    # The announcement is lost with the connection that would have carried it.
    for listener in redis_cache.client.client_list(_type="pubsub"):
        if listener["db"] == str(REDIS_DB):
            redis_cache.client.client_kill_filter(_id=listener["id"])
    redis_cache.edit(release, "Changed while the channel was down", announce=False)
    assert "Changed while the channel was down" in read(client, url)


@pytest.mark.django_db
def test_emptying_the_cache_lets_go_of_every_held_page(redis_cache, held_release):
    release, client, url = held_release
    NewsRelease.objects.filter(pk=release.pk).update(title_en="Changed before the cache was emptied")
    caches["default"].clear()
    assert "Changed before the cache was emptied" in read(client, url)


@pytest.mark.django_db
def test_a_save_in_this_process_lets_go_at_once(redis_cache, held_release):
    release, client, url = held_release
    release.title_en = "Saved here"
    release.save()
    assert "Saved here" in read(client, url)
