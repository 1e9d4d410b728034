"""State changes from the release form, the list and the desk: each confirmed in plain words first."""

import datetime as dt
import re

import pytest
import time_machine
from bs4 import BeautifulSoup
from django.contrib.admin.models import LogEntry
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from newsroom import admin_actions, services
from newsroom.admin import NewsReleaseAdmin
from newsroom.models import NewsRelease
from tests.factories import make_release
from tests.staff import (
    EDITOR,
    OTTAWA,
    PUBLISHER,
    add_url,
    change_url,
    changelist_url,
    confirm,
    desk_url,
    errors_of,
    errors_of_confirmation,
    login,
    make_staff,
    release_form_data,
)

pytestmark = pytest.mark.django_db

# A Thursday morning in December, Ottawa time (EST): the clock the desk is read against.
NOW = dt.datetime(2026, 12, 3, 9, 10, tzinfo=OTTAWA)


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def publisher(client):
    return login(client, PUBLISHER)


def draft(**fields) -> NewsRelease:
    return make_release(status=NewsRelease.Status.DRAFT, published_at=None, last_updated=None, **fields)


def buttons(response) -> list[str]:
    soup = BeautifulSoup(response.content, "html.parser")
    return [button["value"] for button in soup.select("button[name=_desk]")]


def text_of(response) -> str:
    """The page's words, as read: no-break spaces kept, other runs of white space made one space."""
    return re.sub(r"[ \t\r\n]+", " ", BeautifulSoup(response.content, "html.parser").get_text(" "))


def history_reasons(release: NewsRelease) -> list[str]:
    return [
        reason
        for reason in release.history.order_by("history_date").values_list("history_change_reason", flat=True)
        if reason
    ]


# The one table of actions


def test_every_list_action_comes_from_the_one_table_of_actions():
    names = [action.__name__ for action in NewsReleaseAdmin.actions]
    assert names == [action.name for action in admin_actions.ACTIONS]
    for action in admin_actions.ACTIONS:
        assert action.permission in {"change", "publish"}
        assert str(action.menu) and str(action.button) and str(action.question)


def test_the_form_offers_each_role_only_the_actions_it_may_take(client):
    login(client, EDITOR)
    assert buttons(client.get(add_url())) == ["submit_for_review"]
    release = draft()
    assert buttons(client.get(change_url(release))) == ["submit_for_review"]
    public = make_release()
    assert buttons(client.get(change_url(public))) == []
    assert "Save draft" in client.get(change_url(release)).content.decode()

    login(client, PUBLISHER)
    assert buttons(client.get(change_url(release))) == ["submit_for_review", "publish_now", "schedule"]
    assert buttons(client.get(change_url(public))) == ["unpublish", "archive"]
    scheduled = make_release(published_at=timezone.now() + dt.timedelta(hours=2))
    assert buttons(client.get(change_url(scheduled))) == ["publish_now", "schedule", "unpublish"]
    in_review = make_release(status=NewsRelease.Status.IN_REVIEW, published_at=None)
    assert buttons(client.get(change_url(in_review))) == ["send_back", "publish_now", "schedule"]


def test_an_editor_cannot_reach_a_publishers_confirmation(client):
    login(client, EDITOR)
    release = draft()
    assert client.get(desk_url("publish_now", release)).status_code == 403
    page = client.post(desk_url("publish_now", release), {"releases": f"{release.pk}:1", "confirm": "1"})
    assert page.status_code == 403
    release.refresh_from_db()
    assert release.status == NewsRelease.Status.DRAFT


def test_an_editor_who_posts_a_publish_button_by_hand_is_refused(client):
    login(client, EDITOR)
    release = draft()
    data = release_form_data(release, publisher=False, _desk="publish_now")
    assert "This action is not available" in errors_of(client.post(change_url(release), data))
    release.refresh_from_db()
    assert release.status == NewsRelease.Status.DRAFT


# Buttons on the form: save first, then confirm


def test_publish_now_from_the_form_saves_the_text_then_asks_before_publishing(client, publisher, clock):
    release = draft()
    data = release_form_data(
        release, publisher=True, title_en="Final title", title_fr="Titre final", _desk="publish_now"
    )
    response = client.post(change_url(release), data)
    assert response.status_code == 302 and response.url.startswith(desk_url("publish_now", release))
    release.refresh_from_db()
    assert release.title_en == "Final title"
    assert release.status == NewsRelease.Status.DRAFT

    page = client.get(response.url)
    content = text_of(page)
    assert "Publish now?" in content
    assert "“Final title” becomes public at once, in English and in French" in content
    assert "English: complete" in content and "French: complete" in content
    assert "Nothing has changed yet" in content

    done = confirm(client, page)
    assert done.url == change_url(release)
    release.refresh_from_db()
    assert release.is_public
    assert release.published_at == NOW.replace(second=0)
    assert "“Final title” is public since 2026-12-03 09:10 EST." in text_of(client.get(done.url))


