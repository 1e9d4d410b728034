"""A release's address, written from its year and slug, is the one the URL configuration gives."""

import pytest
from django.urls import NoReverseMatch, reverse, set_script_prefix
from django.utils import translation

from newsroom.models import release_address


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("name", ["newsroom:release", "newsroom:release_print"])
@pytest.mark.parametrize(("year", "slug"), [(2005, "cross-border-crime"), (1000, "a"), (9998, "x_y-1234")])
def test_release_address_is_what_reverse_gives(language, name, year, slug):
    with translation.override(language):
        assert release_address(name, year, slug) == reverse(name, kwargs={"year": year, "slug": slug})


def test_release_address_follows_the_script_prefix():
    try:
        set_script_prefix("/site/")
        with translation.override("en"):
            assert release_address("newsroom:release", 2005, "a") == "/site/en/newsroom/2005/a/"
    finally:
        set_script_prefix("/")


@pytest.mark.parametrize(("year", "slug"), [(999, "a"), (2005, "é"), (2005, "a/b")])
def test_addresses_the_urls_refuse_are_refused_as_before(year, slug):
    with translation.override("en"), pytest.raises(NoReverseMatch):
        release_address("newsroom:release", year, slug)
