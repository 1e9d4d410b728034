"""The admin's history reads like a log a person would keep: once per field, Ottawa time, no internals."""

import copy
import datetime as dt
import re

import pytest
import time_machine
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from core.roles import ADMINISTRATOR, EDITOR, PUBLISHER
from core.word_diff import plain_text, word_diff
from newsroom.models import NewsRelease
from tests.factories import make_contact, make_initiative, make_page, make_release
from tests.staff import (
    OTTAWA,
    change_url,
    confirm,
    desk_url,
    login,
    make_staff,
    release_form_data,
)

pytestmark = pytest.mark.django_db


def history_url(obj) -> str:
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_history", args=[obj.pk])


def restore_url(obj, version) -> str:
    opts = obj._meta
    return reverse(
        f"admin:{opts.app_label}_{opts.model_name}_simple_history", args=[obj.pk, version.history_id]
    )


def entries(client, obj) -> list:
    """The history's rows, newest first, as BeautifulSoup elements."""
    response = client.get(history_url(obj))
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser").select("#change-history tbody tr")


def changed_fields(row) -> list[str]:
    return [" ".join(dt_.get_text(" ", strip=True).split()) for dt_ in row.select(".history-changes dt")]


def text_of(element) -> str:
    """What a sighted reader sees: the words meant for screen readers left out."""
    element = copy.copy(element)
    for hidden in element.select(".visually-hidden"):
        hidden.decompose()
    return " ".join(element.get_text(" ", strip=True).split())


@pytest.fixture
def draft():
    return make_release(status=NewsRelease.Status.DRAFT, published_at=None, title_fr="Premier titre")


def test_each_changed_field_is_named_once_in_its_language(client, draft):
    login(client, EDITOR)
    client.post(change_url(draft), release_form_data(draft, publisher=False, title_fr="Titre corrigé"))
    latest = entries(client, draft)[0]
    assert changed_fields(latest) == ["Title (French)"]
    assert "Premier titre" in text_of(latest) and "Titre corrigé" in text_of(latest)
    page = client.get(history_url(draft)).content.decode()
    assert "Title [fr]" not in page and "Title [en]" not in page


def test_both_languages_changed_in_one_save_are_two_lines_of_one_entry(client, draft):
    login(client, EDITOR)
    data = release_form_data(draft, publisher=False, title_en="New title", title_fr="Nouveau titre")
    client.post(change_url(draft), data)
    assert changed_fields(entries(client, draft)[0]) == ["Title (English)", "Title (French)"]


def test_internal_fields_and_codes_are_not_shown(client):
    release = make_release(status=NewsRelease.Status.DRAFT, published_at=None)
    login(client, PUBLISHER)
    confirm(client, client.get(desk_url("publish_now", release)))
    # An English edit flags French for review and moves the version counter.
    data = release_form_data(release, publisher=True, summary_en="A better summary.", minor_change="on")
    client.post(change_url(release), data)
    rows = entries(client, release)
    page = " ".join(text_of(row) for row in rows)
    assert "Version" not in page and "Language to review" not in page and "None" not in page
    assert changed_fields(rows[0]) == ["Summary (English)"]
    published = rows[1]
    assert "Status" in changed_fields(published)
    assert "Draft → Published" in text_of(published)
    assert "draft" not in text_of(published).replace("Draft", "")


@time_machine.travel(dt.datetime(2027, 7, 1, 13, 5, tzinfo=dt.UTC), tick=False)
def test_times_are_ottawa_time_whatever_the_server_zone(client, draft, settings):
    settings.TIME_ZONE = "UTC"
    login(client, EDITOR)
    client.post(change_url(draft), release_form_data(draft, publisher=False, title_fr="Titre corrigé"))
    when = entries(client, draft)[0].select_one("time")
    assert when.get_text() == "2027-07-01 09:05 EDT"
    assert when["datetime"].startswith("2027-07-01T09:05:00-04:00")


def test_a_long_text_change_is_a_word_diff_cut_between_words(client):
    words = [f"word{n}" for n in range(200)]
    release = make_release(
        status=NewsRelease.Status.DRAFT, published_at=None, body_en="<p>" + " ".join(words) + "</p>"
    )
    changed = [*words[:100], "changed", *words[101:]]
    login(client, EDITOR)
    client.post(change_url(release), release_form_data(release, publisher=False, body_en=" ".join(changed)))
    body = entries(client, release)[0].select_one(".history-changes dd")
    assert text_of(body.select_one("del")) == "word100"
    assert text_of(body.select_one("ins")) == "changed"
    shown = [word for word in text_of(body).split() if word != "…"]
    # Only whole words, and only those near the change.
    assert set(shown) <= {*words, "changed"}
    assert "word0" not in shown and "word199" not in shown
    assert "…" in text_of(body)


def test_a_formatting_only_change_says_so(client):
    release = make_release(status=NewsRelease.Status.DRAFT, published_at=None, body_en="<p>Plain words.</p>")
    login(client, EDITOR)
    data = release_form_data(release, publisher=False, body_en="<p><strong>Plain</strong> words.</p>")
    client.post(change_url(release), data)
    assert "Formatting only" in text_of(entries(client, release)[0])


