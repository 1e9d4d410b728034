"""Publishing rules the admin could once slip past: dates, refusals after validation, empty text, restores."""

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import parse_http_date

from newsroom import services
from newsroom.models import NewsRelease
from tests.factories import make_release
from tests.staff import (
    EDITOR,
    OTTAWA,
    PUBLISHER,
    change_url,
    confirm,
    desk_url,
    errors_of,
    login,
    make_staff,
    release_form_data,
)

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 12, 3, 9, 10, tzinfo=OTTAWA)


def draft(**fields) -> NewsRelease:
    return make_release(status=NewsRelease.Status.DRAFT, published_at=None, last_updated=None, **fields)


def restore_url(release: NewsRelease, version) -> str:
    return reverse("admin:newsroom_newsrelease_simple_history", args=[release.pk, version.history_id])


# "Last updated" follows the publication actually made


def test_publishing_now_a_release_scheduled_for_next_week_dates_it_today(client):
    publisher = make_staff(PUBLISHER)
    release = draft()
    with time_machine.travel(NOW, tick=False):
        services.schedule_release(release=release, by=publisher, at=NOW + dt.timedelta(days=7))
        assert release.last_updated == dt.date(2026, 12, 10)
        services.publish_release(release=NewsRelease.objects.get(pk=release.pk), by=publisher)
        release.refresh_from_db()
        assert release.published_at == NOW
        assert release.last_updated == dt.date(2026, 12, 3)
        for language in ("en", "fr"):
            with translation.override(language):
                response = client.get(release.get_absolute_url())
            assert "2026-12-10" not in response.content.decode()
            assert parse_http_date(response["Last-Modified"]) <= NOW.timestamp()


def test_rescheduling_earlier_moves_last_updated_with_it():
    publisher = make_staff(PUBLISHER)
    release = draft()
    with time_machine.travel(NOW, tick=False):
        services.schedule_release(release=release, by=publisher, at=NOW + dt.timedelta(days=7))
        services.schedule_release(release=release, by=publisher, at=NOW + dt.timedelta(days=2))
    assert release.last_updated == dt.date(2026, 12, 5)


def test_publishing_again_after_an_unpublish_keeps_the_date_and_the_last_correction():
    publisher = make_staff(PUBLISHER)
    release = make_release(
        published_at=dt.datetime(2005, 5, 18, 9, 0, tzinfo=OTTAWA), last_updated=dt.date(2005, 9, 19)
    )
    services.unpublish_release(release=release, by=publisher)
    services.publish_release(release=release, by=publisher)
    release.refresh_from_db()
    assert release.published_at == dt.datetime(2005, 5, 18, 9, 0, tzinfo=OTTAWA)
    assert release.last_updated == dt.date(2005, 9, 19)


def test_a_publisher_cannot_set_last_updated_in_the_future(client):
    login(client, PUBLISHER)
    release = make_release()
    tomorrow = timezone.localdate(timezone=OTTAWA) + dt.timedelta(days=1)
    data = release_form_data(release, publisher=True, last_updated=tomorrow, minor_change="on")
    assert "cannot be later than today" in errors_of(client.post(change_url(release), data))


# Refusals after the form validated become errors on the form, with nothing saved


def test_an_editor_taking_an_address_already_used_that_year_gets_a_field_error(client):
    make_release(slug_en="border-plan", published_at=dt.datetime(2026, 3, 1, 9, tzinfo=OTTAWA))
    release = make_release(slug_en="other", published_at=dt.datetime(2026, 6, 1, 9, tzinfo=OTTAWA))
    login(client, EDITOR)
    data = release_form_data(release, publisher=False, slug_en="border-plan", minor_change="on")
    response = client.post(change_url(release), data)
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert "Another release already uses this address" in " ".join(form.errors["slug_en"])
    release.refresh_from_db()
    assert release.slug_en == "other"


def test_an_address_taken_between_validation_and_save_is_an_error_on_the_form(client, monkeypatch):
    release = make_release(slug_en="plan", published_at=dt.datetime(2026, 6, 1, 9, tzinfo=OTTAWA))
    login(client, EDITOR)
    original = services.save_release

    def someone_takes_the_address_first(**kwargs):
        make_release(slug_en="border-plan", published_at=dt.datetime(2026, 3, 1, 9, tzinfo=OTTAWA))
        return original(**kwargs)

    monkeypatch.setattr(services, "save_release", someone_takes_the_address_first)
    data = release_form_data(release, publisher=False, slug_en="border-plan", minor_change="on")
    response = client.post(change_url(release), data)
    assert response.status_code == 200
    assert "Another release already uses this address" in errors_of(response)
    release.refresh_from_db()
    assert release.slug_en == "plan"
    # Nothing of the attempt was kept: the other release came and went with it.
    assert not NewsRelease.objects.filter(slug_en="border-plan").exists()


