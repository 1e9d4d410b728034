"""Both official languages: the toggle leads to the same content, whatever page a reader is on."""

import datetime as dt

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.utils import translation

from initiatives.models import Initiative
from portal.views import permission_denied, server_error
from tests.factories import make_release


@pytest.fixture(autouse=True)
def _english_outside_requests():
    # A request leaves its language active in the thread; addresses built by
    # a test itself are English unless the test says otherwise.
    with translation.override("en"):
        yield


def soup_of(response):
    return BeautifulSoup(response.content, "html.parser")


def toggle_of(client, url) -> str:
    return soup_of(client.get(url)).select_one("a.language-toggle")["href"]


def test_splash_page_offers_both_languages(client, reference):
    response = client.get("/")
    soup = soup_of(response)
    assert [link["href"] for link in soup.select(".splash__choices a")] == ["/en/", "/fr/"]
    assert "Sécurité publique et Protection civile Canada" in soup.h1.get_text()
    assert "Set-Cookie" not in response.headers


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/en/newsroom/?page=2", "/fr/salle-de-presse/?page=2"),
        ("/fr/salle-de-presse/?type=speech&page=3", "/en/newsroom/?type=speech&page=3"),
        ("/en/newsroom/2019/?page=2", "/fr/salle-de-presse/2019/?page=2"),
    ],
)
def test_toggle_keeps_the_page_number_and_filters(client, db, url, expected):
    start = dt.datetime(2019, 1, 1, 15, tzinfo=dt.UTC)
    for n in range(60):
        make_release(published_at=start + dt.timedelta(days=n), release_type="speech")
    assert toggle_of(client, url) == expected
    assert client.get(expected).status_code == 200


def test_toggle_translates_the_initiative_filter(client, reference):
    initiative = Initiative.objects.get(slug_en="mass-marketing-fraud")
    english = "/en/newsroom/?initiative=mass-marketing-fraud&type=news_release"
    french = "/fr/salle-de-presse/?initiative=fraude-par-marketing-de-masse&type=news_release"
    assert toggle_of(client, english) == french
    assert toggle_of(client, french) == english
    soup = soup_of(client.get(french))
    assert soup.select_one("#filter-initiative option[selected]")["value"] == initiative.slug_fr
    hreflang = {link["hreflang"]: link["href"] for link in soup.select('link[rel="alternate"][hreflang]')}
    assert hreflang["en"] == f"{settings.SITE_URL}{english}"


def test_toggle_on_a_filtered_year_archive(client, reference):
    assert (
        toggle_of(client, "/en/newsroom/2005/?type=news_release")
        == "/fr/salle-de-presse/2005/?type=news_release"
    )


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/en/newsroom/2005/gone/", "/fr/salle-de-presse/2005/gone/"),
        ("/fr/nulle-part/", "/en/nulle-part/"),
        ("/en/newsroom/?page=99", "/fr/salle-de-presse/?page=99"),
    ],
)
def test_error_page_toggle_leads_to_the_same_address_in_the_other_language(client, reference, url, expected):
    response = client.get(url)
    assert response.status_code == 404
    assert toggle_of(client, url) == expected


def test_french_pages_show_no_english_interface_text(client, reference):
    for url in ("/fr/", "/fr/salle-de-presse/", "/fr/salle-de-presse/2005/criminalite-transfrontaliere/"):
        text = soup_of(client.get(url)).get_text(" ", strip=True)
        for english in ("Skip all menus", "Top of Page", "Last updated", "Printable version", "Newsroom"):
            assert english not in text, (url, english)
        assert "Passer tous les menus" in text and "Haut de la page" in text


def test_release_dates_are_written_in_the_pages_language(client, reference):
    english = soup_of(client.get("/en/newsroom/2005/cross-border-crime/"))
    french = soup_of(client.get("/fr/salle-de-presse/2005/criminalite-transfrontaliere/"))
    assert english.select_one(".release__meta time").get_text() == "May 18, 2005"
    assert french.select_one(".release__meta time").get_text() == "le 18 mai 2005"


@pytest.mark.parametrize(
    ("handler", "status", "title"),
    [(server_error, 500, "Une erreur s’est produite"), (permission_denied, 403, "Accès refusé")],
)
def test_error_pages_are_in_the_layout_in_the_pages_language(rf, reference, handler, status, title):
    request = rf.get("/fr/salle-de-presse/2005/")
    with translation.override("fr"):
        response = handler(request) if handler is server_error else handler(request, None)
    soup = soup_of(response)
    assert response.status_code == status
    assert soup.html["lang"] == "fr"
    assert soup.h1.get_text() == title
    assert soup.select_one("nav.left-menu")
    assert soup.select_one("a.language-toggle")["href"] == "/en/newsroom/2005/"


def test_server_error_page_still_answers_when_the_database_does_not(rf, db, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("database unavailable")

    monkeypatch.setattr("pages.context_processors._menus_by_placement", broken)
    with translation.override("fr"):
        response = server_error(rf.get("/fr/"))
    assert response.status_code == 500
    assert "Une erreur s’est produite" in response.content.decode()
