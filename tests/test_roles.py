"""Editors write, publishers publish, administrators run the site: enforced by the server."""

import datetime as dt

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from core.roles import ADMINISTRATOR, EDITOR, PUBLISHER
from newsroom import services
from newsroom.models import NewsRelease
from tests.factories import make_release
from tests.staff import add_url, change_url, changelist_url, errors_of, login, make_staff, release_form_data

pytestmark = pytest.mark.django_db


def permissions_of(role: str) -> set[str]:
    return {
        f"{app}.{codename}"
        for app, codename in Group.objects.get(name=role).permissions.values_list(
            "content_type__app_label", "codename"
        )
    }


def test_the_three_roles_exist_after_migrating():
    assert set(Group.objects.values_list("name", flat=True)) >= {EDITOR, PUBLISHER, ADMINISTRATOR}
    assert "newsroom.publish_newsrelease" in permissions_of(PUBLISHER)
    assert "newsroom.publish_newsrelease" not in permissions_of(EDITOR)
    assert "auth.change_user" in permissions_of(ADMINISTRATOR)


def test_setup_roles_can_run_again_and_restores_a_role_someone_changed():
    before = {role: permissions_of(role) for role in (EDITOR, PUBLISHER, ADMINISTRATOR)}
    Group.objects.get(name=EDITOR).permissions.clear()
    Group.objects.filter(name=PUBLISHER).delete()
    call_command("setup_roles", stdout=None)
    call_command("setup_roles", stdout=None)
    assert Group.objects.filter(name__in=before).count() == 3
    assert {role: permissions_of(role) for role in before} == before


def test_editor_creates_a_draft_through_the_admin(client):
    login(client, EDITOR)
    response = client.post(add_url(), release_form_data(publisher=False))
    assert response.status_code == 302
    release = NewsRelease.objects.get(slug_en="ministers-meet")
    assert release.status == NewsRelease.Status.DRAFT
    assert not release.is_public


def test_editor_sees_publication_fields_read_only(client):
    login(client, EDITOR)
    release = make_release(status=NewsRelease.Status.DRAFT, published_at=None)
    content = client.get(change_url(release)).content.decode()
    assert 'name="title_fr"' in content
    assert 'name="status"' not in content
    assert 'name="published_at_0"' not in content


@pytest.mark.parametrize("new", [True, False], ids=["new release", "existing draft"])
def test_editor_who_posts_a_published_status_by_hand_is_refused(client, new):
    login(client, EDITOR)
    release = None if new else make_release(status=NewsRelease.Status.DRAFT, published_at=None)
    data = release_form_data(release, publisher=False)
    data.update(status="published", published_at_0="2020-01-01", published_at_1="09:00:00")
    response = client.post(add_url() if new else change_url(release), data)
    assert response.status_code == 200
    assert "Only publishers can publish" in errors_of(response)
    assert not NewsRelease.objects.public().exists()
    assert not NewsRelease.objects.filter(status=NewsRelease.Status.PUBLISHED).exists()


def test_editor_has_no_publishing_actions(client):
    login(client, EDITOR)
    release = make_release(status=NewsRelease.Status.DRAFT, published_at=None)
    content = client.get(changelist_url()).content.decode()
    assert 'value="publish_now"' not in content
    client.post(changelist_url(), {"action": "publish_now", "_selected_action": [release.pk]})
    release.refresh_from_db()
    assert release.status == NewsRelease.Status.DRAFT


def test_editor_corrects_a_published_release_but_cannot_unpublish_it(client):
    editor = login(client, EDITOR)
    release = make_release()
    data = release_form_data(
        release,
        publisher=False,
        summary_en="Corrected summary.",
        change_note_en="Summary corrected.",
        change_note_fr="Résumé corrigé.",
    )
    assert client.post(change_url(release), data).status_code == 302
    release.refresh_from_db()
    assert release.summary_en == "Corrected summary."
    assert release.status == NewsRelease.Status.PUBLISHED
    with pytest.raises(services.PublishingError):
        services.unpublish_release(release=release, by=editor)


def test_services_refuse_an_editor_whoever_calls_them():
    editor = make_staff(EDITOR)
    release = make_release(status=NewsRelease.Status.DRAFT, published_at=None)
    later = timezone.now() + dt.timedelta(days=1)
    for call in (
        lambda: services.publish_release(release=release, by=editor),
        lambda: services.schedule_release(release=release, by=editor, at=later),
        lambda: services.archive_release(release=release, by=editor),
        lambda: services.mark_reviewed(release=release, by=editor),
    ):
        with pytest.raises(services.PublishingError, match="Only publishers"):
            call()
    release.refresh_from_db()
    assert release.status == NewsRelease.Status.DRAFT


def test_publisher_publishes_through_the_form(client):
    login(client, PUBLISHER)
    data = release_form_data(publisher=True, status="published", published_at=timezone.now())
    assert client.post(add_url(), data).status_code == 302
    release = NewsRelease.objects.public().get()
    assert release.slug_en == "ministers-meet"
    assert LogEntry.objects.filter(object_id=str(release.pk), change_message="Published").exists()


@pytest.mark.parametrize(
    ("role", "page", "allowed"),
    [
        (ADMINISTRATOR, "admin:auth_user_changelist", True),
        (ADMINISTRATOR, "admin:pages_menu_changelist", True),
        (ADMINISTRATOR, "admin:newsroom_newsrelease_changelist", False),
        (EDITOR, "admin:auth_user_changelist", False),
        (EDITOR, "admin:pages_menu_changelist", False),
        (EDITOR, "admin:initiatives_initiative_changelist", True),
        (EDITOR, "admin:newsroom_mediacontact_changelist", True),
        (EDITOR, "admin:pages_standardpage_changelist", True),
        (PUBLISHER, "admin:auth_user_changelist", False),
        (PUBLISHER, "admin:newsroom_newsrelease_changelist", True),
    ],
)
def test_each_role_reaches_only_its_own_admin_pages(client, role, page, allowed):
    login(client, role)
    response = client.get(reverse(page))
    assert (response.status_code == 200) is allowed
    if not allowed:
        assert response.status_code == 403