def test_publish_now_from_the_form_names_each_empty_field_and_saves_nothing_of_the_state(client, publisher):
    release = draft()
    data = release_form_data(release, publisher=True, body_fr="<p>\u00a0</p>", _desk="publish_now")
    response = client.post(change_url(release), data)
    assert response.status_code == 200
    assert "Body (French) is empty" in errors_of(response)
    release.refresh_from_db()
    assert release.status == NewsRelease.Status.DRAFT


def test_schedule_from_the_form_asks_for_the_time_on_its_confirmation(client, publisher, clock):
    release = draft()
    response = client.post(change_url(release), release_form_data(release, publisher=True, _desk="schedule"))
    page = client.get(response.url)
    assert "at the minute you give below" in text_of(page)
    refused = confirm(client, page)
    assert "Give the publication time" in errors_of_confirmation(refused)

    done = confirm(client, page, at="2026-12-03 16:30")
    release.refresh_from_db()
    assert release.published_at == dt.datetime(2026, 12, 3, 16, 30, tzinfo=OTTAWA)
    message = text_of(client.get(done.url))
    assert "Scheduled for 2026-12-03 16:30 EST (in 7\u00a0h 20\u00a0min)" in message


def test_the_confirmation_says_when_in_ottawa_time_with_a_countdown(client, publisher, clock):
    release = draft(title_en="Budget")
    page = client.get(desk_url("schedule", release, at="2026-12-03T21:30:00+00:00"))
    assert (
        "“Budget” becomes public by itself on 2026-12-03 16:30 EST (in 7\u00a0h 20\u00a0min), in English "
        "and in French. Nothing of it is visible before that minute." in text_of(page)
    )
    assert (
        BeautifulSoup(page.content, "html.parser").find("input", {"name": "at"})["value"]
        == "2026-12-03 16:30"
    )


def test_a_time_already_past_is_read_back_in_words(client, publisher, clock):
    release = draft()
    response = confirm(client, client.get(desk_url("schedule", release)), at="2026-12-03 9:05")
    assert "2026-12-03 09:05 has already passed in Ottawa time" in errors_of_confirmation(response)
    release.refresh_from_db()
    assert release.status == NewsRelease.Status.DRAFT


def test_status_published_with_no_time_gives_a_field_error_and_fills_in_now(client, publisher, clock):
    release = draft()
    data = release_form_data(release, publisher=True, status="published")
    response = client.post(change_url(release), data)
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert "A published release needs its publication time" in " ".join(form.errors["published_at"])
    assert "2026-12-03 09:10 EST" in " ".join(form.errors["published_at"])
    assert "Constraint" not in response.content.decode()
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.find("input", {"name": "published_at_0"})["value"] == "2026-12-03"
    assert soup.find("input", {"name": "published_at_1"})["value"] == "09:10:00"
    release.refresh_from_db()
    assert release.status == NewsRelease.Status.DRAFT

    # Saving again with the minute filled in publishes at once, once confirmed.
    data.update(published_at_0="2026-12-03", published_at_1="09:10:00")
    page = client.get(client.post(change_url(release), data).url)
    assert "Publish now?" in text_of(page)
    confirm(client, page)
    release.refresh_from_db()
    assert release.is_public


def test_a_new_release_published_from_the_add_form_with_no_time_is_not_created(client, publisher):
    data = release_form_data(publisher=True, status="published")
    response = client.post(add_url(), data)
    assert "A published release needs its publication time" in errors_of(response)
    assert not NewsRelease.objects.exists()


def test_changing_status_on_the_form_leads_to_the_matching_confirmation(client, publisher, clock):
    public = make_release()
    page = client.get(
        client.post(change_url(public), release_form_data(public, publisher=True, status="draft")).url
    )
    assert "Unpublish?" in text_of(page)
    page = client.get(
        client.post(change_url(public), release_form_data(public, publisher=True, status="archived")).url
    )
    assert "Archive?" in text_of(page)
    scheduled = make_release(published_at=NOW + dt.timedelta(days=1))
    refused = client.post(
        change_url(scheduled), release_form_data(scheduled, publisher=True, status="archived")
    )
    assert "Only a release already public can be archived." in errors_of(refused)
    for release in (public, scheduled):
        release.refresh_from_db()
    assert public.is_public and scheduled.is_scheduled


# The list's actions


