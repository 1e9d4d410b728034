"""The site behind Varnish (deploy/varnish/), as it scales out: two app servers, one database and Redis.

Real processes on loopback ports: gunicorn twice, the task worker that sends
the purges, and varnishd with the project's VCL. What a reader gets through
the edge is what they would get from the app: a change is there within a
second, a scheduled release at its minute, and nothing private is kept.
"""

import datetime as dt
import os
import re
import time
import urllib.parse
import urllib.request
import uuid

import pytest

from tests.real_services import (
    REDIS_HOST,
    REDIS_PORT,
    Server,
    Varnish,
    Worker,
    answers,
    free_port,
    manage,
    postgres_url,
    scratch_postgres,
)
from tests.test_processes import SCHEDULE, next_minute, wait_until

pytestmark = pytest.mark.postgres

RELEASE = "/en/newsroom/2005/cross-border-crime/"
OTHER_RELEASE = "/en/newsroom/2006/other-release/"
PAGE = "/en/pages/about-us/"
OTHER = """
import datetime as dt
from newsroom.models import NewsRelease
NewsRelease.objects.create(
    release_type="news_release", status="published",
    published_at=dt.datetime(2006, 3, 1, 15, tzinfo=dt.UTC), last_updated=dt.date(2006, 3, 1),
    title_en="Other release", title_fr="Autre communiqué", slug_en="other-release", slug_fr="autre-communique",
    summary_en="Other.", summary_fr="Autre.", body_en="<p>Other.</p>", body_fr="<p>Autre.</p>",
)
"""


class Edge:
    """Two app servers, a worker and Varnish, sharing one database and Redis."""

    def __init__(self, database_url: str, *, edge_max_age: int = 3600):
        redis_url = os.environ.get("REDIS_URL") or f"redis://{REDIS_HOST}:{REDIS_PORT}/1"
        self.database_url = database_url
        self.env = {
            "DATABASE_URL": database_url,
            "REDIS_URL": redis_url,
            "TEST_CACHE_KEY_PREFIX": f"edge-{uuid.uuid4().hex[:8]}",
            "EDGE_MAX_AGE": str(edge_max_age),
            "NUMBER_OF_PROXIES": "1",
        }
        self.servers: list[Server] = []
        self.worker = self.varnish = None
        try:
            # The servers are told the edge's address before it starts in front of them.
            varnish_port = free_port()
            self.env["EDGE_PURGE_URLS"] = f"http://127.0.0.1:{varnish_port}/"
            self.servers = [Server(self.env), Server(self.env)]
            self.worker = Worker(self.env)
            self.varnish = Varnish(self.servers, port=varnish_port)
        except BaseException:
            self.stop()
            raise

    def shell(self, code: str) -> str:
        return manage("shell", "-c", code, database_url=self.database_url, env=self.env).stdout

    def settle(self) -> None:
        """Wait until the worker has sent every purge queued so far (a loaded machine starts it slowly)."""
        self.shell(
            "import time\n"
            "from django_tasks_db.models import DBTaskResult\n"
            "deadline = time.monotonic() + 60\n"
            "while DBTaskResult.objects.filter(\n"
            "    task_path='core.edge.purge_edge', status__in=['READY', 'RUNNING']\n"
            ").exists():\n"
            "    assert time.monotonic() < deadline, 'the worker sends no purge'\n"
            "    time.sleep(0.1)\n"
        )

    def stop(self):
        for part in (self.varnish, self.worker, *self.servers):
            if part is not None:
                part.stop()


def release_source(slug: str) -> str:
    return f"from newsroom.models import NewsRelease\nrelease = NewsRelease.objects.get(slug_en={slug!r})\n"


@pytest.fixture(scope="module")
def edge():
    if not answers(REDIS_HOST, REDIS_PORT):
        pytest.skip(f"Redis is not running on {REDIS_HOST}:{REDIS_PORT}")
    with scratch_postgres(reference=True) as name:
        stack = Edge(postgres_url(name))
        try:
            stack.shell(OTHER)
            stack.settle()
            yield stack
        finally:
            stack.stop()


