"""Surrogate keys: a change re-renders the pages that show it, and is purged at the edge after its commit."""

import datetime as dt
import http.server
import logging
import re
import threading

import pytest
from django.utils import timezone, translation

from core import edge
from pages.models import MenuLink
from tests.factories import make_initiative, make_page, make_release


def url_of(obj, language: str = "en") -> str:
    with translation.override(language):
        return obj.get_absolute_url()


def kept(client, url: str) -> bool:
    """Whether the page comes from the page cache (no query at all)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200, url
    return len(queries) == 0


@pytest.fixture
def site(db):
    initiative = make_initiative()
    one = make_release(initiatives=[initiative])
    other = make_release()
    standard = make_page()
    return one, other, initiative, standard


def warm(client, urls):
    for url in urls:
        client.get(url)
        client.get(url)


def test_a_correction_to_one_release_re_renders_its_pages_and_listings_and_nothing_else(client, site):
    one, other, initiative, standard = site
    listing = "/en/newsroom/"
    urls = [url_of(one), url_of(other), url_of(standard), listing, url_of(initiative)]
    warm(client, urls)
    assert all(kept(client, url) for url in urls)

    one.title_en = "Corrected title"
    one.save()
    assert kept(client, url_of(other))
    assert kept(client, url_of(standard))
    assert "Corrected title" in client.get(url_of(one)).content.decode()
    assert "Corrected title" in client.get(listing).content.decode()
    # The initiative's page lists its releases.
    assert "Corrected title" in client.get(url_of(initiative)).content.decode()


def test_renaming_an_initiative_re_renders_the_pages_of_its_releases(client, site):
    one, other, initiative, _standard = site
    warm(client, [url_of(one), url_of(other)])
    initiative.name_en = "Renamed initiative"
    initiative.save()
    assert "Renamed initiative" in client.get(url_of(one)).content.decode()
    assert kept(client, url_of(other))


def test_tagging_a_release_re_renders_its_page_and_the_initiatives_not_the_initiatives_other_releases(
    client, site
):
    one, other, initiative, standard = site
    urls = [url_of(one), url_of(other), url_of(initiative), url_of(standard)]
    warm(client, urls)
    other.initiatives.add(initiative)
    assert initiative.name_en in client.get(url_of(other)).content.decode()
    assert other.title_en in client.get(url_of(initiative)).content.decode()
    assert kept(client, url_of(one))
    assert kept(client, url_of(standard))


def test_a_menu_edit_re_renders_every_kept_page(client, reference, site):
    one, other, _initiative, standard = site
    urls = [url_of(one), url_of(other), url_of(standard)]
    warm(client, urls)
    link = MenuLink.objects.filter(menu__key="top").first()
    link.label_en = "Renamed link"
    link.save()
    for url in urls:
        assert not kept(client, url)
        assert "Renamed link" in client.get(url).content.decode()


def test_without_an_edge_responses_carry_no_surrogate_headers(client, site, settings):
    settings.EDGE_PURGE_URLS = []
    response = client.get(url_of(site[0]))
    assert "xkey" not in response
    assert "Surrogate-Control" not in response


def test_with_an_edge_responses_name_what_they_show_and_end_at_the_next_minute(client, site, settings):
    settings.EDGE_PURGE_URLS = ["http://127.0.0.1:9/"]
    settings.EDGE_MAX_AGE = 3600
    one, _other, initiative, standard = site
    for _twice in range(2):  # rendered, then kept
        response = client.get(url_of(one))
        assert response["xkey"].split() == ["chrome", f"release-{one.pk}"]
        assert 3590 < int(re.fullmatch(r"max-age=(\d+)", response["Surrogate-Control"]).group(1)) <= 3600
    assert client.get(url_of(standard))["xkey"].split() == ["chrome", f"page-{standard.pk}"]
    assert client.get(url_of(initiative))["xkey"].split() == [
        "chrome",
        f"initiative-{initiative.pk}",
        "listing",
    ]
    assert client.get("/en/newsroom/")["xkey"].split() == ["chrome", "listing"]

    make_release(published_at=timezone.now() + dt.timedelta(seconds=100))
    for _twice in range(2):
        response = client.get("/en/newsroom/")
        lifetime = int(re.fullmatch(r"max-age=(\d+)", response["Surrogate-Control"]).group(1))
        assert 0 < lifetime <= 100
        # Browsers are told nothing of the schedule.
        assert response["Cache-Control"] == "public, max-age=0, must-revalidate"
    assert "xkey" not in client.get("/en/send/")  # private: not for the edge


class Queued:
    """Stands in for the purge task: what would be queued."""

    def __init__(self):
        self.calls = []

    def enqueue(self, *args):
        self.calls.append(args)

    def using(self, **options):
        self.options = options
        return self


@pytest.fixture
def queued(monkeypatch, settings):
    settings.EDGE_PURGE_URLS = ["http://127.0.0.1:9/"]
    fake = Queued()
    monkeypatch.setattr(edge, "purge_edge", fake)
    # What the fixtures changed in the test's transaction, never committed.
    edge._pending.keys = set()
    return fake


def test_a_save_is_purged_once_after_the_commit(site, queued, django_capture_on_commit_callbacks):
    one, *_rest = site
    with django_capture_on_commit_callbacks(execute=True):
        one.title_en = "Changed"
        one.save()
        assert queued.calls == []  # not before the commit
    assert queued.calls == [(["listing", f"release-{one.pk}"], 1)]


def test_a_menu_edit_purges_everything(reference, queued, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        MenuLink.objects.filter(menu__key="top").first().save()
    assert queued.calls == [(["chrome"], 1)]


def test_linking_a_release_to_an_initiative_purges_both(site, queued, django_capture_on_commit_callbacks):
    _one, other, initiative, _standard = site
    with django_capture_on_commit_callbacks(execute=True):
        other.initiatives.add(initiative)
    keys = queued.calls[0][0]
    assert {f"release-{other.pk}", f"initiative-{initiative.pk}", "listing"} <= set(keys)
    assert f"page-{site[3].pk}" not in keys


def test_nothing_is_sent_without_an_edge(site, settings, monkeypatch, django_capture_on_commit_callbacks):
    settings.EDGE_PURGE_URLS = []
    fake = Queued()
    monkeypatch.setattr(edge, "purge_edge", fake)
    with django_capture_on_commit_callbacks(execute=True):
        site[0].save()
    assert fake.calls == []


@pytest.fixture
def edge_server():
    """A loopback server that records the purges it is sent."""
    received = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_PURGE(self):
            received.append(self.headers["xkey-purge"])
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/", received
    server.shutdown()
    server.server_close()


def test_the_purge_task_names_the_keys_to_every_edge(settings, edge_server):
    url, received = edge_server
    settings.EDGE_PURGE_URLS = [url, url]
    edge.purge_edge.func(["listing", "release-4"], 1)
    assert received == ["listing release-4", "listing release-4"]


def test_a_failed_purge_is_retried_later_and_logged_then_given_up_as_an_error(
    settings, edge_server, monkeypatch, caplog
):
    url, received = edge_server
    down = "http://127.0.0.1:9/"
    settings.EDGE_PURGE_URLS = [url, down]
    settings.EDGE_PURGE_ATTEMPTS = 3
    task = edge.purge_edge.func
    retry = Queued()
    monkeypatch.setattr(edge, "purge_edge", retry)
    with caplog.at_level(logging.WARNING, logger="core.edge"):
        task(["release-4"], 1)
    assert received == ["release-4"]
    # Only the edge that missed it is asked again, later.
    assert retry.calls == [(["release-4"], 2, [down])]
    assert retry.options["run_after"] > timezone.now()
    assert [record.levelname for record in caplog.records] == ["WARNING"]

    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="core.edge"):
        task(["release-4"], 3, [down])
    assert len(retry.calls) == 1  # the last attempt: no more
    assert [record.levelname for record in caplog.records] == ["ERROR"]


def test_a_page_made_while_its_content_changed_is_kept_neither_here_nor_at_the_edge(
    client, site, settings, monkeypatch, django_capture_on_commit_callbacks
):
    """The change's purge may reach the edge before this answer, which may show what was there before."""
    from core.pagecache import PageCacheMiddleware

    settings.EDGE_PURGE_URLS = ["http://127.0.0.1:9/"]
    monkeypatch.setattr(edge, "enqueue_purge", lambda keys: None)
    one, other, _initiative, _standard = site
    render = PageCacheMiddleware.fresh_response

    def render_while_an_editor_saves(self, request, *, previous):
        answer = render(self, request, previous=previous)
        with django_capture_on_commit_callbacks(execute=True):
            one.title_en = "Saved while the page was made"
            one.save()
        return answer

    monkeypatch.setattr(PageCacheMiddleware, "fresh_response", render_while_an_editor_saves)
    response = client.get(url_of(one))
    assert response["Surrogate-Control"] == "max-age=0"
    monkeypatch.setattr(PageCacheMiddleware, "fresh_response", render)
    assert not kept(client, url_of(one))
    assert "Saved while the page was made" in client.get(url_of(one)).content.decode()
    assert int(client.get(url_of(other))["Surrogate-Control"].removeprefix("max-age=")) > 0
