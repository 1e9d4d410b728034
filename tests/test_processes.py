"""Several processes, one site: what one process changes, every other serves at once.

These tests run the site as it is deployed, in processes of its own (gunicorn
workers, `manage.py` commands), and wait for real minutes: no clock is mocked.
"""

import datetime as dt
import os
import threading
import time
import uuid

import pytest

from tests.real_services import (
    REDIS_HOST,
    REDIS_PORT,
    Server,
    answers,
    manage,
    postgres_url,
    scratch_postgres,
)


def shell(code: str, *, database_url: str, env: dict[str, str] | None = None) -> str:
    """Run Python in `manage.py shell`, as a script or an operator would."""
    return manage("shell", "-c", code, database_url=database_url, env=env).stdout


def next_minute(at_least: float) -> float:
    """The next whole minute at least `at_least` seconds from now, in epoch seconds."""
    return (int(time.time() + at_least) // 60 + 1) * 60


def wait_until(moment: float) -> None:
    time.sleep(max(0.0, moment - time.time()))


SCHEDULE = """
import datetime as dt
from initiatives.models import Initiative
from newsroom.models import NewsRelease
release = NewsRelease.objects.create(
    release_type="news_release", status="published",
    published_at=dt.datetime.fromtimestamp({minute}, tz=dt.UTC), last_updated=dt.date.fromtimestamp({minute}),
    title_en="{title} EN", title_fr="{title} FR", slug_en="{slug}", slug_fr="{slug}-fr",
    summary_en="Scheduled.", summary_fr="Programmé.", body_en="<p>Scheduled.</p>", body_fr="<p>Programmé.</p>",
)
release.initiatives.set(Initiative.objects.filter(slug_en="integrated-border-enforcement-teams"))
print(release.pk)
"""


def machine_redis_url() -> str:
    """The run's Redis, or the machine's; the test is skipped without one."""
    if not answers(REDIS_HOST, REDIS_PORT):
        pytest.skip(f"Redis is not running on {REDIS_HOST}:{REDIS_PORT}")
    return os.environ.get("REDIS_URL") or f"redis://{REDIS_HOST}:{REDIS_PORT}/1"


@pytest.fixture
def embedded_site(tmp_path):
    """The embedded default as `make run` sets it up: an SQLite file and the cache in files."""
    # No REDIS_URL, whatever the test run has: `manage.py` commands use the same files as the server.
    env = {
        "CACHE_DIR": str(tmp_path / "cache"),
        "DEBUG": "1",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "REDIS_URL": "",
    }
    database_url = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    manage("migrate", "--noinput", "-v0", database_url=database_url, env=env)
    manage("loaddata", "reference", "-v0", database_url=database_url, env=env)
    server = Server({**env, "DATABASE_URL": database_url}, workers=2, settings="config.settings")
    try:
        yield server, database_url, env
    finally:
        server.stop()


@pytest.mark.embedded
def test_a_change_made_by_another_process_shows_at_once_on_the_embedded_default(embedded_site):
    server, database_url, env = embedded_site
    for _reader in range(4):  # both workers keep their copy
        assert "Canada-U.S. cooperation" in server.get("/en/newsroom/")[2]
    shell(
        "from newsroom.models import NewsRelease\n"
        "release = NewsRelease.objects.get(slug_en='cross-border-crime')\n"
        "release.title_en = 'Changed from a shell'\n"
        "release.save()",
        database_url=database_url,
        env=env,
    )
    for _reader in range(4):
        assert "Changed from a shell" in server.get("/en/newsroom/")[2]


@pytest.mark.postgres
def test_a_change_made_by_another_process_shows_at_once_on_every_server_process_with_redis():
    """Production's setup: each worker answers kept pages from its memory, until a version moves."""
    redis_url = machine_redis_url()
    with scratch_postgres(reference=True) as name:
        database_url = postgres_url(name)
        shared = {"REDIS_URL": redis_url, "TEST_CACHE_KEY_PREFIX": f"watch-{uuid.uuid4().hex[:8]}"}
        server = Server({"DATABASE_URL": database_url, **shared}, workers=2)
        try:
            page = "/en/newsroom/2005/cross-border-crime/"
            for title in ("Changed from a shell", "Changed again from a shell"):
                for _reader in range(8):  # both workers hold their copy
                    assert server.get(page)[0] == 200
                shell(
                    "from newsroom.models import NewsRelease\n"
                    "release = NewsRelease.objects.get(slug_en='cross-border-crime')\n"
                    f"release.title_en = '{title}'\n"
                    "release.save()",
                    database_url=database_url,
                    env=shared,
                )
                for _reader in range(8):
                    assert title in server.get(page)[2]
                    assert title in server.get("/en/newsroom/")[2]
        finally:
            server.stop()


@pytest.mark.embedded
@pytest.mark.minute
def test_a_release_scheduled_by_another_process_appears_at_its_minute_on_the_embedded_default(embedded_site):
    server, database_url, env = embedded_site
    minute = next_minute(at_least=8)
    title = f"Scheduled from a shell {uuid.uuid4().hex[:8]}"
    for url in ("/en/newsroom/", "/fr/salle-de-presse/"):
        server.get(url)  # kept before the release is scheduled
    shell(
        SCHEDULE.format(minute=minute, title=title, slug="from-a-shell"), database_url=database_url, env=env
    )
    for url in ("/en/newsroom/", "/fr/salle-de-presse/"):
        assert title not in server.get(url)[2]
    wait_until(minute)
    deadline = minute + 2
    for url, language in (("/en/newsroom/", "EN"), ("/fr/salle-de-presse/", "FR")):
        while f"{title} {language}" not in server.get(url)[2]:
            assert time.time() < deadline, f"{url} lacks the release 2 s after its minute"
            time.sleep(0.1)


@pytest.mark.postgres
@pytest.mark.minute
def test_a_release_is_nowhere_before_its_minute_and_everywhere_at_it_under_load():
    """About a dozen readers from 20 s before the minute to 40 s after, on the production setup."""
    redis_url = machine_redis_url()
    with scratch_postgres(reference=True) as name:
        database_url = postgres_url(name)
        manage("seed_demo", "--releases", "400", "--initiatives", "10", "-v0", database_url=database_url)
        minute = next_minute(at_least=35)
        year = dt.datetime.fromtimestamp(minute, tz=dt.UTC).year
        title = f"Minute under load {uuid.uuid4().hex[:8]}"
        shell(
            SCHEDULE.format(minute=minute, title=title, slug="minute-under-load"), database_url=database_url
        )
        server = Server(
            {
                "DATABASE_URL": database_url,
                "REDIS_URL": redis_url,
                "TEST_CACHE_KEY_PREFIX": f"minute-{uuid.uuid4().hex[:8]}",
            },
            workers=2,
        )
        try:
            readings = read_around_the_minute(server, minute, year, database_url)
        finally:
            server.stop()
    assert_exact_at_the_minute(readings, minute, title)


ADDRESSES = [
    ("/en/newsroom/{year}/minute-under-load/", "EN"),
    ("/fr/salle-de-presse/{year}/minute-under-load-fr/", "FR"),
    ("/en/newsroom/", "EN"),
    ("/fr/salle-de-presse/", "FR"),
    ("/en/newsroom/{year}/", "EN"),
    ("/fr/salle-de-presse/{year}/", "FR"),
    ("/en/initiatives/integrated-border-enforcement-teams/", "EN"),
    ("/fr/initiatives/equipes-integrees-de-la-police-des-frontieres/", "FR"),
    ("/en/", "EN"),
    ("/fr/", "FR"),
    ("/en/newsroom/feed/", "EN"),
    ("/fr/salle-de-presse/fil/", "FR"),
    ("/sitemap-releases.xml", "minute-under-load"),
]


def read_around_the_minute(server: Server, minute: float, year: int, database_url: str) -> list[tuple]:
    """(sent, received, address, status, body) for every request of a dozen readers."""
    addresses = [(path.format(year=year), marker) for path, marker in ADDRESSES]
    for path, _marker in addresses:
        server.get(path)  # every page kept before the readers come
    readings: list[tuple] = []
    lock = threading.Lock()

    def reader(offset: int) -> None:
        n = offset
        while time.time() < minute + 40:
            path, marker = addresses[n % len(addresses)]
            sent = time.time()
            status, _headers, body = server.get(path, timeout=30)
            with lock:
                readings.append((sent, time.time(), path, marker, status, body))
            n += 1

    wait_until(minute - 20)
    threads = [threading.Thread(target=reader, args=(offset,)) for offset in range(12)]
    for thread in threads:
        thread.start()
    # An unrelated edit just before the minute: every kept page is made again around it.
    wait_until(minute - 3)
    shell(
        f"import time\ntime.sleep(max(0, {minute} - 0.4 - time.time()))\n"
        "from newsroom.models import NewsRelease\n"
        "other = NewsRelease.objects.exclude(slug_en='minute-under-load').order_by('pk').first()\n"
        "other.summary_en += ' '\n"
        "other.save()",
        database_url=database_url,
    )
    for thread in threads:
        thread.join()
    return readings


def assert_exact_at_the_minute(readings: list[tuple], minute: float, title: str) -> None:
    def shows(marker: str, status: int, body: str) -> bool:
        wanted = f"{title} {marker}" if marker in ("EN", "FR") else marker
        return status == 200 and wanted in body

    assert [status for *_rest, status, _body in readings if status >= 500] == []
    early = [
        (path, received - minute)
        for _sent, received, path, marker, status, body in readings
        if received < minute and (title in body or shows(marker, status, body))
    ]
    assert early == [], f"shown before its minute: {early}"
    late: dict[str, float] = {}
    for sent, _received, path, marker, status, body in readings:
        if sent >= minute + 2 and not shows(marker, status, body):
            late.setdefault(path, sent - minute)
    assert late == {}, f"addresses still without the release 2 s after the minute: {late}"
    read_after = {path for sent, _received, path, *_rest in readings if sent >= minute + 2}
    assert len(read_after) == len(ADDRESSES), "every address was read after the minute"
    assert len([reading for reading in readings if reading[1] < minute]) > 100, "readers were busy before it"
