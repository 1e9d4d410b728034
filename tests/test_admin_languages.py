"""The admin in both official languages: the switch in its header, the department's name, nothing left in English."""

import re

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import translation

from core.roles import EDITOR, PUBLISHER
from newsroom.models import NewsRelease
from pages.models import Department
from tests.factories import make_release
from tests.staff import admin_paths, change_url, login

pytestmark = pytest.mark.django_db

ADMIN = f"/{settings.ADMIN_URL}"


def soup_of(response) -> BeautifulSoup:
    assert response.status_code == 200, response.status_code
    return BeautifulSoup(response.content, "html.parser")


def switch_to(client, language: str, next_url: str):
    return client.post(reverse("admin_language"), {"language": language, "next": next_url})


def test_the_header_names_the_department_in_the_readers_language(client, reference):
    department = Department.current()
    login(client, EDITOR)
    english = soup_of(client.get(ADMIN))
    assert english.select_one("#site-name").get_text(strip=True) == department.name_en
    assert department.name_en in english.title.get_text()
    french = soup_of(client.get(ADMIN, HTTP_ACCEPT_LANGUAGE="fr"))
    assert french.select_one("#site-name").get_text(strip=True) == department.name_fr
    for page in (english, french):
        assert "Django" not in page.select_one("#header").get_text()
        assert "Django" not in page.title.get_text()


def test_the_sign_in_page_has_the_name_and_the_switch_too(client, reference):
    page = soup_of(client.get(f"{ADMIN}login/"))
    assert page.select_one("#site-name").get_text(strip=True) == Department.current().name_en
    assert page.select_one(".language-switch button[lang=fr]").get_text(strip=True) == "Français"


def test_the_switch_offers_the_other_language(client):
    login(client, EDITOR)
    english = soup_of(client.get(ADMIN))
    assert english.select_one(".language-switch button")["value"] == "fr"
    assert english.select_one(".language-switch input[name=next]")["value"] == ADMIN
    french = soup_of(client.get(ADMIN, HTTP_ACCEPT_LANGUAGE="fr"))
    button = french.select_one(".language-switch button")
    assert (button["value"], button["lang"], button.get_text(strip=True)) == ("en", "en", "English")


def test_switching_keeps_the_page_and_the_choice_stays_in_the_admin(client):
    release = NewsRelease.objects.create(title_en="Draft", slug_en="draft")
    login(client, EDITOR)
    response = switch_to(client, "fr", change_url(release))
    assert response.status_code == 302 and response["Location"] == change_url(release)
    cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie.value == "fr"
    # Sent back only to the admin's addresses: public pages never see it.
    assert cookie["path"] == ADMIN
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    page = soup_of(client.get(change_url(release)))
    assert page.html["lang"] == "fr"

    switch_to(client, "en", change_url(release))
    assert soup_of(client.get(change_url(release))).html["lang"] == "en"


def test_the_switch_never_sends_anyone_off_the_site(client):
    login(client, EDITOR)
    response = switch_to(client, "fr", "https://attacker.example/")
    assert response.status_code == 302
    assert not response["Location"].startswith("https://attacker.example")


def test_public_pages_keep_their_own_language_and_cache_headers_whatever_the_admin_chose(client, reference):
    # Even a client that sent the admin's cookie everywhere gets the page of its address.
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    response = client.get("/en/newsroom/")
    assert response.status_code == 200
    assert soup_of(response).html["lang"] == "en"
    assert "public" in response["Cache-Control"]
    assert not response.cookies


# Every string of ours is in French on the French admin


def _our_english_strings() -> set[str]:
    """English phrases the French catalogues translate differently: none may show on a French page."""
    with translation.override("fr"):
        catalog = translation.trans_real.translation("fr")._catalog
    phrases = set()
    for msgid, msgstr in catalog.items():
        if isinstance(msgid, tuple):
            msgid = msgid[0]
        if not isinstance(msgid, str) or "%" in msgid or msgid == msgstr:
            continue
        # Whole phrases only: single words may be names or shared by both languages.
        if len(msgid.split()) >= 2 and len(msgid) >= 12:
            phrases.add(msgid)
    return phrases


def _interface_text(response) -> str:
    """The words a reader sees, without what staff typed (field values, editors, record titles)."""
    soup = BeautifulSoup(response.content, "html.parser")
    for element in soup.select(
        "textarea, script, .prose-editor, select, .field-title, td.field-title, th.field-title"
    ):
        element.decompose()
    return " ".join(soup.get_text(" ").split())


def test_no_admin_page_shows_an_english_phrase_to_a_french_reader(client, reference):
    superuser = User.objects.create_superuser("root", "root@example.org", "a-long-test-password")
    client.force_login(superuser)
    release = NewsRelease.objects.get(slug_en="cross-border-crime")
    release.title_fr += " (revu)"
    release._history_user = superuser
    release.save()
    switch_to(client, "fr", ADMIN)
    english = _our_english_strings()
    found = {}
    for path in admin_paths(superuser):
        response = client.get(ADMIN + path)
        assert response.status_code == 200, path
        text = _interface_text(response)
        left = sorted(phrase for phrase in english if re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", text))
        if left:
            found[path] = left
    assert found == {}


def test_the_names_given_to_the_forms_unlabelled_boxes_are_in_the_staff_language(client):
    release = make_release()
    login(client, PUBLISHER)
    french = soup_of(client.get(change_url(release), HTTP_ACCEPT_LANGUAGE="fr"))
    assert french.select_one("#id_published_at_0")["aria-label"] == "Date de publication"
    assert french.select_one("#id_published_at_1")["aria-label"] == "Heure de publication"
    script = french.select_one("script[data-language-switch]")
    assert script["data-language-switch"] == "Langue des champs traduits"