def save(edge: Edge, code: str) -> float:
    """Run `code` (a change) in a process of its own; the moment it was committed."""
    output = edge.shell(code + "\nimport time\nprint('SAVED', time.time())")
    return float(output.split("SAVED", 1)[1])


def shows_within(edge: Edge, path: str, wanted, seconds: float, *, since: float | None = None):
    """Ask the edge until `wanted(status, body)`; fail `seconds` after `since` (now by default)."""
    deadline = (since or time.time()) + seconds
    while True:
        status, headers, body = edge.varnish.get(path)
        if wanted(status, body):
            return status, headers, body
        assert time.time() < deadline, f"{path} still shows the old page {seconds} s after the change"
        time.sleep(0.05)


def kept_at_the_edge(edge: Edge, path: str) -> None:
    edge.varnish.get(path)
    status, headers, _body = edge.varnish.get(path)
    assert (status, headers["X-Cache"]) == (200, "HIT"), path


def test_pages_are_kept_at_the_edge_with_no_surrogate_header_reaching_readers(edge):
    for path in (RELEASE, OTHER_RELEASE, PAGE, "/en/newsroom/"):
        kept_at_the_edge(edge, path)
        _status, headers, _body = edge.varnish.get(path)
        assert not {"xkey", "Surrogate-Control"} & {name for name in headers}
        # What browsers are told is the same as without the edge: nothing of the schedule.
        assert headers["Cache-Control"] == "public, max-age=0, must-revalidate"


def test_an_edit_an_unpublish_and_a_restore_reach_the_edge_within_a_second(edge):
    for path in (RELEASE, OTHER_RELEASE, PAGE, "/en/newsroom/"):
        kept_at_the_edge(edge, path)

    saved = save(
        edge, release_source("cross-border-crime") + "release.title_en = 'Corrected'\nrelease.save()"
    )
    shows_within(edge, RELEASE, lambda status, body: "Corrected" in body, 1, since=saved)
    shows_within(edge, "/en/newsroom/", lambda status, body: "Corrected" in body, 1, since=saved)
    # Purged for one release: the pages of others stay kept.
    for path in (OTHER_RELEASE, PAGE):
        assert edge.varnish.get(path)[1]["X-Cache"] == "HIT", path

    saved = save(edge, release_source("cross-border-crime") + "release.status = 'draft'\nrelease.save()")
    shows_within(edge, RELEASE, lambda status, body: status == 404, 1, since=saved)
    shows_within(edge, "/en/newsroom/", lambda status, body: "Corrected" not in body, 1, since=saved)

    saved = save(
        edge,
        release_source("cross-border-crime")
        + "from core.history import mark_as_restore\n"
        + "version = release.history.exclude(status='draft').order_by('-history_id')[0]\n"
        + "restored = version.instance\n"
        + "restored.version = release.version\n"
        + "mark_as_restore(restored, version_id=version.history_id)\n"
        + "restored.save()",
    )
    shows_within(edge, RELEASE, lambda status, body: status == 200 and "Corrected" in body, 1, since=saved)
    shows_within(edge, "/en/newsroom/", lambda status, body: "Corrected" in body, 1, since=saved)
    assert edge.varnish.get(OTHER_RELEASE)[1]["X-Cache"] == "HIT"


def test_utm_parameters_and_order_do_not_split_the_cache(edge):
    edge.varnish.get("/en/newsroom/?page=1&year=2024")
    status, headers, _body = edge.varnish.get("/en/newsroom/?utm_source=mail&year=2024&utm_medium=x&page=1")
    assert (status, headers["X-Cache"]) == (200, "HIT")


def csrf_form(edge: Edge, server: Server, path: str) -> tuple[str, str]:
    """The CSRF cookie and token a reader gets with a form, from one app server."""
    request = urllib.request.Request(f"http://127.0.0.1:{server.port}{path}")
    with urllib.request.urlopen(request, timeout=15) as response:
        cookie = response.headers["Set-Cookie"].split(";")[0]
        body = response.read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)
    return cookie, token


