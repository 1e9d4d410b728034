"""Every save is kept, field by field and language by language, and an earlier version can be restored."""

import pytest
from django.urls import reverse

from core.roles import EDITOR, PUBLISHER
from newsroom import services
from newsroom.models import NewsRelease
from tests.factories import make_release
from tests.staff import change_url, errors_of, login, make_staff, release_form_data

pytestmark = pytest.mark.django_db


def history_url(release: NewsRelease) -> str:
    return reverse("admin:newsroom_newsrelease_history", args=[release.pk])


def restore_url(release: NewsRelease, version) -> str:
    return reverse("admin:newsroom_newsrelease_simple_history", args=[release.pk, version.history_id])


@pytest.fixture
def draft():
    return make_release(status=NewsRelease.Status.DRAFT, published_at=None, title_fr="Premier titre")


def test_each_admin_save_keeps_a_version_with_who_and_what(client, draft):
    editor = login(client, EDITOR)
    client.post(change_url(draft), release_form_data(draft, publisher=False, title_fr="Titre corrigé"))
    client.post(change_url(draft), release_form_data(draft, publisher=False, summary_en="Better summary."))
    versions = list(draft.history.order_by("history_date"))
    assert [version.title_fr for version in versions] == ["Premier titre", "Titre corrigé", "Titre corrigé"]
    assert versions[-1].summary_en == "Better summary."
    assert versions[-1].history_user == editor


def test_history_page_shows_each_language_field_that_changed(client, draft):
    login(client, EDITOR)
    client.post(change_url(draft), release_form_data(draft, publisher=False, title_fr="Titre corrigé"))
    content = client.get(history_url(draft)).content.decode()
    assert "Premier titre" in content and "Titre corrigé" in content
    assert "(French)" in content and "(English)" not in content


def test_an_earlier_version_is_restored_through_the_admin(client, draft):
    login(client, EDITOR)
    client.post(change_url(draft), release_form_data(draft, publisher=False, title_fr="Mauvais titre"))
    first = draft.history.earliest("history_date")
    form = client.get(restore_url(draft, first))
    assert 'value="Premier titre"' in form.content.decode()

    data = release_form_data(draft, publisher=False, title_fr=first.title_fr)
    response = client.post(restore_url(draft, first), data)
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.title_fr == "Premier titre"
    assert draft.history.count() == 3


def test_restoring_a_public_release_is_a_correction_like_any_other(client):
    release = make_release(body_en="<p>Original.</p>")
    login(client, PUBLISHER)
    data = release_form_data(release, publisher=True, body_en="<p>Wrong.</p>", minor_change="on")
    client.post(change_url(release), data)
    original = release.history.earliest("history_date")

    restore = release_form_data(release, publisher=True, body_en=original.body_en)
    assert "change note" in errors_of(client.post(restore_url(release, original), restore))
    restore.update(change_note_en="Original text restored.", change_note_fr="Texte original rétabli.")
    assert client.post(restore_url(release, original), restore).status_code == 302
    release.refresh_from_db()
    assert release.body_en == "<p>Original.</p>"
    assert release.corrections.get().note_fr == "Texte original rétabli."


def test_an_editor_restoring_a_draft_version_restores_its_text_not_its_status(client):
    release = make_release(status=NewsRelease.Status.DRAFT, title_en="Draft title")
    login(client, PUBLISHER, "media")
    services.publish_release(release=release, by=make_staff(PUBLISHER, "other"))
    release.refresh_from_db()
    assert release.is_public
    draft_version = release.history.earliest("history_date")
    login(client, EDITOR)
    data = release_form_data(release, publisher=False, minor_change="on")
    assert client.post(restore_url(release, draft_version), data).status_code == 302
    release.refresh_from_db()
    assert release.is_public
