import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from core.richtext import sanitize_html
from initiatives.models import Initiative
from newsroom.models import NewsRelease
from tests.factories import make_initiative, make_page, make_release

pytestmark = pytest.mark.django_db

EMBARGO = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=-5)))


def test_release_is_hidden_the_minute_before_publication_and_public_at_the_minute():
    release = make_release(published_at=EMBARGO)
    with time_machine.travel(EMBARGO - dt.timedelta(minutes=1), tick=False):
        assert release not in NewsRelease.objects.public()
    with time_machine.travel(EMBARGO - dt.timedelta(microseconds=1), tick=False):
        assert release not in NewsRelease.objects.public()
    with time_machine.travel(EMBARGO, tick=False):
        assert release in NewsRelease.objects.public()


def test_drafts_are_never_public_even_with_a_past_date():
    release = make_release(status=NewsRelease.Status.DRAFT)
    assert release not in NewsRelease.objects.public()


def test_archived_releases_stay_public():
    release = make_release(status=NewsRelease.Status.ARCHIVED)
    assert release in NewsRelease.objects.public()


def test_release_address_uses_the_local_year_and_the_language_slug():
    # 03:30 UTC on 1 January 2006 is still New Year's Eve 2005 in Ottawa.
    release = make_release(
        published_at=dt.datetime(2006, 1, 1, 3, 30, tzinfo=dt.UTC), slug_en="year-end", slug_fr="fin-d-annee"
    )
    with translation.override("en"):
        assert release.get_absolute_url() == "/en/newsroom/2005/year-end/"
    with translation.override("fr"):
        assert release.get_absolute_url() == "/fr/salle-de-presse/2005/fin-d-annee/"


def test_two_releases_cannot_share_a_slug_in_the_same_year():
    make_release(slug_en="same", published_at=timezone.make_aware(dt.datetime(2005, 5, 18, 10)))
    with pytest.raises(IntegrityError), transaction.atomic():
        make_release(slug_en="same", published_at=timezone.make_aware(dt.datetime(2005, 9, 1, 10)))


def test_the_same_slug_is_allowed_in_another_year():
    make_release(slug_fr="bilan", published_at=timezone.make_aware(dt.datetime(2005, 5, 18, 10)))
    make_release(slug_fr="bilan", published_at=timezone.make_aware(dt.datetime(2006, 5, 18, 10)))
    assert NewsRelease.objects.filter(slug_fr="bilan").count() == 2


def test_duplicate_slug_is_reported_by_full_clean():
    make_release(slug_en="same", published_at=timezone.make_aware(dt.datetime(2005, 5, 18, 10)))
    twin = NewsRelease(
        title_en="Twin", slug_en="same", status="published",
        published_at=timezone.make_aware(dt.datetime(2005, 6, 1, 10)),
    )  # fmt: skip
    with pytest.raises(ValidationError):
        twin.full_clean()


def test_a_published_release_needs_a_publication_date_in_the_database():
    release = make_release(status=NewsRelease.Status.DRAFT, published_at=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        NewsRelease.objects.filter(pk=release.pk).update(status=NewsRelease.Status.PUBLISHED)


def test_an_unknown_status_is_refused_by_full_clean_and_by_the_database():
    release = make_release()
    release.status = "leaked"
    with pytest.raises(ValidationError):
        release.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        NewsRelease.objects.filter(pk=release.pk).update(status="leaked")


def test_initiative_slugs_are_unique_per_language():
    make_initiative(slug_fr="equipes")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_initiative(slug_fr="equipes")


def test_standard_page_slugs_are_unique_per_language():
    make_page(slug_en="help")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_page(slug_en="help")


def test_initiative_requires_both_languages_in_full_clean():
    initiative = Initiative(name_en="Only English", slug_en="only-english", summary_en="Text")
    with pytest.raises(ValidationError) as error:
        initiative.full_clean()
    assert "name_fr" in error.value.message_dict


def test_rich_text_is_sanitised_when_saved():
    release = make_release(
        body_en='<p onclick="steal()">Hi <script>alert(1)</script><a href="javascript:alert(1)">x</a></p>'
    )
    release.refresh_from_db()
    assert "script" not in release.body_en
    assert "onclick" not in release.body_en
    assert "javascript:" not in release.body_en
    assert release.body_en.startswith("<p>Hi")


def test_sanitiser_keeps_structure_and_marks_links():
    html = sanitize_html(
        '<h2>Title</h2><ul><li><a href="https://example.org/">x</a></li></ul><table><tr><td>1</td></tr></table>'
    )
    assert "<h2>Title</h2>" in html
    assert 'rel="noopener noreferrer"' in html
    assert "<td>1</td>" in html


def test_every_save_keeps_a_version_in_both_languages():
    release = make_release(title_fr="Premier titre")
    release.title_fr = "Titre corrigé"
    release.save()
    versions = list(release.history.order_by("history_date"))
    assert [version.title_fr for version in versions] == ["Premier titre", "Titre corrigé"]