def post(port: int, path: str, data: dict, cookie: str) -> tuple[int, dict, str]:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}",
        data=urllib.parse.urlencode(data).encode(),
        headers={"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=15) as response:
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()


SEND = "/en/send/?page=" + urllib.parse.quote(OTHER_RELEASE, safe="/")


def test_the_admin_a_preview_a_form_post_and_a_session_pass_through_uncached(edge):
    for path, headers in (
        ("/admin/login/", {}),
        ("/en/newsroom/preview/1/", {}),
        (SEND, {}),
        (OTHER_RELEASE, {"Cookie": "sessionid=abc"}),
    ):
        for _twice in range(2):
            status, answer, _body = edge.varnish.get(path, headers=headers)
        assert answer["X-Cache"] == "PASS", (path, status)
    cookie, token = csrf_form(edge, edge.servers[0], SEND)
    data = {"csrfmiddlewaretoken": token, "sender_name": "Ann", "sender_email": "ann@example.org"}
    for _twice in range(2):
        # Refused (a bad address), each time by the app itself.
        status, answer, body = post(edge.varnish.port, SEND, {**data, "recipient": "bad"}, cookie)
        assert (status, answer["X-Cache"]) == (400, "PASS")
        assert "e-mail address" in body


def test_a_send_this_page_limit_reached_through_one_server_holds_through_the_other(edge):
    server_a, server_b = edge.servers
    cookie, token = csrf_form(edge, server_a, SEND)
    data = {"csrfmiddlewaretoken": token, "sender_name": "Ann", "sender_email": "ann@example.org"}
    # Both servers are told the reader's address by the edge in front of them.
    for n in range(5):
        assert post(server_a.port, SEND, {**data, "recipient": f"friend{n}@example.net"}, cookie)[0] == 200
    assert post(server_b.port, SEND, {**data, "recipient": "other@example.net"}, cookie)[0] == 429


@pytest.mark.minute
def test_a_scheduled_release_appears_at_the_edge_at_its_minute_and_not_before(edge):
    minute = next_minute(at_least=10)
    year = dt.datetime.fromtimestamp(minute, tz=dt.UTC).year
    title = f"At the edge {uuid.uuid4().hex[:8]}"
    page = f"/en/newsroom/{year}/edge-minute/"
    edge.shell(SCHEDULE.format(minute=minute, title=title, slug="edge-minute"))
    for path in ("/en/newsroom/", page):
        edge.varnish.get(path)
    while time.time() < minute - 1:
        assert title not in edge.varnish.get("/en/newsroom/")[2]
        assert edge.varnish.get(page)[0] == 404
        time.sleep(0.5)
    wait_until(minute)
    shows_within(edge, "/en/newsroom/", lambda status, body: f"{title} EN" in body, 2)
    shows_within(edge, page, lambda status, body: status == 200 and f"{title} EN" in body, 2)
    kept_at_the_edge(edge, page)


def test_readers_see_no_error_when_one_server_fails_and_kept_pages_when_both_do():
    if not answers(REDIS_HOST, REDIS_PORT):
        pytest.skip(f"Redis is not running on {REDIS_HOST}:{REDIS_PORT}")
    pages = [RELEASE, OTHER_RELEASE, PAGE, "/en/newsroom/", "/fr/salle-de-presse/"]
    with scratch_postgres(reference=True) as name:
        # Kept at the edge for 2 s: afterwards only grace can answer.
        stack = Edge(postgres_url(name), edge_max_age=2)
        try:
            stack.shell(OTHER)
            stack.settle()
            for path in pages:
                stack.varnish.get(path)
            stack.servers[0].kill()
            for n in range(30):
                path = pages[n % len(pages)] + ("" if n < len(pages) else f"?page={n}")
                assert stack.varnish.get(path)[0] in (200, 404), path
            stack.servers[1].kill()
            time.sleep(4)  # the probes find both servers down; the pages' 2 s are over
            for path in pages:
                status, headers, _body = stack.varnish.get(path)
                assert (status, headers["X-Cache"]) == (200, "HIT"), path
            assert stack.varnish.get("/en/newsroom/?page=99")[0] == 503  # never kept
        finally:
            stack.stop()
