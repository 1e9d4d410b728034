"""Every public page costs a fixed number of queries, however much it lists."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from tests.factories import make_contact, make_initiative, make_page, make_partner, make_release

# The most each page may cost with nothing in the cache, site chrome included
# (department, menus, menu links: 3) and the next publication minute (1).
MAX_QUERIES = {
    "home": 7,
    "newsroom": 8,
    "newsroom filtered": 9,
    "year archive": 8,
    "release page": 8,
    "release print": 7,
    "initiative list": 5,
    "initiative page": 7,
    "initiative print": 7,
    "standard page": 5,
    "a-z index": 8,
    "site map": 10,
}

# Once the site chrome, the archive years, the initiatives and a listing's
# totals are kept under the content version, a page reads only its own content.
KEPT_MAX_QUERIES = {
    "home": 3,
    "newsroom": 1,
    "newsroom filtered": 2,
    "year archive": 1,
    "release page": 4,
    "release print": 3,
    "initiative list": 1,
    "initiative page": 3,
    "initiative print": 3,
    "standard page": 1,
    "a-z index": 4,
    "site map": 4,
}


def build_site(count: int) -> dict[str, str]:
    """`count` releases, each with its own initiative, partner and contact, all listed together."""
    shared = make_initiative(featured=True)
    releases = []
    for n in range(count):
        initiative = make_initiative(featured=True, partners=[make_partner(), make_partner()])
        releases.append(
            make_release(
                published_at=dt.datetime(2024, 5, 1, 9, tzinfo=dt.UTC) + dt.timedelta(hours=n),
                initiatives=[shared, initiative],
                media_contacts=[make_contact(), make_contact()],
            )
        )
        make_page()
    release = releases[0]
    with translation.override("en"):
        return {
            "home": reverse("home"),
            "newsroom": reverse("newsroom:list"),
            "newsroom filtered": reverse("newsroom:list") + f"?initiative={shared.slug}&type=news_release",
            "year archive": reverse("newsroom:year", kwargs={"year": 2024}),
            "release page": release.get_absolute_url(),
            "release print": release.get_print_url(),
            "initiative list": reverse("initiatives:list"),
            "initiative page": shared.get_absolute_url(),
            "initiative print": reverse("initiatives:print", kwargs={"slug": shared.slug}),
            "standard page": reverse("pages:page", kwargs={"slug": "about-us"}),
            "a-z index": reverse("a_to_z"),
            "site map": reverse("site_map"),
        }


def queries_for(client, url: str) -> int:
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured.captured_queries)


@pytest.fixture
def rendered_every_time(settings, reference):
    settings.PAGE_CACHE = False


@pytest.mark.parametrize("page", MAX_QUERIES)
def test_page_costs_the_same_queries_for_20_items_as_for_2(client, rendered_every_time, page):
    few = queries_for(client, build_site(2)[page])
    urls = build_site(18)  # 20 in all
    assert queries_for(client, urls[page]) == few


@pytest.mark.parametrize("page", MAX_QUERIES)
def test_page_stays_within_its_query_budget(client, rendered_every_time, django_assert_max_num_queries, page):
    url = build_site(20)[page]
    cache.clear()
    with django_assert_max_num_queries(MAX_QUERIES[page]):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("page", KEPT_MAX_QUERIES)
def test_page_reads_only_its_own_content_once_shared_parts_are_kept(
    client, rendered_every_time, django_assert_max_num_queries, page
):
    url = build_site(20)[page]
    client.get(url)
    with django_assert_max_num_queries(KEPT_MAX_QUERIES[page]):
        assert client.get(url).status_code == 200


def test_site_chrome_is_read_once_per_content_version(client, rendered_every_time):
    url = build_site(2)["release page"]
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    tables = " ".join(query["sql"] for query in captured.captured_queries)
    assert "pages_menu" not in tables and "pages_department" not in tables