def test_an_edit_saved_by_someone_else_between_validation_and_save_is_an_error_on_the_form(
    client, monkeypatch
):
    release = draft(title_en="First")
    login(client, EDITOR)
    original = services.save_release
    other = make_staff(PUBLISHER, "other")

    def someone_saves_first(**kwargs):
        original(release=NewsRelease.objects.get(pk=release.pk), by=other, expected_version=release.version)
        return original(**kwargs)

    monkeypatch.setattr(services, "save_release", someone_saves_first)
    response = client.post(change_url(release), release_form_data(release, publisher=False, title_en="Mine"))
    assert response.status_code == 200
    assert "This release was changed by other" in errors_of(response)
    release.refresh_from_db()
    assert release.title_en == "First"


@pytest.mark.parametrize("role", [EDITOR, PUBLISHER])
def test_restoring_a_deleted_release_from_its_history_is_refused_on_the_form(client, role):
    release = draft(title_en="Gone")
    version = release.history.get()
    pk = release.pk
    release.delete()
    login(client, role)
    restore = NewsRelease(pk=pk, title_en="Gone", slug_en="gone")
    data = release_form_data(publisher=role == PUBLISHER)
    data["version"] = 1
    response = client.post(restore_url(restore, version), data)
    assert response.status_code == 200
    assert "This release has been deleted" in errors_of(response)
    assert not NewsRelease.objects.filter(pk=pk).exists()


# The both-languages rule checks what will be stored


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("body_fr", "<script>alert(1)</script>"),
        ("body_fr", "<p>&nbsp;</p>"),
        ("body_fr", "<p>\u00a0\u200b</p><p> </p>"),
        ("title_fr", "\u200b"),
        ("summary_en", "\u00a0 \u2060\ufeff"),
        ("slug_fr", "  "),
    ],
    ids=[
        "script",
        "nbsp entity",
        "nbsp and zero-width",
        "zero-width title",
        "invisible summary",
        "blank slug",
    ],
)
def test_text_that_shows_nothing_once_stored_counts_as_empty(client, field, value):
    release = draft(**{field: value})
    with pytest.raises(services.PublishingError, match="is empty"):
        services.publish_release(release=release, by=make_staff(PUBLISHER, "service"))
    login(client, PUBLISHER)
    data = release_form_data(release, publisher=True, _desk="publish_now", **{field: value})
    response = client.post(change_url(release), data)
    assert response.status_code == 200
    assert field in response.context["adminform"].form.errors
    release.refresh_from_db()
    assert release.status == NewsRelease.Status.DRAFT


def test_a_body_with_words_in_it_is_not_empty():
    release = draft(body_fr="<p>\u00a0Bonjour\u200b</p>")
    services.publish_release(release=release, by=make_staff(PUBLISHER))
    assert release.is_public


# A restore changes only what the user may change


def test_an_editor_restoring_a_version_leaves_the_dates_and_state_alone(client):
    ten_days_ago = timezone.localdate(timezone=OTTAWA) - dt.timedelta(days=10)
    release = make_release(body_en="<p>Original.</p>", last_updated=ten_days_ago)
    original = release.history.get()
    publisher = make_staff(PUBLISHER)
    release.body_en = "<p>Corrected.</p>"
    services.save_release(
        release=release,
        by=publisher,
        expected_version=release.version,
        change_note_en="Corrected.",
        change_note_fr="Corrigé.",
    )
    release.refresh_from_db()
    assert release.last_updated == timezone.localdate(timezone=OTTAWA)
    published_at = release.published_at

    login(client, EDITOR)
    data = release_form_data(release, publisher=False, body_en=original.body_en, minor_change="on")
    assert client.post(restore_url(release, original), data).status_code == 302
    release.refresh_from_db()
    assert release.body_en == "<p>Original.</p>"
    assert release.last_updated == timezone.localdate(timezone=OTTAWA)
    assert release.published_at == published_at and release.is_public


def test_the_restore_form_shows_the_current_state_not_the_old_one(client):
    release = draft()
    first = release.history.get()
    login(client, PUBLISHER)
    confirm(client, client.get(desk_url("publish_now", release)))
    page = client.get(restore_url(release, first)).content.decode()
    assert '<option value="published" selected>' in page
    assert "Public since" in page and "New draft" not in page
    other = Client()
    other.force_login(make_staff(EDITOR))
    assert other.get(restore_url(release, first)).status_code == 200


def test_long_reasons_are_kept_whole_in_the_history():
    publisher = make_staff(PUBLISHER)
    comment = "The figures in the third paragraph do not match the backgrounder. " * 8
    release = make_release(status=NewsRelease.Status.IN_REVIEW, published_at=None)
    services.send_back(release=release, by=publisher, comment=comment)
    assert release.history.first().history_change_reason == f"Sent back for changes: {comment.strip()}"
    public = make_release()
    public.body_en = "<p>Corrected figures.</p>"
    note = "Corrected the figures of the third paragraph, which did not match the backgrounder." * 3
    services.save_release(
        release=public,
        by=publisher,
        expected_version=public.version,
        change_note_en=note,
        change_note_fr=note,
    )
    assert public.history.first().history_change_reason == note
