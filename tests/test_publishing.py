"""Publishing through the admin: both languages, scheduling, review flags, corrections, locking, actions."""

import datetime as dt

import pytest
from django.contrib.admin.models import LogEntry
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone, translation

from core.roles import EDITOR, PUBLISHER
from newsroom import services
from newsroom.models import NewsRelease
from tests.factories import make_release
from tests.staff import (
    OTTAWA,
    add_url,
    change_url,
    changelist_url,
    errors_of,
    login,
    make_staff,
    release_form_data,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def publisher(client):
    return login(client, PUBLISHER)


def draft(**fields) -> NewsRelease:
    return make_release(status=NewsRelease.Status.DRAFT, published_at=None, last_updated=None, **fields)


def log_messages(release: NewsRelease) -> list[str]:
    return list(
        LogEntry.objects.filter(object_id=str(release.pk))
        .order_by("pk")
        .values_list("change_message", flat=True)
    )


# Both official languages


def test_publishing_with_french_missing_is_refused_naming_each_field_and_language(client, publisher):
    data = release_form_data(publisher=True, status="published", published_at=timezone.now())
    data.update(summary_fr="", body_fr="")
    response = client.post(add_url(), data)
    errors = errors_of(response)
    assert "Summary (French) is empty" in errors
    assert "Body (French) is empty" in errors
    assert "(English)" not in errors
    assert not NewsRelease.objects.exists()


def test_scheduling_with_english_missing_is_refused(client, publisher):
    release = draft(title_en="", slug_en="")
    data = release_form_data(
        release, publisher=True, status="published", published_at=timezone.now() + dt.timedelta(days=2)
    )
    errors = errors_of(client.post(change_url(release), data))
    assert "Title (English) is empty" in errors
    assert "Slug (English) is empty" in errors
    release.refresh_from_db()
    assert release.status == NewsRelease.Status.DRAFT


def test_the_missing_language_message_is_in_french_for_a_french_speaking_publisher(client, publisher):
    data = release_form_data(publisher=True, status="published", published_at=timezone.now(), title_fr="")
    with translation.override("fr"):
        response = client.post(add_url(), data, headers={"accept-language": "fr"})
    assert "Titre (français) est vide" in errors_of(response)


def test_publish_service_names_every_missing_field():
    release = draft(summary_en="", body_fr="")
    with pytest.raises(services.PublishingError) as refused:
        services.publish_release(release=release, by=make_staff(PUBLISHER))
    assert len(refused.value.messages) == 2
    assert "Summary (English)" in refused.value.messages[0]
    assert "Body (French)" in refused.value.messages[1]


def test_a_public_release_cannot_lose_a_language(client, publisher):
    release = make_release()
    data = release_form_data(release, publisher=True, body_fr="", minor_change="on")
    assert "Body (French) is empty" in errors_of(client.post(change_url(release), data))


# Scheduling


@override_settings(TIME_ZONE="UTC")
def test_publisher_schedules_in_ottawa_time_rounded_to_the_minute(client, publisher):
    release = draft()
    data = release_form_data(release, publisher=True, status="published")
    data.update(published_at_0="2031-03-10", published_at_1="09:00:42")
    assert client.post(change_url(release), data).status_code == 302
    release.refresh_from_db()
    assert release.published_at == dt.datetime(2031, 3, 10, 9, 0, tzinfo=OTTAWA)
    assert release.is_scheduled and not release.is_public
    assert "Scheduled for 2031-03-10 09:00 EDT" in log_messages(release)
    content = client.get(change_url(release)).content.decode()
    assert 'value="2031-03-10"' in content and 'value="09:00:00"' in content


def test_changelist_shows_scheduled_releases_with_their_time_and_countdown(client, publisher):
    at = (timezone.now() + dt.timedelta(days=2, minutes=2)).replace(second=0, microsecond=0)
    make_release(published_at=at, title_en="Embargoed budget")
    content = client.get(changelist_url()).content.decode()
    assert "Scheduled" in content
    assert f"{timezone.localtime(at, OTTAWA):%Y-%m-%d %H:%M}" in content
    assert "in 2\xa0days" in content


def test_changelist_filters_scheduled_releases_apart_from_public_ones(client, publisher):
    make_release(title_en="Already out")
    make_release(title_en="Still embargoed", published_at=timezone.now() + dt.timedelta(hours=1))
    scheduled = client.get(changelist_url(), {"publication": "scheduled"}).content.decode()
    public = client.get(changelist_url(), {"publication": "public"}).content.decode()
    assert "Still embargoed" in scheduled and "Already out" not in scheduled
    assert "Already out" in public and "Still embargoed" not in public


def test_a_body_with_only_markup_counts_as_empty():
    release = draft(body_fr="<p> &nbsp;</p>")
    with pytest.raises(services.PublishingError, match=r"Body \(French\) is empty"):
        services.publish_release(release=release, by=make_staff(PUBLISHER))


def test_publisher_pulls_back_a_scheduled_release(client, publisher):
    release = make_release(published_at=timezone.now() + dt.timedelta(hours=3))
    response = client.post(changelist_url(), {"action": "unpublish", "_selected_action": [release.pk]})
    assert response.status_code == 302
    release.refresh_from_db()
    assert release.status == NewsRelease.Status.DRAFT
    assert log_messages(release) == ["Schedule withdrawn"]


def test_schedule_action_sets_the_minute_for_each_selected_release(client, publisher):
    releases = [draft(), draft()]
    data = {
        "action": "schedule",
        "publish_at": "2031-05-18 09:30",
        "_selected_action": [r.pk for r in releases],
    }
    client.post(changelist_url(), data)
    for release in releases:
        release.refresh_from_db()
        assert release.published_at == dt.datetime(2031, 5, 18, 9, 30, tzinfo=OTTAWA)
        assert release.is_scheduled
        assert log_messages(release) == ["Scheduled for 2031-05-18 09:30 EDT"]


def test_schedule_action_refuses_a_time_already_past(client, publisher):
    release = draft()
    data = {"action": "schedule", "publish_at": "2001-01-01 09:00", "_selected_action": [release.pk]}
    response = client.post(changelist_url(), data, follow=True)
    assert "Choose a publication time in the future" in response.content.decode()
    release.refresh_from_db()
    assert release.status == NewsRelease.Status.DRAFT


def test_publish_and_archive_actions_log_each_state_change(client, publisher):
    release = draft()
    client.post(changelist_url(), {"action": "publish_now", "_selected_action": [release.pk]})
    release.refresh_from_db()
    assert release.is_public
    assert release.published_at.second == 0
    client.post(changelist_url(), {"action": "archive", "_selected_action": [release.pk]})
    release.refresh_from_db()
    assert release.is_archived and release.is_public
    assert log_messages(release) == ["Published", "Archived"]


def test_archive_is_refused_for_a_release_not_yet_public(client, publisher):
    release = make_release(published_at=timezone.now() + dt.timedelta(hours=1))
    content = client.post(
        changelist_url(), {"action": "archive", "_selected_action": [release.pk]}, follow=True
    ).content.decode()
    assert "Only a release already public can be archived." in content
    release.refresh_from_db()
    assert release.is_scheduled


def test_unpublishing_a_public_release_takes_it_off_the_site_and_is_logged(client, publisher):
    release = make_release()
    client.post(changelist_url(), {"action": "unpublish", "_selected_action": [release.pk]})
    assert client.get(release.get_absolute_url()).status_code == 404
    assert log_messages(release) == ["Unpublished"]


def test_publish_action_refuses_an_incomplete_release_and_says_why(client, publisher):
    complete, incomplete = draft(), draft(title_fr="", slug_fr="")
    data = {"action": "publish_now", "_selected_action": [complete.pk, incomplete.pk]}
    content = client.post(changelist_url(), data, follow=True).content.decode()
    assert "was not changed" in content and "Title (French) is empty" in content
    assert list(NewsRelease.objects.public()) == [complete]


# Review of the other language


def test_editing_one_language_flags_the_other_until_a_publisher_reviews_it(client):
    release = make_release(status=NewsRelease.Status.DRAFT)
    login(client, EDITOR, "writer")
    data = release_form_data(release, publisher=False, body_en="<p>New English text.</p>")
    assert client.post(change_url(release), data).status_code == 302
    release.refresh_from_db()
    assert release.review_language == "fr"
    assert "French may be out of date" in client.get(changelist_url()).content.decode()
    assert "French may be out of date" in client.get(change_url(release)).content.decode()

    refused = client.post(
        change_url(release), release_form_data(release, publisher=False, mark_reviewed="on")
    )
    assert "Only publishers can mark" in errors_of(refused)

    login(client, PUBLISHER)
    data = release_form_data(release, publisher=True, mark_reviewed="on")
    assert client.post(change_url(release), data).status_code == 302
    release.refresh_from_db()
    assert release.review_language == ""


def test_editing_french_flags_english(client, publisher):
    release = make_release(status=NewsRelease.Status.DRAFT)
    client.post(change_url(release), release_form_data(release, publisher=True, summary_fr="Nouveau résumé."))
    release.refresh_from_db()
    assert release.review_language == "en"


# Corrections


def test_correcting_a_public_release_asks_for_a_note_in_both_languages(client, publisher):
    release = make_release(last_updated=dt.date(2020, 1, 1))
    data = release_form_data(
        release, publisher=True, body_en="<p>Corrected.</p>", change_note_en="Fixed a figure."
    )
    response = client.post(change_url(release), data)
    assert "give a short change note in English and in French" in errors_of(response)
    release.refresh_from_db()
    assert release.body_en != "<p>Corrected.</p>"


def test_a_correction_updates_the_date_and_the_public_change_history(client, publisher):
    release = make_release(last_updated=dt.date(2020, 1, 1))
    for n, (note_en, note_fr) in enumerate(
        [("First fix.", "Première correction."), ("Second fix.", "Deuxième.")]
    ):
        data = release_form_data(
            release,
            publisher=True,
            body_en=f"<p>Version {n}.</p>",
            change_note_en=note_en,
            change_note_fr=note_fr,
        )
        assert client.post(change_url(release), data).status_code == 302
    release.refresh_from_db()
    assert release.last_updated == timezone.localdate()
    client.logout()
    english = client.get(release.get_absolute_url()).content.decode()
    assert english.index("Second fix.") < english.index("First fix.")
    assert f"{timezone.localdate():%Y-%m-%d}" in english
    with translation.override("fr"):
        french = client.get(release.get_absolute_url()).content.decode()
    assert french.index("Deuxième.") < french.index("Première correction.")
    assert "Second fix." not in french


def test_a_minor_change_leaves_the_date_and_the_history_alone(client, publisher):
    release = make_release(last_updated=dt.date(2020, 1, 1))
    data = release_form_data(release, publisher=True, title_en=release.title_en + "!", minor_change="on")
    assert client.post(change_url(release), data).status_code == 302
    release.refresh_from_db()
    assert release.title_en.endswith("!")
    assert release.last_updated == dt.date(2020, 1, 1)
    assert not release.corrections.exists()
    assert "Change history" not in client.get(release.get_absolute_url()).content.decode()


def test_changing_a_draft_needs_no_change_note(client, publisher):
    release = draft()
    assert (
        client.post(
            change_url(release), release_form_data(release, publisher=True, body_en="<p>x</p>")
        ).status_code
        == 302
    )
    assert not release.corrections.exists()


# Two people editing the same release


def test_the_second_of_two_concurrent_saves_is_refused(client, django_user_model):
    release = draft()
    first = login(client, EDITOR, "first")
    opened_by_first = release_form_data(release, publisher=False, title_en="First's title")
    from django.test import Client

    second = Client()
    second.force_login(make_staff(PUBLISHER, "second"))
    opened_by_second = release_form_data(release, publisher=True, title_en="Second's title")

    assert client.post(change_url(release), opened_by_first).status_code == 302
    response = second.post(change_url(release), opened_by_second)
    assert response.status_code == 200
    assert f"This release was changed by {first.username}" in errors_of(response)
    release.refresh_from_db()
    assert release.title_en == "First's title"


def test_the_service_refuses_a_save_from_an_outdated_version():
    release = draft()
    editor = make_staff(EDITOR)
    services.save_release(release=NewsRelease.objects.get(pk=release.pk), by=editor, expected_version=1)
    with pytest.raises(services.EditConflict):
        services.save_release(release=release, by=editor, expected_version=1)


def test_preview_link_is_on_the_change_form(client, publisher):
    release = draft()
    content = client.get(change_url(release)).content.decode()
    assert reverse("newsroom:preview", kwargs={"pk": release.pk}) in content
    with translation.override("fr"):
        assert reverse("newsroom:preview", kwargs={"pk": release.pk}) in content
