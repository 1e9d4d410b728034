"""Side-by-side translation: English left, French right, both saved under the same rules as the form."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from core.roles import ADMINISTRATOR, EDITOR, PUBLISHER
from newsroom.models import NewsRelease
from tests.factories import make_initiative, make_page, make_release
from tests.staff import change_url, login

pytestmark = pytest.mark.django_db

RELEASE_FIELDS = ["title", "short_title", "slug", "summary", "body", "dateline"]


def side_by_side_url(obj) -> str:
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_translation", args=[obj.pk])


def page_of(response) -> BeautifulSoup:
    assert response.status_code == 200, response.status_code
    return BeautifulSoup(response.content, "html.parser")


def form_data(soup: BeautifulSoup, **changes) -> dict:
    """What the browser sends from the page, with some fields changed."""
    form = soup.select_one("#side-by-side-form")
    data = {}
    for field in form.select("input[name], textarea[name]"):
        if field.get("type") in ("submit", "checkbox"):
            continue
        # A browser drops the newline that opens a textarea's content.
        data[field["name"]] = (
            field.text.removeprefix("\n") if field.name == "textarea" else field.get("value", "")
        )
    data.update(changes)
    return data


def draft(**fields) -> NewsRelease:
    return make_release(status=NewsRelease.Status.DRAFT, published_at=None, last_updated=None, **fields)


def test_every_translated_field_is_shown_english_left_french_right(client):
    release = draft()
    login(client, EDITOR)
    soup = page_of(client.get(side_by_side_url(release)))
    names = [field["name"] for field in soup.select(".side-by-side-cell [name]")]
    assert names == [f"{name}_{code}" for name in RELEASE_FIELDS for code in ("en", "fr")]
    assert soup.select_one("#id_title_en")["lang"] == "en"
    assert soup.select_one("#id_body_fr")["lang"] == "fr"
    assert soup.select_one("#id_title_fr")["value"] == release.title_fr
    assert [h.get_text(strip=True) for h in soup.select(".side-by-side-heading")] == ["English", "French"]
    # Each field says which language it holds.
    assert soup.select_one("label[for=id_summary_fr]").get_text(" ", strip=True) == "Summary (French)"


def test_the_release_form_links_to_the_side_by_side_page(client):
    release = draft()
    login(client, EDITOR)
    assert side_by_side_url(release) in client.get(change_url(release)).content.decode()


def test_a_publisher_saves_both_languages_and_marks_the_translation_reviewed(client):
    release = draft(review_language="fr")
    login(client, PUBLISHER)
    soup = page_of(client.get(side_by_side_url(release)))
    assert soup.select_one("input[name=_reviewed]") is not None
    data = form_data(
        soup, title_en="Ministers agree on a plan", title_fr="Les ministres s’entendent", _reviewed=""
    )
    response = client.post(side_by_side_url(release), data)
    assert response.status_code == 302 and response["Location"] == change_url(release)
    release.refresh_from_db()
    assert (release.title_en, release.title_fr) == ("Ministers agree on a plan", "Les ministres s’entendent")
    assert release.review_language == ""
    assert release.version == 2
    # The same record as a review marked on the release's own form.
    assert release.history.first().history_change_reason == "Both languages reviewed"


def test_an_editor_saves_both_languages_but_cannot_mark_the_review_done(client):
    release = draft()
    login(client, EDITOR)
    soup = page_of(client.get(side_by_side_url(release)))
    assert soup.select_one("input[name=_reviewed]") is None
    assert (
        "Only a publisher marks the translation reviewed" in soup.select_one(".side-by-side-note").get_text()
    )

    # French alone corrected: English is flagged for a publisher's review, as in the form.
    response = client.post(side_by_side_url(release), form_data(soup, summary_fr="Un meilleur résumé."))
    assert response.status_code == 302
    release.refresh_from_db()
    assert release.summary_fr == "Un meilleur résumé." and release.review_language == "en"

    # Marking it reviewed by hand is refused, and nothing is saved.
    soup = page_of(client.get(side_by_side_url(release)))
    data = form_data(soup, title_fr="Titre changé", _reviewed="")
    response = client.post(side_by_side_url(release), data)
    assert "Only publishers can mark a language as reviewed." in page_of(response).get_text()
    release.refresh_from_db()
    assert release.title_fr != "Titre changé" and release.review_language == "en"


def test_correcting_a_public_release_side_by_side_asks_for_a_change_note(client):
    release = make_release(body_en="<p>Original.</p>")
    login(client, PUBLISHER)
    soup = page_of(client.get(side_by_side_url(release)))
    data = form_data(soup, body_en="<p>Corrected.</p>")
    refused = page_of(client.post(side_by_side_url(release), data))
    assert "give a short change note in English and in French" in refused.get_text()
    release.refresh_from_db()
    assert release.body_en == "<p>Original.</p>"

    data.update(change_note_en="Corrected a word.", change_note_fr="Mot corrigé.")
    assert client.post(side_by_side_url(release), data).status_code == 302
    release.refresh_from_db()
    assert release.body_en == "<p>Corrected.</p>"
    assert release.corrections.get().note_fr == "Mot corrigé."


def test_a_draft_has_no_change_note_to_give(client):
    login(client, PUBLISHER)
    soup = page_of(client.get(side_by_side_url(draft())))
    assert soup.select_one("[name=change_note_en]") is None


def test_a_stale_side_by_side_save_shows_their_changes_and_keeps_what_was_typed(client, django_user_model):
    release = draft()
    login(client, EDITOR)
    soup = page_of(client.get(side_by_side_url(release)))
    # Meanwhile a publisher changes the French title.
    release.title_fr = "Titre du publicateur"
    release.version += 1
    release.save()

    data = form_data(soup, summary_en="Typed while they saved.")
    conflict = page_of(client.post(side_by_side_url(release), data))
    assert conflict.select_one(".edit-conflict") is not None
    assert conflict.select_one("#id_summary_en").get_text().strip() == "Typed while they saved."
    assert conflict.select_one("#id_title_fr")["value"] == "Titre du publicateur"
    release.refresh_from_db()
    assert release.summary_en != "Typed while they saved."

    # The page is now on the current version: saving again keeps both changes.
    assert client.post(side_by_side_url(release), form_data(conflict)).status_code == 302
    release.refresh_from_db()
    assert (release.title_fr, release.summary_en) == ("Titre du publicateur", "Typed while they saved.")


@pytest.mark.parametrize(
    ("make", "fields"),
    [
        (make_initiative, ["name", "slug", "summary", "body"]),
        (make_page, ["title", "slug", "summary", "body"]),
    ],
)
def test_initiatives_and_pages_are_translated_side_by_side(client, make, fields):
    obj = make()
    login(client, EDITOR)
    assert side_by_side_url(obj) in client.get(change_url_of(obj)).content.decode()
    soup = page_of(client.get(side_by_side_url(obj)))
    names = [field["name"] for field in soup.select(".side-by-side-cell [name]")]
    assert names == [f"{name}_{code}" for name in fields for code in ("en", "fr")]
    first = f"{fields[0]}_"
    data = form_data(soup, **{f"{first}en": "Border cooperation", f"{first}fr": "Coopération frontalière"})
    data["_reviewed"] = ""
    assert client.post(side_by_side_url(obj), data).status_code == 302
    obj.refresh_from_db()
    assert getattr(obj, f"{first}en") == "Border cooperation"
    assert getattr(obj, f"{first}fr") == "Coopération frontalière"
    assert obj.history.first().history_change_reason == "Translation reviewed side by side"


def test_a_required_language_left_empty_is_refused(client):
    initiative = make_initiative()
    login(client, EDITOR)
    soup = page_of(client.get(side_by_side_url(initiative)))
    refused = page_of(client.post(side_by_side_url(initiative), form_data(soup, name_fr="")))
    assert refused.select_one(".side-by-side-cell.errors #id_name_fr") is not None
    initiative.refresh_from_db()
    assert initiative.name_fr


def change_url_of(obj) -> str:
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])


def test_only_those_who_may_change_the_record_open_the_page(client):
    release = draft()
    login(client, ADMINISTRATOR)
    assert client.get(side_by_side_url(release)).status_code == 403
    assert client.post(side_by_side_url(release), {"title_en": "Hijacked"}).status_code == 403
    release.refresh_from_db()
    assert release.title_en != "Hijacked"


def test_an_unknown_record_sends_back_to_the_admin_with_a_message(client):
    login(client, EDITOR)
    response = client.get(reverse("admin:newsroom_newsrelease_translation", args=[987654]))
    assert response.status_code == 302


def test_the_page_speaks_french_to_a_french_reader(client):
    release = draft()
    login(client, EDITOR)
    soup = page_of(client.get(side_by_side_url(release), HTTP_ACCEPT_LANGUAGE="fr"))
    assert [h.get_text(strip=True) for h in soup.select(".side-by-side-heading")] == ["Anglais", "Français"]
    assert soup.select_one("input[name=_save]")["value"] == "Enregistrer les deux langues"
