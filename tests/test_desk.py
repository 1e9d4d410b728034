"""The publishing desk is the admin's first page; a release's state is told honestly everywhere."""

import datetime as dt
import re

import pytest
import time_machine
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import timezone, translation

from newsroom import services
from newsroom.models import NewsRelease
from newsroom.publication_time import countdown, parse_local_time
from tests.factories import make_release
from tests.staff import (
    ADMINISTRATOR,
    EDITOR,
    OTTAWA,
    PUBLISHER,
    change_url,
    changelist_url,
    confirm,
    desk_url,
    login,
    make_staff,
    release_form_data,
)

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 12, 4, 2, 30, tzinfo=OTTAWA)
INDEX = reverse("admin:index")


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def soup_of(response) -> BeautifulSoup:
    return BeautifulSoup(response.content, "html.parser")


def words(element) -> str:
    return re.sub(r"[ \t\r\n]+", " ", element.get_text(" ")).strip()


def section(response, key: str):
    found = soup_of(response).find("section", id=f"desk-{key}")
    assert found is not None, f"no {key} section"
    return found


@pytest.fixture
def desk_content(clock):
    """One release in every section of the desk."""
    editor = make_staff(EDITOR, "ann")
    scheduled = make_release(
        title_en="Budget embargoed", published_at=dt.datetime(2026, 12, 4, 9, 30, tzinfo=OTTAWA)
    )
    later = make_release(
        title_en="Border report",
        published_at=dt.datetime(2026, 12, 6, 10, 0, tzinfo=OTTAWA),
        review_language="fr",
    )
    queued = make_release(title_en="Waiting one", status=NewsRelease.Status.DRAFT, published_at=None)
    services.submit_for_review(release=queued, by=editor)
    drafting = make_release(
        title_en="Half written", status=NewsRelease.Status.DRAFT, published_at=None, body_fr=""
    )
    recent = make_release(title_en="Out yesterday", published_at=NOW - dt.timedelta(days=1))
    old = make_release(title_en="Out long ago", published_at=NOW - dt.timedelta(days=30))
    return {
        "scheduled": scheduled,
        "later": later,
        "queued": queued,
        "drafting": drafting,
        "recent": recent,
        "old": old,
    }


def test_the_desk_replaces_recent_actions_as_the_first_page(client, desk_content):
    login(client, PUBLISHER)
    response = client.get(INDEX)
    page = soup_of(response)
    assert page.find("h1").get_text() == "Publishing desk"
    assert page.find(id="recent-actions-module") is None
    headings = [words(heading) for heading in page.select("section.desk-section h2")]
    assert headings == [
        "Coming up (2)",
        "Awaiting review (1)",
        "Needs translation review (1)",
        "Drafts (1)",
        "Recently published (1)",
    ]
    links = {a["href"] for a in page.select(".desk-more a")}
    assert links == {
        changelist_url() + "?publication=scheduled",
        changelist_url() + "?publication=in_review",
        changelist_url() + "?translation=needed",
        changelist_url() + "?publication=draft",
        changelist_url() + "?publication=recent",
    }
    # The modules are still there, below the desk.
    assert page.find("a", href=changelist_url()) is not None


def test_coming_up_lists_scheduled_releases_soonest_first_in_ottawa_time_with_a_countdown(
    client, desk_content
):
    login(client, PUBLISHER)
    rows = section(client.get(INDEX), "coming-up").select("tbody tr")
    first, second = (words(row) for row in rows)
    assert first.startswith("Budget embargoed")
    assert "2026-12-04 09:30 EST" in first and "in 7\u00a0h" in first
    assert "English: complete" in first and "French: complete" in first
    assert second.startswith("Border report")
    assert "2026-12-06 10:00 EST" in second and "in 2\u00a0days 7\u00a0h" in second
    assert "French: may be out of date" in second
    countdowns = section(client.get(INDEX), "coming-up").select("[data-countdown-to]")
    assert [element["data-countdown-to"] for element in countdowns] == [
        "2026-12-04T09:30:00-05:00",
        "2026-12-06T10:00:00-05:00",
    ]


