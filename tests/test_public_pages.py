"""Every public page type in /en/ and /fr/: what a reader sees, and what never leaks."""

import datetime as dt

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.utils import timezone, translation

from initiatives.models import Initiative
from newsroom.models import NewsRelease
from tests.factories import make_initiative, make_release
from tests.reference_pages import PAGE_TYPES, RELEASE_EN, RELEASE_FR


@pytest.fixture(autouse=True)
def _english_outside_requests():
    # A request leaves its language active in the thread; addresses built by
    # a test itself are English unless the test says otherwise.
    with translation.override("en"):
        yield


PAGE_URLS = [
    pytest.param(urls[index], urls[1 - index], id=f"{name} {code}")
    for name, urls in PAGE_TYPES.items()
    for index, code in enumerate(("en", "fr"))
]


def get_page(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, url
    return response, BeautifulSoup(response.content, "html.parser")


def breadcrumb(soup) -> list[str]:
    return [item.get_text(" ", strip=True) for item in soup.select("nav.breadcrumb li")]


def linked_titles(soup) -> str:
    return soup.get_text(" ", strip=True)


@pytest.mark.parametrize(("url", "other_url"), PAGE_URLS)
def test_page_answers_in_its_language_with_one_h1_and_no_cookie(client, reference, url, other_url):
    response, soup = get_page(client, url)
    assert soup.html["lang"] == url[1:3]
    assert len(soup.find_all("h1")) == 1
    assert "Set-Cookie" not in response.headers
    assert not response.cookies
    assert "public" in response["Cache-Control"] and "max-age=" in response["Cache-Control"]
    assert response.has_header("Last-Modified")


@pytest.mark.parametrize(("url", "other_url"), PAGE_URLS)
def test_page_links_to_the_same_content_in_the_other_language(client, reference, url, other_url):
    _response, soup = get_page(client, url)
    alternates = {link["hreflang"]: link["href"] for link in soup.select('link[rel="alternate"][hreflang]')}
    language, other_language = url[1:3], other_url[1:3]
    assert alternates == {
        language: f"{settings.SITE_URL}{url}",
        other_language: f"{settings.SITE_URL}{other_url}",
    }
    toggle = soup.select_one("a.language-toggle")
    assert toggle["href"] == other_url
    assert toggle["lang"] == other_language
    get_page(client, toggle["href"])


def test_release_breadcrumb_matches_the_reference_in_both_languages(client, reference):
    _response, soup = get_page(client, RELEASE_EN)
    assert breadcrumb(soup) == [
        "Home",
        "Newsroom",
        "2005",
        "News releases (archive)",
        "2005-05-18: Cross-border crime",
    ]
    links = [link["href"] for link in soup.select("nav.breadcrumb a")]
    assert links == ["/en/", "/en/newsroom/", "/en/newsroom/2005/", "/en/newsroom/2005/?type=news_release"]
    assert (
        soup.select_one("nav.breadcrumb [aria-current=page]").get_text() == "2005-05-18: Cross-border crime"
    )

    _response, soup = get_page(client, RELEASE_FR)
    assert breadcrumb(soup) == [
        "Accueil",
        "Salle de presse",
        "2005",
        "Communiqués (archives)",
        "2005-05-18\u00a0: Criminalité transfrontalière",
    ]


def test_release_type_crumb_lists_that_years_releases_of_that_type(client, reference):
    make_release(
        title_en="A 2005 speech",
        release_type=NewsRelease.ReleaseType.SPEECH,
        published_at=dt.datetime(2005, 6, 1, 15, tzinfo=dt.UTC),
    )
    _response, soup = get_page(client, "/en/newsroom/2005/?type=news_release")
    assert breadcrumb(soup) == ["Home", "Newsroom", "2005", "News releases"]
    assert soup.h1.get_text() == "News releases of 2005"
    titles = [item.get_text(strip=True) for item in soup.select(".release-item__title")]
    assert titles == ["Canada-U.S. cooperation to tackle cross-border crime"]


def test_breadcrumb_uses_the_title_when_there_is_no_short_title(client, db):
    release = make_release(
        title_en="Minister announces funding", published_at=dt.datetime(2020, 3, 4, 15, tzinfo=dt.UTC)
    )
    _response, soup = get_page(client, release.get_absolute_url())
    assert breadcrumb(soup)[3:] == ["News releases", "2020-03-04: Minister announces funding"]
    assert not soup.select(".archived-notice")


def test_archived_release_carries_the_archived_notice(client, reference):
    _response, soup = get_page(client, RELEASE_EN)
    assert "provided for reference" in soup.select_one(".archived-notice").get_text()
    _response, soup = get_page(client, RELEASE_FR)
    assert "Contenu archivé" in soup.select_one(".archived-notice").get_text()


def test_release_page_shows_everything_of_the_reference(client, reference):
    _response, soup = get_page(client, RELEASE_EN)
    text = soup.get_text(" ", strip=True)
    assert soup.h1.get_text() == "Canada-U.S. cooperation to tackle cross-border crime"
    assert "OTTAWA" in text and "May 18, 2005" in text
    assert "(613) 991-0657" in soup.select_one(".media-contacts").get_text()
    related = [link.get_text() for link in soup.select(".related a")]
    assert len(related) == 7 and "Integrated Border Enforcement Teams" in related
    assert soup.select_one(".last-updated time")["datetime"] == "2005-09-19"
    assert soup.select_one(".page-tools a")["href"] == RELEASE_EN + "print/"
    assert soup.select_one(".skip-links a[accesskey='2']")["href"] == "#content"
    assert soup.select_one(".skip-links a[accesskey='1']")["href"] == "#left-menu"


def test_initiative_page_lists_its_releases_newest_first_and_partners(client, reference):
    initiative = Initiative.objects.get(slug_en="integrated-border-enforcement-teams")
    make_release(title_en="Newer IBET news", initiatives=[initiative])
    _response, soup = get_page(client, PAGE_TYPES["initiative"][0])
    titles = [item.get_text(strip=True) for item in soup.select(".release-item__title")]
    assert titles == ["Newer IBET news", "Canada-U.S. cooperation to tackle cross-border crime"]
    assert breadcrumb(soup) == ["Home", "Initiatives", "Integrated Border Enforcement Teams"]


def test_home_shows_latest_releases_and_featured_initiatives(client, reference):
    make_release(title_en="Fresh news")
    _response, soup = get_page(client, "/en/")
    titles = [item.get_text(strip=True) for item in soup.select(".release-item__title")]
    assert titles[0] == "Fresh news"
    featured = [link.get_text() for link in soup.select("#initiatives-title ~ ul a")]
    assert "Cross-Border Crime Forum" in featured
    assert "Mass-marketing fraud" not in featured


def test_footer_date_is_the_newest_item_on_a_listing(client, reference):
    make_release(last_updated=dt.date(2024, 2, 3), published_at=dt.datetime(2024, 1, 5, 15, tzinfo=dt.UTC))
    _response, soup = get_page(client, "/en/newsroom/")
    assert soup.select_one(".last-updated time").get_text() == "2024-02-03"


class TestNothingUnpublishedLeaks:
    @pytest.fixture
    def hidden(self, reference):
        initiative = Initiative.objects.get(slug_en="integrated-border-enforcement-teams")
        draft = make_release(
            title_en="Secret draft",
            title_fr="Brouillon secret",
            status=NewsRelease.Status.DRAFT,
            published_at=dt.datetime(2005, 7, 1, 15, tzinfo=dt.UTC),
            initiatives=[initiative],
        )
        embargoed = make_release(
            title_en="Embargoed news",
            title_fr="Nouvelle sous embargo",
            published_at=timezone.now() + dt.timedelta(days=800),
            initiatives=[initiative],
        )
        return draft, embargoed

    @pytest.mark.parametrize(("url", "other_url"), PAGE_URLS)
    def test_no_page_shows_an_unpublished_release(self, client, hidden, url, other_url):
        _response, soup = get_page(client, url)
        text = soup.get_text(" ", strip=True)
        for secret in ("Secret draft", "Brouillon secret", "Embargoed news", "Nouvelle sous embargo"):
            assert secret not in text
        embargo_year = str(hidden[1].local_published_at.year)
        assert not soup.select(f'a[href$="/{embargo_year}/"]')

    @pytest.mark.parametrize("language", ["en", "fr"])
    def test_unpublished_release_and_its_print_view_are_not_found(self, client, hidden, language):
        for release in hidden:
            slug = getattr(release, f"slug_{language}")
            base = "/en/newsroom" if language == "en" else "/fr/salle-de-presse"
            print_word = "print" if language == "en" else "imprimer"
            year = release.local_published_at.year
            get_page(client, f"{base}/{year}/{slug}/", status=404)
            get_page(client, f"{base}/{year}/{slug}/{print_word}/", status=404)
        get_page(client, f"/{language}/{'newsroom' if language == 'en' else 'salle-de-presse'}/{year}/", 404)


class TestPagination:
    @pytest.fixture
    def many(self, db):
        start = dt.datetime(2019, 1, 1, 15, tzinfo=dt.UTC)
        return [make_release(published_at=start + dt.timedelta(days=n)) for n in range(45)]

    @pytest.mark.parametrize(("page", "count"), [("1", 20), ("2", 20), ("3", 5), ("last", 5)])
    def test_listing_shows_twenty_a_page(self, client, many, page, count):
        _response, soup = get_page(client, f"/en/newsroom/?page={page}")
        assert len(soup.select(".release-item")) == count

    def test_first_page_shows_the_newest_and_links_to_every_page(self, client, many):
        _response, soup = get_page(client, "/en/newsroom/")
        assert soup.select_one(".release-item__title").get_text(strip=True) == many[-1].title_en
        assert [link.get_text(" ", strip=True) for link in soup.select(".pagination a")] == [
            "Page 2",
            "Page 3",
            "Next",
        ]
        assert soup.select_one(".pagination [aria-current=page]").get_text(" ", strip=True) == "Page 1"

    @pytest.mark.parametrize("page", ["0", "-1", "4", "999999", "abc", "1.5", "9" * 40])
    @pytest.mark.parametrize("base", ["/en/newsroom/", "/fr/salle-de-presse/", "/en/newsroom/2019/"])
    def test_page_out_of_range_is_not_found_in_the_pages_language(self, client, many, base, page):
        _response, soup = get_page(client, f"{base}?page={page}", status=404)
        assert soup.html["lang"] == base[1:3]
        expected = (
            "We could not find that page" if base.startswith("/en/") else "Nous ne pouvons trouver cette page"
        )
        assert soup.h1.get_text() == expected

    @pytest.mark.parametrize("query", ["", "type=news_release&", "initiative=shared&"])
    def test_every_page_lists_the_next_releases_in_order(self, client, many, query):
        shared = make_initiative(slug_en="shared")
        for release in many:
            release.initiatives.add(shared)
        newest_first = [release.title_en for release in reversed(many)]
        for page in (1, 2, 3):
            _response, soup = get_page(client, f"/en/newsroom/?{query}page={page}")
            titles = [title.get_text(strip=True) for title in soup.select(".release-item__title")]
            assert titles == newest_first[(page - 1) * 20 : page * 20]

    def test_a_new_release_moves_every_page_and_its_count_at_once(self, client, many, settings):
        get_page(client, "/en/newsroom/?page=3")
        make_release(published_at=many[-1].published_at + dt.timedelta(days=1))
        _response, soup = get_page(client, "/en/newsroom/?page=3")
        assert len(soup.select(".release-item")) == 6
        assert soup.select_one(".release-item__title").get_text(strip=True) == many[5].title_en

    def test_page_links_keep_the_filters(self, client, many):
        _response, soup = get_page(client, "/en/newsroom/?type=news_release&page=2")
        assert soup.select_one(".pagination a[rel=next]")["href"] == "?type=news_release&page=3"


class TestFilters:
    def test_initiatives_are_in_the_order_of_their_names_in_the_pages_language(self, client, db, settings):
        settings.PAGE_CACHE = False
        make_release(initiatives=[make_initiative(name_en="Alpha", name_fr="Zèbre")])
        make_release(initiatives=[make_initiative(name_en="Beta", name_fr="Abeille")])
        names = {}
        for path in ("/en/newsroom/", "/fr/salle-de-presse/"):
            _response, soup = get_page(client, path)
            names[path] = [option.get_text() for option in soup.select("#filter-initiative option")[1:]]
        assert names["/en/newsroom/"] == ["Alpha", "Beta"]
        assert names["/fr/salle-de-presse/"] == ["Abeille", "Zèbre"]

    @pytest.mark.parametrize(
        "query",
        ["type=nonsense", "initiative=no-such-initiative", "initiative=" + "x" * 500, "type=" + "<script>"],
    )
    def test_unknown_filter_is_not_found(self, client, reference, query):
        get_page(client, f"/en/newsroom/?{query}", status=404)
        get_page(client, f"/fr/salle-de-presse/?{query}", status=404)

    def test_initiative_filter_uses_the_slug_of_the_pages_language(self, client, reference):
        make_release(title_en="Unrelated")
        _response, soup = get_page(client, "/fr/salle-de-presse/?initiative=fraude-par-marketing-de-masse")
        titles = [item.get_text(strip=True) for item in soup.select(".release-item__title")]
        assert titles == ["Coopération Canada–États-Unis pour lutter contre la criminalité transfrontalière"]
        get_page(client, "/en/newsroom/?initiative=fraude-par-marketing-de-masse", status=404)

    def test_type_filter_lists_only_that_type(self, client, reference):
        make_release(title_en="A speech", release_type=NewsRelease.ReleaseType.SPEECH)
        _response, soup = get_page(client, "/en/newsroom/?type=speech")
        titles = [item.get_text(strip=True) for item in soup.select(".release-item__title")]
        assert titles == ["A speech"]
        assert soup.select_one("#filter-type option[selected]")["value"] == "speech"


class TestYearArchive:
    def test_archive_years_are_the_years_with_public_releases(self, client, reference):
        make_release(published_at=dt.datetime(2010, 5, 5, 15, tzinfo=dt.UTC))
        make_release(status=NewsRelease.Status.DRAFT, published_at=dt.datetime(2012, 5, 5, 15, tzinfo=dt.UTC))
        _response, soup = get_page(client, "/en/newsroom/")
        years = [link.get_text() for link in soup.select(".archive-years a")]
        assert years == ["2010", "2005"]

    def test_year_archive_lists_that_years_releases_only(self, client, reference):
        make_release(title_en="Ten years on", published_at=dt.datetime(2015, 5, 18, 15, tzinfo=dt.UTC))
        _response, soup = get_page(client, "/en/newsroom/2015/")
        assert [item.get_text(strip=True) for item in soup.select(".release-item__title")] == ["Ten years on"]
        assert soup.h1.get_text() == "News releases of 2015"
        assert breadcrumb(soup) == ["Home", "Newsroom", "2015"]

    @pytest.mark.parametrize("year", ["1800", "2004", "0", "99999", "9999", "12345678901234567890"])
    @pytest.mark.parametrize("base", ["/en/newsroom", "/fr/salle-de-presse"])
    def test_year_without_releases_is_not_found(self, client, reference, base, year):
        get_page(client, f"{base}/{year}/", status=404)
        get_page(client, f"{base}/{year}/cross-border-crime/", status=404)


class TestOldAddresses:
    def test_release_whose_slug_changed_redirects_permanently(self, client, db):
        release = make_release(slug_en="first-name", slug_fr="premier-nom")
        release.slug_en, release.slug_fr = "better-name", "meilleur-nom"
        release.save()
        year = release.local_published_at.year
        response = client.get(f"/en/newsroom/{year}/first-name/")
        assert response.status_code == 301
        assert response["Location"] == f"/en/newsroom/{year}/better-name/"
        response = client.get(f"/fr/salle-de-presse/{year}/premier-nom/imprimer/")
        assert response.status_code == 301
        assert response["Location"] == f"/fr/salle-de-presse/{year}/meilleur-nom/imprimer/"

    def test_release_whose_date_changed_redirects_to_its_new_year(self, client, db):
        release = make_release(slug_en="moved", published_at=dt.datetime(2018, 12, 20, 15, tzinfo=dt.UTC))
        release.published_at = dt.datetime(2019, 1, 3, 15, tzinfo=dt.UTC)
        release.save()
        response = client.get("/en/newsroom/2018/moved/")
        assert response.status_code == 301
        assert response["Location"] == "/en/newsroom/2019/moved/"

    def test_old_address_of_a_release_no_longer_public_is_not_found(self, client, db):
        release = make_release(slug_en="withdrawn")
        release.slug_en = "withdrawn-again"
        release.status = NewsRelease.Status.DRAFT
        release.save()
        year = release.local_published_at.year
        get_page(client, f"/en/newsroom/{year}/withdrawn/", status=404)

    def test_current_release_wins_over_an_old_address(self, client, db):
        first = make_release(slug_en="shared")
        first.slug_en = "renamed"
        first.save()
        second = make_release(slug_en="shared", title_en="The current one")
        _response, soup = get_page(client, second.get_absolute_url())
        assert soup.h1.get_text() == "The current one"


@pytest.mark.parametrize(
    "url",
    [
        "/en/newsroom/2005/" + "a" * 300 + "/",
        "/en/initiatives/" + "b" * 300 + "/",
        "/en/pages/" + "c" * 300 + "/",
        "/en/newsroom/2005/no-such-release/print/",
        "/en/no-such-page/",
    ],
)
def test_bad_addresses_are_not_found_inside_the_layout(client, reference, url):
    _response, soup = get_page(client, url, status=404)
    assert soup.select_one("nav.left-menu") and soup.select_one("footer.site-footer")
    assert len(soup.find_all("h1")) == 1


def test_not_found_page_is_in_the_pages_language_with_a_toggle(client, reference):
    response, soup = get_page(client, "/fr/salle-de-presse/2005/nexiste-pas/", status=404)
    assert soup.html["lang"] == "fr"
    assert soup.h1.get_text() == "Nous ne pouvons trouver cette page"
    assert soup.select_one("a.language-toggle")["href"] == "/en/newsroom/2005/nexiste-pas/"
    assert "Set-Cookie" not in response.headers
    _response, soup = get_page(client, "/fr/rien-ici/", status=404)
    assert soup.select_one("a.language-toggle")["href"] == "/en/rien-ici/"


def test_a_to_z_index_files_accented_names_with_their_letter(client, reference):
    make_initiative(name_en="Zebra crossings", name_fr="Écoles et passages")
    _response, soup = get_page(client, "/fr/a-z/")
    letters = [heading.get_text() for heading in soup.select("section h2")]
    assert letters == sorted(letters)
    assert "É" not in letters
    e_entries = [link.get_text() for link in soup.select("#letter-E ~ ul a")]
    assert e_entries == sorted(e_entries, key=lambda s: s.replace("É", "E").casefold())
    assert "Écoles et passages" in e_entries
    assert "Équipes intégrées de la police des frontières" in e_entries
    assert "Communiqués" in linked_titles(soup)


def test_site_map_reaches_every_section_of_the_site(client, reference):
    _response, soup = get_page(client, "/en/site-map/")
    links = {link["href"] for link in soup.select("main a")}
    for expected in (
        "/en/",
        "/en/newsroom/",
        "/en/newsroom/2005/",
        "/en/newsroom/?type=speech",
        "/en/initiatives/",
        "/en/initiatives/mass-marketing-fraud/",
        "/en/pages/important-notices/",
        "/en/a-z/",
    ):
        assert expected in links
