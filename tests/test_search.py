"""Search: each language on its own, ranked and accent-blind on PostgreSQL, calm with any input."""

import datetime as dt
from unittest import mock

import pytest
import time_machine
from django.db import connection
from django.urls import reverse
from django.utils import timezone, translation

from newsroom.models import NewsRelease
from search.engine import document_sql
from tests.factories import make_initiative, make_release

pytestmark = pytest.mark.django_db

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="full-text search needs PostgreSQL (set DATABASE_URL to a PostgreSQL database)",
)


def search(client, language: str = "en", **params):
    with translation.override(language):
        url = reverse("search:results")
    return client.get(url, params)


def found_titles(response) -> list[str]:
    return [hit.release.title for hit in response.context["hits"]]


def test_search_addresses_are_translated():
    with translation.override("en"):
        assert reverse("search:results") == "/en/search/"
    with translation.override("fr"):
        assert reverse("search:results") == "/fr/recherche/"


@pytest.mark.parametrize(("language", "action"), [("en", "/en/search/"), ("fr", "/fr/recherche/")])
def test_every_page_has_a_search_form(client, reference, language, action):
    with translation.override(language):
        pages = [reverse("home"), reverse("newsroom:list"), reverse("initiatives:list")]
    for page in pages:
        html = client.get(page).content.decode()
        assert f'role="search" method="get" action="{action}"' in html, page
        assert 'for="site-search-q"' in html


def test_title_and_summary_words_are_found_in_each_language(client):
    make_release(title_en="Border security report", title_fr="Rapport sur la sécurité frontalière")
    make_release(title_en="Unrelated", summary_en="A border town festival.", title_fr="Sans lien")
    make_release(title_en="Fisheries", title_fr="Pêches")

    english = search(client, "en", q="border")
    assert english.status_code == 200
    assert set(found_titles(english)) == {"Border security report", "Unrelated"}
    assert "<mark>" in english.content.decode()

    with translation.override("fr"):
        french = search(client, "fr", q="rapport")
        assert found_titles(french) == ["Rapport sur la sécurité frontalière"]


def test_simpler_search_finds_words_in_titles_and_summaries(client):
    make_release(title_en="Cross-border crime forum", summary_en="Ministers met.")
    make_release(title_en="Ministers' statement", summary_en="On the crime forum of the year.")
    make_release(title_en="Fisheries", summary_en="Nothing about it.")
    with mock.patch("search.engine.uses_full_text", return_value=False):
        response = search(client, q="crime forum")
    titles = found_titles(response)
    # Both words in the title ranks first.
    assert titles == ["Cross-border crime forum", "Ministers' statement"]
    assert "<mark>crime</mark>" in response.content.decode()


def test_drafts_and_scheduled_releases_are_never_found(client):
    make_release(title_en="Harbour visible")
    make_release(title_en="Harbour draft", status=NewsRelease.Status.DRAFT)
    embargoed = timezone.now() + dt.timedelta(hours=3)
    make_release(title_en="Harbour embargoed", published_at=embargoed)

    assert found_titles(search(client, q="harbour")) == ["Harbour visible"]
    with time_machine.travel(embargoed + dt.timedelta(minutes=1)):
        assert set(found_titles(search(client, q="harbour"))) == {"Harbour visible", "Harbour embargoed"}


def test_a_query_with_a_null_character_is_refused_with_a_clear_page(client):
    response = search(client, q="border\x00")
    assert response.status_code == 400
    assert "<h1>" in response.content.decode()


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("", "Enter one or more words"),
        ("     ", "Enter one or more words"),
        ("!!! ??? ---", "Enter at least one word"),
        ("border " * 2000, "Your search is too long"),
    ],
)
def test_empty_blank_huge_or_symbol_only_queries_answer_calmly(client, query, message):
    make_release(title_en="Border")
    response = search(client, q=query)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert found_titles(response) == []


def test_calm_answers_are_in_french_on_french_pages(client):
    response = search(client, "fr", q="!!!")
    assert "Entrez au moins un mot" in response.content.decode()


def test_query_markup_is_shown_not_run(client):
    make_release(title_en="Border")
    html = search(client, q='<script>alert("x")</script> border').content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;" in html