def test_each_section_holds_its_releases(client, desk_content):
    login(client, PUBLISHER)
    response = client.get(INDEX)
    awaiting = words(section(response, "awaiting-review"))
    assert "Waiting one" in awaiting and "Submitted by ann" in awaiting
    assert "Border report" in words(section(response, "translation-review"))
    drafts = words(section(response, "drafts"))
    assert "Half written" in drafts and "French: incomplete (Body)" in drafts
    recent = words(section(response, "recently-published"))
    assert "Out yesterday" in recent and "Out long ago" not in recent


def test_a_publisher_acts_from_the_desk_and_an_editor_only_submits(client, desk_content):
    login(client, PUBLISHER)
    awaiting = section(client.get(INDEX), "awaiting-review")
    links = {words(a): a["href"] for a in awaiting.select(".desk-actions a")}
    assert set(links) == {"Send back…", "Publish now", "Schedule…"}
    assert links["Schedule…"] == desk_url("schedule", desk_content["queued"]) + "&back=desk"

    login(client, EDITOR)
    response = client.get(INDEX)
    assert not section(response, "awaiting-review").select(".desk-actions a")
    drafts = section(response, "drafts").select(".desk-actions a")
    assert [words(a) for a in drafts] == ["Submit for review"]


def test_the_desk_counts_everything_and_lists_the_first_ten(client, clock):
    for n in range(12):
        make_release(title_en=f"Draft {n}", status=NewsRelease.Status.DRAFT, published_at=None)
    login(client, EDITOR)
    drafts = section(client.get(INDEX), "drafts")
    assert len(drafts.select("tbody tr")) == 10
    assert "Every draft (12)" in words(drafts)


def test_an_administrator_who_handles_no_releases_sees_the_usual_index(client):
    login(client, ADMINISTRATOR)
    page = soup_of(client.get(INDEX))
    assert page.find(id="recent-actions-module") is not None
    assert page.find("section", class_="desk-section") is None


def fill_the_desk(count: int) -> None:
    editor = make_staff(EDITOR, f"writer{count}")
    for n in range(count):
        make_release(published_at=NOW + dt.timedelta(hours=n + 1), review_language="fr")
        services.submit_for_review(
            release=make_release(status=NewsRelease.Status.DRAFT, published_at=None), by=editor
        )
        make_release(status=NewsRelease.Status.DRAFT, published_at=None)
        make_release(published_at=NOW - dt.timedelta(days=1))


def test_the_desk_costs_the_same_queries_whatever_it_lists(client, clock):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    login(client, PUBLISHER)
    fill_the_desk(1)
    client.get(INDEX)
    with CaptureQueriesContext(connection) as few:
        client.get(INDEX)
    fill_the_desk(12)
    client.get(INDEX)  # the site's name, read once per content change
    with CaptureQueriesContext(connection) as many:
        client.get(INDEX)
    assert len(many) == len(few)


def test_the_desk_is_in_french_for_a_french_speaking_publisher(client, desk_content):
    login(client, PUBLISHER)
    with translation.override("fr"):
        response = client.get(INDEX, headers={"accept-language": "fr"})
    page = soup_of(response)
    assert page.find("h1").get_text() == "Pupitre de publication"
    assert "À venir (2)" in words(page)
    coming_up = words(section(response, "coming-up"))
    assert "4 décembre 2026 à 9\u00a0h\u00a030 (HNE)" in coming_up and "dans 7\u00a0h" in coming_up


# The countdown and times people type


@pytest.mark.parametrize(
    ("delta", "said"),
    [
        (dt.timedelta(seconds=40), "in less than a minute"),
        (dt.timedelta(minutes=45), "in 45\u00a0min"),
        (dt.timedelta(hours=3, minutes=20), "in 3\u00a0h 20\u00a0min"),
        (dt.timedelta(hours=7), "in 7\u00a0h"),
        (dt.timedelta(days=1, hours=2, minutes=5), "in 1\u00a0day 2\u00a0h"),
        (dt.timedelta(seconds=-5), "now"),
    ],
)
def test_the_countdown_reads_as_a_desk_says_it(delta, said):
    assert countdown(NOW + delta, NOW) == said


