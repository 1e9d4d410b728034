"""Conditional GET and cache headers: what browsers, proxies and CDNs are told."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from core.cache_headers import PUBLIC_MAX_AGE, CacheHeadersMiddleware, private_cache
from tests.factories import make_release

LANGUAGES = ["en", "fr"]


@pytest.fixture
def release(reference):
    return make_release()


def english(url_of) -> str:
    with translation.override("en"):
        return url_of()


def public_urls(release) -> list[str]:
    urls = []
    for language in LANGUAGES:
        with translation.override(language):
            urls += [
                reverse("home"),
                reverse("newsroom:list"),
                reverse("newsroom:year", kwargs={"year": release.local_published_at.year}),
                release.get_absolute_url(),
                release.get_print_url(),
                reverse("initiatives:list"),
                reverse("a_to_z"),
                reverse("site_map"),
                reverse("pages:page", kwargs={"slug": "about-us" if language == "en" else "a-propos"}),
            ]
    return urls


@pytest.fixture(params=[True, False], ids=["page cache on", "page cache off"])
def page_cache(request, settings):
    settings.PAGE_CACHE = request.param
    return request.param


def test_every_public_page_carries_validators_and_public_cache_headers(client, release, page_cache):
    for url in public_urls(release):
        response = client.get(url)
        assert response.status_code == 200, url
        cache_control = response["Cache-Control"]
        assert "public" in cache_control and "max-age=" in cache_control and "s-maxage=" in cache_control
        assert response.has_header("ETag"), url
        assert response.has_header("Last-Modified"), url
        assert not response.cookies, url


@pytest.mark.parametrize("language", LANGUAGES)
def test_matching_etag_gets_304_with_no_body(client, release, page_cache, language):
    with translation.override(language):
        url = english(release.get_absolute_url)
    first = client.get(url)
    again = client.get(url, headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == first["ETag"]
    assert "public" in again["Cache-Control"]
    head = client.head(url, headers={"If-None-Match": first["ETag"]})
    assert head.status_code == 304


def test_unchanged_since_last_modified_gets_304(client, release, page_cache):
    url = english(lambda: reverse("newsroom:list"))
    first = client.get(url)
    again = client.get(url, headers={"If-Modified-Since": first["Last-Modified"]})
    if page_cache:
        assert again.status_code == 304
        assert again.content == b""
    else:
        # Rendered anew, the page is as new as the moment it was made.
        assert again.status_code in (200, 304)


def test_kept_copy_answers_304_too(client, release, django_assert_num_queries):
    url = english(release.get_absolute_url)
    etag = client.get(url)["ETag"]
    with django_assert_num_queries(0):
        response = client.get(url, headers={"If-None-Match": etag})
    assert response.status_code == 304


def test_edit_gives_a_new_etag_and_full_page(client, release):
    url = english(release.get_absolute_url)
    first = client.get(url)
    release.title_en = "A corrected title"
    release.save()
    response = client.get(url, headers={"If-None-Match": first["ETag"]})
    assert response.status_code == 200
    assert response["ETag"] != first["ETag"]
    assert "A corrected title" in response.content.decode()


def test_correction_with_a_new_date_gets_the_new_page_on_if_modified_since(client, release):
    url = english(release.get_absolute_url)
    first = client.get(url)
    release.title_en = "A corrected title"
    release.last_updated = release.last_updated + dt.timedelta(days=1)
    release.save()
    response = client.get(url, headers={"If-Modified-Since": first["Last-Modified"]})
    assert response.status_code == 200
    assert "A corrected title" in response.content.decode()


def test_other_etag_gets_the_page(client, release):
    response = client.get(english(release.get_absolute_url), headers={"If-None-Match": '"something-else"'})
    assert response.status_code == 200
    assert response.content


def test_admin_is_private_and_never_stored(client, staff_client):
    for response in (Client().get(reverse("admin:login")), staff_client.get(reverse("admin:index"))):
        cache_control = response["Cache-Control"]
        assert "private" in cache_control and "no-store" in cache_control
        assert "public" not in cache_control and "s-maxage" not in cache_control


def test_staff_see_public_pages_as_private(staff_client, release):
    for url in public_urls(release)[:4]:
        response = staff_client.get(url)
        assert response.status_code == 200
        cache_control = response["Cache-Control"]
        assert "private" in cache_control and "no-store" in cache_control
        assert "public" not in cache_control and "s-maxage" not in cache_control


def test_feeds_sitemap_robots_and_api_are_public_without_asking(client, release):
    for url in ("/sitemap.xml", "/robots.txt", "/api/releases/", english(lambda: reverse("newsroom:feed"))):
        cache_control = client.get(url)["Cache-Control"]
        assert "public" in cache_control and f"s-maxage={PUBLIC_MAX_AGE}" in cache_control, url


def test_a_view_that_opts_out_is_private_for_anonymous_readers_too(rf):
    from django.http import HttpResponse

    view = private_cache(lambda request: HttpResponse("form"))
    response = CacheHeadersMiddleware(view)(rf.get("/en/send/"))
    assert "no-store" in response["Cache-Control"] and "public" not in response["Cache-Control"]


@pytest.mark.parametrize(
    "respond",
    [
        lambda response: response.set_cookie("chosen", "1"),
        lambda response: setattr(response, "status_code", 403),
        lambda response: setattr(response, "status_code", 302),
    ],
    ids=["sets a cookie", "refuses", "redirects for the moment"],
)
def test_an_answer_not_the_same_for_every_reader_is_private_by_default(rf, respond):
    from django.http import HttpResponse

    def view(request):
        response = HttpResponse("page")
        respond(response)
        return response

    response = CacheHeadersMiddleware(view)(rf.get("/en/newsroom/"))
    assert "no-store" in response["Cache-Control"] and "public" not in response["Cache-Control"]
