"""Staff preview a draft or scheduled release as the public will see it; nobody else can."""

import datetime as dt

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from core.roles import EDITOR
from newsroom.models import NewsRelease
from tests.factories import make_release
from tests.staff import login, make_staff

pytestmark = pytest.mark.django_db


def preview_url(release: NewsRelease, language: str) -> str:
    with translation.override(language):
        return reverse("newsroom:preview", kwargs={"pk": release.pk})


@pytest.fixture
def draft():
    return make_release(
        status=NewsRelease.Status.DRAFT,
        published_at=None,
        title_en="Draft headline",
        title_fr="Titre provisoire",
    )


def test_preview_addresses_are_translated():
    release = NewsRelease(pk=7)
    assert preview_url(release, "en") == "/en/newsroom/preview/7/"
    assert preview_url(release, "fr") == "/fr/salle-de-presse/apercu/7/"


@pytest.mark.parametrize(
    ("language", "title", "banner"),
    [("en", "Draft headline", "Preview — not published"), ("fr", "Titre provisoire", "Aperçu — non publié")],
)
def test_staff_preview_a_draft_in_each_language(client, draft, language, title, banner):
    login(client, EDITOR)
    response = client.get(preview_url(draft, language))
    content = response.content.decode()
    assert response.status_code == 200
    assert f"<h1>{title}</h1>" in content
    assert banner in content
    assert '<meta name="robots" content="noindex, nofollow">' in content
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= cache_control
    assert "public" not in cache_control and not any(part.startswith("s-maxage") for part in cache_control)
    assert f'hreflang="{language}" href="{settings.SITE_URL}{preview_url(draft, language)}"' in content


def test_preview_of_a_scheduled_release_says_when_it_goes_out(client):
    at = (timezone.now() + dt.timedelta(days=1)).replace(second=0, microsecond=0)
    release = make_release(published_at=at)
    login(client, EDITOR)
    content = client.get(preview_url(release, "en")).content.decode()
    assert "Scheduled: this release will appear by itself at" in content
    assert f"{timezone.localtime(at):%Y-%m-%d %H:%M}" in content


def test_preview_of_a_draft_without_french_lists_what_is_missing(client):
    release = make_release(
        status=NewsRelease.Status.DRAFT, published_at=None, title_fr="", slug_fr="", summary_fr="", body_fr=""
    )
    login(client, EDITOR)
    response = client.get(preview_url(release, "fr"))
    assert response.status_code == 200
    assert "Not ready to publish" in client.get(preview_url(release, "en")).content.decode()


def test_preview_requires_login(client, draft):
    response = client.get(preview_url(draft, "en"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_preview_is_refused_to_staff_without_the_right_to_see_releases(client, draft):
    client.force_login(make_staff(None))
    assert client.get(preview_url(draft, "en")).status_code == 403


def test_preview_does_not_open_the_public_pages(client, draft):
    login(client, EDITOR)
    draft.published_at = timezone.now()
    draft.save()
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get(reverse("newsroom:list")).content.decode().count("Draft headline") == 0


def test_preview_of_an_unknown_release_is_not_found(client):
    login(client, EDITOR)
    assert client.get("/en/newsroom/preview/999999/").status_code == 404


def test_view_on_site_leads_to_the_preview_until_the_release_is_public(client, draft):
    login(client, EDITOR)
    content = client.get(reverse("admin:newsroom_newsrelease_change", args=[draft.pk])).content.decode()
    assert f'href="{preview_url(draft, "en")}" class="viewsitelink"' in content


def test_the_admin_view_on_site_shortcut_leads_a_draft_without_a_date_to_its_preview(client):
    from django.contrib.contenttypes.models import ContentType

    draft = make_release(status=NewsRelease.Status.DRAFT, published_at=None, slug_fr="")
    login(client, EDITOR)
    content_type = ContentType.objects.get_for_model(NewsRelease)
    response = client.get(f"/admin/r/{content_type.pk}/{draft.pk}/")
    assert response.status_code == 302
    assert response["Location"].endswith(f"/en/newsroom/preview/{draft.pk}/")
    assert client.get(response["Location"]).status_code == 200