def test_times_are_read_in_ottawa_time_whatever_the_server_zone(settings):
    settings.TIME_ZONE = "UTC"
    assert parse_local_time("2026-07-01 09:00") == dt.datetime(2026, 7, 1, 13, 0, tzinfo=dt.UTC)
    assert parse_local_time(" 2026-12-04  09:30 ") == dt.datetime(2026, 12, 4, 14, 30, tzinfo=dt.UTC)


# The state, told honestly


def test_a_scheduled_release_reads_scheduled_on_its_form_in_the_list_and_in_the_save_message(client, clock):
    release = make_release(published_at=dt.datetime(2026, 12, 4, 9, 30, tzinfo=OTTAWA))
    login(client, PUBLISHER)
    expected = "Scheduled for 2026-12-04 09:30 EST (in 7\u00a0h)"
    assert expected in words(soup_of(client.get(change_url(release))).find(class_="field-current_state"))
    assert expected in words(soup_of(client.get(changelist_url())).find(class_="field-publication_state"))
    response = client.post(change_url(release), release_form_data(release, publisher=True), follow=True)
    assert f"“{release}”: {expected}." in words(soup_of(response).find(class_="messagelist"))


def test_an_unpublished_release_does_not_keep_showing_its_old_time(client, clock):
    release = make_release(published_at=dt.datetime(2026, 12, 4, 9, 30, tzinfo=OTTAWA))
    login(client, PUBLISHER)
    confirm(client, client.get(desk_url("unpublish", release)))
    release.refresh_from_db()
    form = soup_of(client.get(change_url(release)))
    assert "09:30" not in words(form.find(class_="field-current_state"))
    assert form.find("input", {"name": "published_at_1"}).get("value", "") == ""
    row = words(soup_of(client.get(changelist_url())).find(class_="field-publication_state"))
    assert row == "Draft"


def test_both_languages_are_never_called_complete_while_one_is_empty(client):
    empty = make_release(
        status=NewsRelease.Status.DRAFT, published_at=None, summary_fr="", body_fr="<p>\u200b</p>"
    )
    complete = make_release(status=NewsRelease.Status.DRAFT, published_at=None)
    login(client, EDITOR)
    column = words(soup_of(client.get(change_url(empty))).find(class_="field-review_flag"))
    assert column == "Languages: French: incomplete (Summary, Body)"
    assert "Both" not in column
    assert "Both languages complete" in words(
        soup_of(client.get(change_url(complete))).find(class_="field-review_flag")
    )


def test_an_editor_reads_every_time_with_its_zone(client, clock):
    release = make_release(published_at=dt.datetime(2026, 7, 1, 9, 0, tzinfo=OTTAWA))
    login(client, EDITOR)
    page = soup_of(client.get(change_url(release)))
    assert "Public since 2026-07-01 09:00 EDT" in words(page.find(class_="field-current_state"))
    assert re.search(r"\d{4}-\d\d-\d\d \d\d:\d\d EST", words(page.find(class_="field-created")))
    assert re.search(r"\d{4}-\d\d-\d\d \d\d:\d\d EST", words(page.find(class_="field-modified")))


def test_the_list_filters_find_each_desk_section(client, desk_content):
    login(client, PUBLISHER)

    def titles(**query) -> set[str]:
        page = soup_of(client.get(changelist_url(), query))
        return {words(cell) for cell in page.select("th.field-title")}

    assert titles(publication="in_review") == {"Waiting one"}
    assert titles(translation="needed") == {"Border report"}
    assert titles(publication="recent") == {"Out yesterday"}
    assert titles(publication="scheduled") == {"Budget embargoed", "Border report"}
    assert timezone.now() == NOW