def test_the_schedule_action_with_a_time_it_cannot_read_names_it_and_keeps_it(client, publisher):
    release = draft()
    data = {"action": "schedule", "publish_at": "2026-12-04 9h", "_selected_action": [release.pk]}
    page = client.post(changelist_url(), data)
    assert page.status_code == 200
    assert "No action selected" not in page.content.decode()
    assert "“2026-12-04 9h” is not a time we can read" in errors_of_confirmation(page)
    soup = BeautifulSoup(page.content, "html.parser")
    assert soup.find("input", {"name": "at"})["value"] == "2026-12-04 9h"
    assert soup.find("input", {"name": "at"})["aria-invalid"] == "true"

    again = confirm(client, page)
    assert "“2026-12-04 9h” is not a time we can read" in errors_of_confirmation(again)
    assert (
        BeautifulSoup(again.content, "html.parser").find("input", {"name": "at"})["value"] == "2026-12-04 9h"
    )
    release.refresh_from_db()
    assert release.status == NewsRelease.Status.DRAFT


@pytest.mark.parametrize(
    ("typed", "words"),
    [
        ("2027-03-14 02:30", "2027-03-14 02:30 does not exist in Ottawa time"),
        ("2027-11-07 01:30", "2027-11-07 01:30 happens twice in Ottawa time"),
    ],
    ids=["spring forward", "fall back"],
)
def test_the_schedule_action_refuses_a_time_the_clocks_skip_or_repeat(client, publisher, typed, words):
    release = draft()
    data = {"action": "schedule", "publish_at": typed, "_selected_action": [release.pk]}
    page = client.post(changelist_url(), data)
    assert words in errors_of_confirmation(page)
    assert "No action selected" not in page.content.decode()
    assert BeautifulSoup(page.content, "html.parser").find("input", {"name": "at"})["value"] == typed
    release.refresh_from_db()
    assert release.status == NewsRelease.Status.DRAFT


def test_the_release_form_refuses_a_time_the_clocks_skip(client, publisher):
    release = draft()
    data = release_form_data(release, publisher=True, status="published")
    data.update(published_at_0="2027-03-14", published_at_1="02:30:00")
    response = client.post(change_url(release), data)
    assert response.status_code == 200
    assert "published_at" in response.context["adminform"].form.errors


def test_unpublish_from_the_list_is_confirmed_first(client, publisher):
    release = make_release()
    page = client.post(changelist_url(), {"action": "unpublish", "_selected_action": [release.pk]})
    assert "leaves the site at once, in both languages" in text_of(page)
    release.refresh_from_db()
    assert release.is_public
    confirm(client, page)
    release.refresh_from_db()
    assert release.status == NewsRelease.Status.DRAFT
    # A release that was public keeps its date, so that publishing it again keeps its address.
    assert release.published_at is not None
    assert "Draft (unpublished)" in text_of(client.get(change_url(release)))


def test_a_confirmation_opened_before_someone_else_saved_changes_nothing(client, publisher):
    release = draft()
    page = client.get(desk_url("publish_now", release))
    services.save_release(
        release=NewsRelease.objects.get(pk=release.pk),
        by=make_staff(EDITOR),
        expected_version=release.version,
    )
    response = confirm(client, page)
    assert response.status_code == 200
    assert "Nothing was changed: since this page was shown, someone saved" in text_of(response)
    release.refresh_from_db()
    assert release.status == NewsRelease.Status.DRAFT
    confirm(client, response)
    release.refresh_from_db()
    assert release.is_public


# A language flagged out of date: publishing needs "publish anyway" and a reason


def test_publishing_with_a_language_out_of_date_needs_publish_anyway_and_a_reason(client, publisher):
    release = draft(review_language="fr")
    page = client.get(desk_url("publish_now", release))
    content = text_of(page)
    assert "A language may be out of date." in content
    assert "French: may be out of date" in content

    refused = confirm(client, page)
    assert "tick “Publish anyway”" in errors_of_confirmation(refused)
    refused = confirm(client, page, publish_anyway="on", anyway_reason="  ")
    assert "Give the reason for publishing anyway." in errors_of_confirmation(refused)
    release.refresh_from_db()
    assert release.status == NewsRelease.Status.DRAFT

    confirm(
        client,
        page,
        publish_anyway="on",
        anyway_reason="Minister's announcement at 10:00; French reviewed by phone.",
    )
    release.refresh_from_db()
    assert release.is_public
    assert release.review_language == "fr"
    recorded = "Published, although French may be out of date: Minister's announcement at 10:00; French reviewed by phone."
    assert history_reasons(release)[-1] == recorded
    assert LogEntry.objects.filter(object_id=str(release.pk), change_message=recorded).exists()


def test_the_service_itself_refuses_to_publish_an_out_of_date_language_without_a_reason():
    release = draft(review_language="en")
    with pytest.raises(services.PublishingError, match="English may be out of date"):
        services.publish_release(release=release, by=make_staff(PUBLISHER))


# The review step


