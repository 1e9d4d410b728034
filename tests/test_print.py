"""Printable versions: the same content on paper, with no navigation and its links kept."""

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.utils import translation

from tests.factories import make_initiative, make_page, make_release
from tests.test_public_pages import PAGE_TYPES

PRINT_PAGES = [
    pytest.param(urls[index], urls_of_page[index], id=f"{name} {code}")
    for name, urls in PAGE_TYPES.items()
    if name.endswith("print")
    for urls_of_page in [PAGE_TYPES[name.removesuffix(" print")]]
    for index, code in enumerate(("en", "fr"))
]
BODY_WITH_LINKS = (
    '<p>See <a href="https://www.example.org/report">the report</a> and '
    '<a href="/en/pages/help/">our help page</a>.</p>'
)


def soup_of(response):
    return BeautifulSoup(response.content, "html.parser")


@pytest.mark.parametrize(("print_url", "page_url"), PRINT_PAGES)
def test_print_view_has_the_content_without_navigation(client, reference, print_url, page_url):
    printed = soup_of(client.get(print_url))
    screen = soup_of(client.get(page_url))
    assert printed.h1.get_text() == screen.h1.get_text()
    for navigation in (".skip-links", ".top-nav", ".left-menu", ".breadcrumb", ".site-footer", ".page-tools"):
        assert not printed.select(navigation), navigation
    assert not printed.find("nav")


@pytest.mark.parametrize(("print_url", "page_url"), PRINT_PAGES)
def test_print_view_names_the_department_the_full_address_and_the_date(
    client, reference, print_url, page_url
):
    printed = soup_of(client.get(print_url))
    header = printed.select_one(".print-header").get_text(" ", strip=True)
    department = (
        "Public Safety and Emergency Preparedness Canada"
        if page_url.startswith("/en/")
        else "Sécurité publique et Protection civile Canada"
    )
    assert department in header
    assert f"{settings.SITE_URL}{page_url}" in header
    assert printed.select_one(".print-header time")["datetime"]


@pytest.mark.parametrize(("print_url", "page_url"), PRINT_PAGES)
def test_print_view_uses_the_print_stylesheet(client, reference, print_url, page_url):
    printed = soup_of(client.get(print_url))
    assert [link["href"] for link in printed.select('link[rel="stylesheet"]')] == ["/static/css/print.css"]


def test_every_content_page_links_to_its_printable_version(client, reference):
    for name in ("release", "initiative", "standard page"):
        for index in (0, 1):
            page = soup_of(client.get(PAGE_TYPES[name][index]))
            assert page.select_one(".page-tools a")["href"] == PAGE_TYPES[f"{name} print"][index]


@pytest.mark.parametrize(
    "make",
    [
        lambda: make_release(body_en=BODY_WITH_LINKS).get_print_url(),
        lambda: make_initiative(body_en=BODY_WITH_LINKS).get_absolute_url() + "print/",
        lambda: make_page(body_en=BODY_WITH_LINKS).get_absolute_url() + "print/",
    ],
    ids=["release", "initiative", "standard page"],
)
def test_body_links_become_numbered_endnotes_with_full_addresses(client, reference, make):
    # The links are in the English body: ask for the English print view.
    with translation.override("en"):
        url = make()
    printed = soup_of(client.get(url))
    assert [ref.get_text() for ref in printed.select(".endnote-ref")] == ["[1]", "[2]"]
    assert [item.get_text() for item in printed.select(".endnotes li")] == [
        "https://www.example.org/report",
        f"{settings.SITE_URL}/en/pages/help/",
    ]


def test_page_without_body_links_has_no_endnotes(client, db):
    release = make_release(body_en="<p>No links here.</p>")
    with translation.override("en"):
        url = release.get_print_url()
    assert not soup_of(client.get(url)).select(".endnotes")


def test_archived_release_is_printed_with_its_notice(client, reference):
    printed = soup_of(client.get(PAGE_TYPES["release print"][1]))
    assert "Contenu archivé" in printed.select_one(".archived-notice").get_text()


def test_print_view_sets_no_cookie_and_can_be_cached(client, reference):
    response = client.get(PAGE_TYPES["release print"][0])
    assert "Set-Cookie" not in response.headers
    assert "public" in response["Cache-Control"]
    assert response["Last-Modified"] == "Mon, 19 Sep 2005 00:00:00 GMT"