def test_a_restore_is_named_with_the_version_it_brought_back(client, draft):
    login(client, EDITOR)
    client.post(change_url(draft), release_form_data(draft, publisher=False, title_fr="Mauvais titre"))
    first = draft.history.earliest("history_date")
    data = release_form_data(draft, publisher=False, title_fr=first.title_fr)
    assert client.post(restore_url(draft, first), data).status_code == 302

    latest = entries(client, draft)[0]
    when = timezone.localtime(first.history_date, OTTAWA)
    assert f"Restored the version of {when:%Y-%m-%d %H:%M}" in text_of(latest)
    assert latest.select_one(".history-action a")["href"] == restore_url(draft, first)
    assert "Mauvais titre → Premier titre" in text_of(latest)
    assert draft.history.first().history_restored_from == first.history_id


def test_an_ordinary_save_is_not_called_a_restore(client, draft):
    login(client, EDITOR)
    client.post(change_url(draft), release_form_data(draft, publisher=False, title_fr="Autre titre"))
    assert draft.history.first().history_restored_from is None
    assert "Restored" not in text_of(entries(client, draft)[0])


def test_the_restore_page_says_which_version_and_restores_it(client, draft):
    login(client, EDITOR)
    client.post(change_url(draft), release_form_data(draft, publisher=False, title_fr="Mauvais titre"))
    first = draft.history.earliest("history_date")
    page = client.get(restore_url(draft, first)).content.decode()
    assert "Restore this version" in page and "The version saved on" in page


def test_an_unknown_version_is_not_found(client, draft):
    login(client, EDITOR)
    url = reverse("admin:newsroom_newsrelease_simple_history", args=[draft.pk, "not-a-number"])
    assert client.get(url).status_code == 404


def test_links_added_and_removed_in_one_save_are_one_entry(client):
    kept, dropped, added = (make_initiative(name_en=name) for name in ("Kept", "Dropped", "Added"))
    release = make_release(status=NewsRelease.Status.DRAFT, published_at=None, initiatives=[kept, dropped])
    versions_before = release.history.count()
    login(client, EDITOR)
    data = release_form_data(release, publisher=False, initiatives=[str(kept.pk), str(added.pk)])
    client.post(change_url(release), data)
    assert release.history.count() > versions_before + 1  # the form's save, then its links
    rows = entries(client, release)
    assert changed_fields(rows[0]) == ["Initiatives"]
    assert text_of(rows[0].select_one("del")) == "Dropped"
    assert text_of(rows[0].select_one("ins")) == "Added"
    assert "Kept" not in text_of(rows[0])


def test_changed_by_links_to_the_account_only_for_those_who_may_open_it(client, draft):
    editor = login(client, EDITOR)
    client.post(change_url(draft), release_form_data(draft, publisher=False, title_fr="Titre corrigé"))
    user_url = reverse("admin:auth_user_change", args=[editor.pk])

    login(client, PUBLISHER)
    who = entries(client, draft)[0].select_one(".history-user")
    assert who.get_text(strip=True) == editor.username and who.select_one("a") is None
    assert client.get(user_url).status_code == 403

    administrator = make_staff(ADMINISTRATOR, "admin")
    administrator.groups.add(Group.objects.get(name=EDITOR))
    client.force_login(administrator)
    assert entries(client, draft)[0].select_one(".history-user a")["href"] == user_url


def test_the_history_page_has_no_inline_style(client, draft):
    login(client, EDITOR)
    client.post(change_url(draft), release_form_data(draft, publisher=False, title_fr="Titre corrigé"))
    page = client.get(history_url(draft)).content.decode()
    assert not re.search(r"\sstyle=", page)
    assert "<style" not in page


def test_the_history_speaks_french_to_a_french_reader(client, draft):
    login(client, EDITOR)
    client.post(change_url(draft), release_form_data(draft, publisher=False, title_fr="Titre corrigé"))
    response = client.get(history_url(draft), HTTP_ACCEPT_LANGUAGE="fr")
    soup = BeautifulSoup(response.content, "html.parser")
    headers = [text_of(th) for th in soup.select("#change-history thead th")]
    assert headers == ["Quand (heure d’Ottawa)", "Ce qui s’est passé", "Par", "Ce qui a changé"]
    assert changed_fields(soup.select("#change-history tbody tr")[0]) == ["Titre (français)"]


@pytest.mark.parametrize(
    ("make", "field", "value", "label"),
    [
        (make_initiative, "name_fr", "Nouveau nom", "Name (French)"),
        (make_page, "title_en", "New page title", "Title (English)"),
        (make_contact, "organisation_fr", "Nouvelle organisation", "Unit or organisation (French)"),
    ],
)
def test_initiatives_pages_and_contacts_have_the_same_readable_history(client, make, field, value, label):
    obj = make()
    setattr(obj, field, value)
    obj._history_user = login(client, EDITOR)
    obj.save()
    rows = entries(client, obj)
    assert changed_fields(rows[0]) == [label]
    assert "Last updated" not in text_of(rows[0])


# The word diff itself


def test_word_diff_keeps_a_little_context_and_whole_words():
    old = " ".join(f"w{n}" for n in range(50))
    new = old.replace("w25", "changed")
    segments = word_diff(old, new, context=3)
    assert [s.kind for s in segments] == ["gap", "same", "removed", "added", "same", "gap"]
    assert segments[1].text == "w22 w23 w24" and segments[4].text == "w26 w27 w28"


def test_word_diff_of_equal_words_is_empty():
    assert word_diff("same  words", "same words") == []


def test_plain_text_of_rich_text_reads_like_the_page():
    assert plain_text("<h2>Title</h2><p>A &amp; B<br>next</p>", rich=True) == "Title A & B next"
