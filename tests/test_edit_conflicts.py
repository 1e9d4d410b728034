"""A save refused as stale shows the other person's changes next to yours, and nothing is retyped."""

import pytest
from bs4 import BeautifulSoup
from django.test import Client

from core.roles import EDITOR, PUBLISHER
from newsroom.models import NewsRelease
from tests.factories import make_initiative, make_release
from tests.staff import change_url, login, make_staff, release_form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def release():
    return make_release(
        status=NewsRelease.Status.DRAFT,
        published_at=None,
        last_updated=None,
        summary_fr="Le résumé d’origine, assez long pour une comparaison mot à mot.",
    )


@pytest.fixture
def other(release):
    """A publisher who saves the release while the test's editor has it open."""
    client = Client()
    client.force_login(make_staff(PUBLISHER, "alice"))
    return client


def conflict_page(response) -> BeautifulSoup:
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.select_one(".edit-conflict") is not None, "no edit-conflict report"
    return soup


def submitted(soup: BeautifulSoup) -> dict:
    """The re-rendered form, sent again as a browser would."""
    data = {}
    for field in soup.select("#newsrelease_form input[name], #newsrelease_form textarea[name]"):
        if field.get("type") in ("submit", "checkbox"):
            continue
        data[field["name"]] = (
            field.text.removeprefix("\n") if field.name == "textarea" else field.get("value", "")
        )
    for select in soup.select("#newsrelease_form select[name]"):
        chosen = [option["value"] for option in select.select("option[selected]")]
        if select.has_attr("multiple"):
            data[select["name"]] = chosen
        elif chosen:
            data[select["name"]] = chosen[0]
    data["_save"] = "Save"
    return data


def test_their_change_to_a_field_you_left_alone_is_brought_into_your_form(client, release, other):
    login(client, EDITOR)
    mine = release_form_data(release, publisher=False, title_en="My English title")
    assert (
        other.post(
            change_url(release), release_form_data(release, publisher=True, title_fr="Leur titre")
        ).status_code
        == 302
    )

    soup = conflict_page(client.post(change_url(release), mine))
    assert soup.select_one("#id_title_en")["value"] == "My English title"
    assert soup.select_one("#id_title_fr")["value"] == "Leur titre"
    row = soup.select_one(".edit-conflict tbody tr")
    assert row.select_one("th").get_text(strip=True) == "Title (French)"
    assert "edit-conflict-merged" in row["class"]
    assert "alice" in soup.select_one(".errorlist.nonfield").get_text()
    assert soup.select_one(".edit-conflict")["data-edited-language"] == "en"

    # Saving the form as shown keeps both people's changes.
    assert client.post(change_url(release), submitted(soup)).status_code == 302
    release.refresh_from_db()
    assert (release.title_en, release.title_fr) == ("My English title", "Leur titre")


def test_a_field_you_both_changed_shows_both_texts_and_keeps_yours(client, release, other):
    login(client, EDITOR)
    mine = release_form_data(
        release,
        publisher=False,
        summary_fr="Le résumé d’origine, assez long pour une comparaison mot à mot, revu.",
    )
    theirs = release_form_data(
        release, publisher=True, summary_fr="Le résumé modifié, assez long pour une comparaison mot à mot."
    )
    assert other.post(change_url(release), theirs).status_code == 302

    soup = conflict_page(client.post(change_url(release), mine))
    assert soup.select_one("#id_summary_fr").get_text().strip().endswith("revu.")
    row = soup.select_one(".edit-conflict tbody tr")
    assert "edit-conflict-both" in row["class"]
    their_cell, your_cell = row.select("td")
    assert "modifié" in their_cell.select_one("ins").get_text()
    assert "revu." in your_cell.select_one("ins").get_text()
    # The field itself is marked, so that its tab opens on it.
    assert "also changed this field" in soup.select_one(".field-summary_fr .errorlist").get_text()
    assert soup.select_one(".edit-conflict")["data-edited-language"] == "fr"


def test_the_form_is_set_to_the_current_version_so_a_second_save_goes_through(client, release, other):
    login(client, EDITOR)
    mine = release_form_data(release, publisher=False, dateline_en="TORONTO")
    other.post(change_url(release), release_form_data(release, publisher=True, dateline_fr="QUÉBEC"))
    soup = conflict_page(client.post(change_url(release), mine))
    assert soup.select_one("input[name=version]")["value"] == str(
        NewsRelease.objects.get(pk=release.pk).version
    )
    assert client.post(change_url(release), submitted(soup)).status_code == 302
    release.refresh_from_db()
    assert (release.dateline_en, release.dateline_fr) == ("TORONTO", "QUÉBEC")


def test_their_new_links_are_kept(client, release, other):
    initiative = make_initiative(name_en="Border teams")
    login(client, EDITOR)
    mine = release_form_data(release, publisher=False, title_en="Mine")
    theirs = release_form_data(release, publisher=True, initiatives=[str(initiative.pk)])
    other.post(change_url(release), theirs)
    soup = conflict_page(client.post(change_url(release), mine))
    assert "Border teams" in soup.select_one(".edit-conflict").get_text()
    assert client.post(change_url(release), submitted(soup)).status_code == 302
    assert list(release.initiatives.all()) == [initiative]


def test_the_report_is_in_french_for_a_french_reader(client, release, other):
    login(client, EDITOR)
    mine = release_form_data(release, publisher=False, title_en="Mine")
    other.post(change_url(release), release_form_data(release, publisher=True, title_fr="Leur titre"))
    soup = conflict_page(client.post(change_url(release), mine, HTTP_ACCEPT_LANGUAGE="fr"))
    assert "Ce communiqué a été modifié par alice" in soup.select_one(".errorlist.nonfield").get_text()
    assert soup.select_one(".edit-conflict tbody th").get_text(strip=True) == "Titre (français)"