def test_filters_by_type_year_and_initiative(client):
    initiative = make_initiative(slug_en="border-teams")
    old = timezone.make_aware(dt.datetime(2005, 5, 18, 10))
    make_release(title_en="Border speech", release_type=NewsRelease.ReleaseType.SPEECH)
    make_release(title_en="Border teams", initiatives=[initiative])
    make_release(title_en="Border archive", published_at=old)

    assert found_titles(search(client, q="border", type="speech")) == ["Border speech"]
    assert found_titles(search(client, q="border", initiative="border-teams")) == ["Border teams"]
    assert found_titles(search(client, q="border", year="2005")) == ["Border archive"]


@pytest.mark.parametrize("params", [{"type": "gossip"}, {"year": "nineteen"}, {"initiative": "no-such-one"}])
def test_unknown_filter_values_are_a_clear_400(client, params):
    response = search(client, q="border", **params)
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()


def test_results_are_paginated(client):
    for n in range(12):
        make_release(title_en=f"Border item {n}")
    first = search(client, q="border")
    assert first.context["total"] == 12
    assert len(first.context["hits"]) == 10
    assert 'rel="next"' in first.content.decode()
    second = search(client, q="border", page="2")
    assert len(second.context["hits"]) == 2
    assert search(client, q="border", page="9").status_code == 404


def test_search_page_is_cacheable_sets_no_cookie_and_is_not_indexed(client):
    response = search(client, q="border")
    assert "public" in response["Cache-Control"]
    assert not response.cookies
    assert '<meta name="robots" content="noindex">' in response.content.decode()


@pytest.mark.postgres
@on_postgresql
def test_accents_are_ignored_in_french(client, reference):
    with translation.override("fr"):
        titles = found_titles(search(client, "fr", q="criminalite"))
    assert titles == [NewsRelease.objects.get(slug_en="cross-border-crime").title_fr]
    assert "criminalité" in titles[0]


@pytest.mark.postgres
@on_postgresql
def test_each_language_uses_its_own_stemming(client):
    make_release(title_en="Crimes at the border", title_fr="Les frontières")
    make_release(title_en="Fisheries", title_fr="Les douaniers surveillent")
    assert found_titles(search(client, "en", q="crime")) == ["Crimes at the border"]
    with translation.override("fr"):
        assert found_titles(search(client, "fr", q="frontière")) == ["Les frontières"]
        assert found_titles(search(client, "fr", q="douanier")) == ["Les douaniers surveillent"]
    # English words are not looked for in the French text.
    assert found_titles(search(client, "en", q="douaniers")) == []


@pytest.mark.postgres
@on_postgresql
def test_title_outranks_summary_outranks_body(client):
    old = timezone.now() - dt.timedelta(days=30)
    make_release(title_en="Other", summary_en="Other", body_en="<p>About smuggling.</p>")
    make_release(title_en="Other too", summary_en="About smuggling.", published_at=old)
    make_release(title_en="Smuggling", published_at=old - dt.timedelta(days=1))
    assert found_titles(search(client, q="smuggling")) == ["Smuggling", "Other too", "Other"]


@pytest.mark.postgres
@on_postgresql
def test_body_text_is_searched_and_highlighted_without_its_markup(client):
    make_release(title_en="Other", body_en="<p>Officers seized <strong>contraband</strong> tobacco.</p>")
    response = search(client, q="contraband")
    snippet = response.context["hits"][0].snippet
    assert "<mark>contraband</mark>" in snippet
    assert "<strong>" not in snippet and "&lt;strong" not in snippet


@pytest.mark.postgres
@on_postgresql
def test_search_uses_the_gin_index(reference):
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        for language, config in (("en", "newsroom_english"), ("fr", "newsroom_french")):
            cursor.execute(
                f"EXPLAIN SELECT id FROM newsroom_newsrelease "
                f"WHERE {document_sql(language)} @@ websearch_to_tsquery('{config}', 'border')"
            )
            plan = "\n".join(row[0] for row in cursor.fetchall())
            assert f"search_release_{language}_idx" in plan