def test_an_editor_submits_a_draft_and_a_publisher_sends_it_back_with_a_comment(client):
    editor = login(client, EDITOR)
    response = client.post(add_url(), release_form_data(publisher=False, _desk="submit_for_review"))
    release = NewsRelease.objects.get()
    assert release.status == NewsRelease.Status.DRAFT
    page = client.get(response.url)
    assert "goes to the publishers’ review queue" in text_of(page)
    confirm(client, page)
    release.refresh_from_db()
    assert release.status == NewsRelease.Status.IN_REVIEW
    assert not release.is_public
    assert release.history.first().history_user == editor
    assert "Awaiting review by a publisher" in text_of(client.get(change_url(release)))

    publisher = Client()
    publisher.force_login(make_staff(PUBLISHER))
    queue = text_of(publisher.get(changelist_url(), {"publication": "in_review"}))
    assert release.title_en in queue
    page = publisher.get(desk_url("send_back", release))
    assert "Yes, send back" in text_of(page)
    refused = confirm(publisher, page, comment=" ")
    assert "This field is required." in errors_of_confirmation(refused)
    confirm(publisher, page, comment="The second paragraph needs the minister's quote.")
    release.refresh_from_db()
    assert release.status == NewsRelease.Status.DRAFT
    assert release.review_comment == "The second paragraph needs the minister's quote."
    assert history_reasons(release)[-2:] == [
        "Submitted for review",
        "Sent back for changes: The second paragraph needs the minister's quote.",
    ]
    # The writer reads the comment on the form, and submits again.
    form = text_of(client.get(change_url(release)))
    assert "Draft, sent back by a publisher" in form
    assert "The second paragraph needs the minister's quote." in form
    confirm(client, client.get(desk_url("submit_for_review", release)))
    release.refresh_from_db()
    assert release.status == NewsRelease.Status.IN_REVIEW and release.review_comment == ""


def test_a_publisher_publishes_a_release_from_the_review_queue(client, publisher):
    release = make_release(status=NewsRelease.Status.IN_REVIEW, published_at=None, last_updated=None)
    confirm(client, client.get(desk_url("publish_now", release)))
    release.refresh_from_db()
    assert release.is_public


def test_review_services_check_who_and_from_which_state():
    editor, publisher = make_staff(EDITOR), make_staff(PUBLISHER)
    release = make_release()
    with pytest.raises(services.PublishingError, match="Only a draft can be submitted"):
        services.submit_for_review(release=release, by=editor)
    queued = draft()
    services.submit_for_review(release=queued, by=editor)
    with pytest.raises(services.PublishingError, match="Only publishers can send"):
        services.send_back(release=queued, by=editor, comment="No.")
    with pytest.raises(services.PublishingError, match="Say what needs to change"):
        services.send_back(release=queued, by=publisher, comment="\u200b ")


def test_a_release_in_review_is_never_public_and_needs_no_date():
    release = make_release(
        status=NewsRelease.Status.IN_REVIEW, published_at=timezone.now() - dt.timedelta(days=1)
    )
    assert release not in NewsRelease.objects.public()
    other = make_release(status=NewsRelease.Status.IN_REVIEW, published_at=None)
    other.full_clean()


# Both languages in French, too


def test_the_confirmation_page_speaks_french_to_a_french_speaking_publisher(client, publisher):
    release = draft(title_fr="Budget frontalier")
    with translation.override("fr"):
        page = client.get(desk_url("schedule", release), headers={"accept-language": "fr"})
    content = text_of(page)
    assert "Programmer pour une minute à venir\u00a0?" in content
    assert "Anglais\u00a0: complet" in content
    assert "Heure de publication (heure d’Ottawa)" in content


def test_a_save_never_changes_the_state_whoever_calls_it():
    release = draft()
    release.status = NewsRelease.Status.PUBLISHED
    release.published_at = timezone.now()
    with pytest.raises(services.PublishingError, match="A save keeps the release in its state"):
        services.save_release(release=release, by=make_staff(PUBLISHER), expected_version=release.version)
    release.refresh_from_db()
    assert release.status == NewsRelease.Status.DRAFT


def test_the_preview_of_a_release_awaiting_review_says_so(client):
    release = make_release(status=NewsRelease.Status.IN_REVIEW, published_at=None)
    login(client, EDITOR)
    content = client.get(reverse("newsroom:preview", kwargs={"pk": release.pk})).content.decode()
    assert "This release is awaiting review: the public cannot see it." in content
    assert "This release is public" not in content


def test_a_long_selection_is_confirmed_in_one_field(client, publisher, settings):
    releases = [make_release(title_en=f"Old {n}") for n in range(30)]
    page = client.post(
        changelist_url(), {"action": "archive", "_selected_action": [release.pk for release in releases]}
    )
    assert page.status_code == 200
    # However many releases were selected, the confirmation sends a handful of fields.
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 10
    confirm(client, page)
    assert NewsRelease.objects.filter(status=NewsRelease.Status.ARCHIVED).count() == 30
