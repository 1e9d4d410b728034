"""Whatever a visitor types into an address or a form: never a 500, never markup echoed back."""

from urllib.parse import quote, urlencode

import pytest
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.resolvers import LocalePrefixPattern
from django.utils import translation
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from newsroom.models import NewsRelease

HYPOTHESIS = hypothesis_settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

MARKUP = ['<script>alert("x")</script>', '"><img src=x onerror=alert(1)>', "<b>bold</b>", "'-alert(1)-'"]
QUERY_KEYS = ["page", "type", "initiative", "q", "year", "lang", "format", "topic", "utm_source"]

hostile_text = st.one_of(
    st.text(max_size=40),
    st.sampled_from(MARKUP),
    st.builds(lambda a, b: a + b, st.text(max_size=10), st.sampled_from(MARKUP)),
    st.sampled_from(
        ["-1", "0", "99999999999999999999", "1e9", "NaN", "../../etc/passwd", "%00", "last", " "]
    ),
    # More digits than Python reads as a number (4,300).
    st.integers(min_value=4301, max_value=6000).map(lambda length: "9" * length),
)


def public_url_names() -> list[tuple[str, list[str]]]:
    """Every named URL under the language prefix, with the converters its path takes."""
    found = []

    def walk(patterns, namespace, converters, public):
        for entry in patterns:
            here = {**converters, **entry.pattern.converters}
            inside = public or isinstance(entry.pattern, LocalePrefixPattern)
            if isinstance(entry, URLResolver):
                name = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
                walk(entry.url_patterns, name, here, inside)
            elif isinstance(entry, URLPattern) and entry.name and inside:
                found.append((f"{namespace}{entry.name}", here))

    walk(get_resolver().url_patterns, "", {}, False)
    return sorted((name, sorted(converters.items())) for name, converters in found)


PUBLIC_URLS = public_url_names()


def value_for(converter) -> st.SearchStrategy:
    """What goes in a path segment: plausible values of its kind, and anything at all."""
    kind = type(converter).__name__
    if kind in {"IntConverter", "YearConverter"}:
        plausible = st.one_of(
            st.integers(min_value=-1, max_value=10**25).map(str),
            st.sampled_from(["2005", "0", "02005", "9999"]),
        )
    elif kind == "SlugConverter":
        plausible = st.one_of(
            st.from_regex(r"[-a-zA-Z0-9_]{1,60}", fullmatch=True), st.sampled_from(["cross-border-crime"])
        )
    else:
        plausible = st.text(min_size=1, max_size=20)
    return st.one_of(plausible, hostile_text.filter(lambda text: text.strip("./") != ""))


SENTINELS = {"IntConverter": "4321", "YearConverter": "4321", "SlugConverter": "sentinel-value"}


def path_with(name: str, language: str, converters, values: dict[str, str]) -> str:
    """The address of `name` with each of its path segments replaced by a raw value."""
    with translation.override(language):
        path = reverse(
            name, kwargs={key: SENTINELS.get(type(conv).__name__, "x") for key, conv in converters}
        )
    for key, conv in converters:
        sentinel = SENTINELS.get(type(conv).__name__, "x")
        path = path.replace(f"/{sentinel}/", f"/{quote(values[key], safe='')}/", 1)
    return path


def assert_safe(response, inputs):
    assert response.status_code < 500, (response.status_code, inputs)
    body = response.content.decode(errors="replace")
    for value in inputs:
        if any(mark in value for mark in ("<", '"', "'")) and len(value) > 3:
            assert value not in body, f"echoed unescaped: {value!r}"


def test_every_public_page_is_covered():
    names = {name for name, _converters in PUBLIC_URLS}
    assert {"home", "newsroom:list", "newsroom:year", "newsroom:release"} <= names


@pytest.mark.parametrize("language", [code for code, _name in settings.LANGUAGES])
@pytest.mark.parametrize(("name", "converters"), PUBLIC_URLS, ids=[name for name, _c in PUBLIC_URLS])
def test_hostile_path_values_and_queries_never_break_a_page(client, reference, language, name, converters):
    @HYPOTHESIS
    @given(
        values=st.fixed_dictionaries({key: value_for(conv) for key, conv in converters}),
        query=st.dictionaries(st.sampled_from(QUERY_KEYS), hostile_text, max_size=3),
    )
    def check(values, query):
        response = client.get(path_with(name, language, converters, values), query)
        assert_safe(response, [*values.values(), *query.values()])

    check()


@pytest.mark.parametrize(
    "prefix", ["/en/newsroom/", "/fr/salle-de-presse/", "/en/initiatives/", "/fr/pages/"]
)
@HYPOTHESIS
@given(
    segments=st.lists(hostile_text.filter(lambda text: text not in {"", ".", ".."}), min_size=1, max_size=3)
)
def test_hostile_path_segments_give_a_clear_answer(client, reference, prefix, segments):
    path = prefix + "/".join(quote(segment, safe="") for segment in segments) + "/"
    response = client.get(path)
    assert_safe(response, segments)


@HYPOTHESIS
@given(query=st.dictionaries(st.sampled_from(QUERY_KEYS), hostile_text, min_size=1, max_size=4))
def test_hostile_queries_on_the_newsroom_in_both_languages(client, reference, query):
    for path in ("/en/newsroom/", "/fr/salle-de-presse/"):
        response = client.get(f"{path}?{urlencode(query)}")
        assert_safe(response, list(query.values()))


API_QUERY_KEYS = ["page", "page_size", "year", "initiative", "type", "language", "updated_since"]


@pytest.mark.parametrize("path", ["/api/releases/", "/api/initiatives/", "/api/media-contacts/"])
@HYPOTHESIS
@given(query=st.dictionaries(st.sampled_from(API_QUERY_KEYS), hostile_text, min_size=1, max_size=3))
def test_hostile_queries_on_the_api_get_a_json_answer(client, reference, path, query):
    response = client.get(path, query)
    assert response.status_code in {200, 400, 404}, (response.status_code, query)
    assert response["Content-Type"].startswith("application/json")


@pytest.mark.parametrize("path", ["/api/releases/", "/api/initiatives/", "/api/media-contacts/"])
@pytest.mark.parametrize("name", ["page", "page_size"])
def test_a_five_thousand_digit_number_is_a_clear_400_on_the_api(client, reference, path, name):
    response = client.get(path, {name: "9" * 5000})
    assert response.status_code == 400
    assert name in response.json()["fields"]


@pytest.mark.parametrize("path", ["/en/newsroom/", "/fr/salle-de-presse/2005/", "/en/search/?q=border&"])
def test_a_five_thousand_digit_page_number_is_not_found(client, reference, path):
    separator = "" if path.endswith("&") else "?"
    assert client.get(f"{path}{separator}page={'9' * 5000}").status_code == 404


def test_a_release_page_with_a_hostile_query_still_answers(client, reference):
    release = NewsRelease.objects.get(slug_en="cross-border-crime")
    response = client.get(release.get_absolute_url(), {"q": MARKUP[0]})
    assert response.status_code == 200
    assert MARKUP[0] not in response.content.decode()


def test_an_overlong_address_is_refused(client, db):
    response = client.get("/en/newsroom/" + "a" * (settings.MAX_URL_LENGTH + 1) + "/")
    assert response.status_code == 414
    assert "Address too long" in response.content.decode()


def test_an_overlong_query_is_refused_in_french_for_a_french_page(client, db):
    response = client.get("/fr/salle-de-presse/", {"q": "x" * (settings.MAX_QUERY_STRING_LENGTH + 1)})
    assert response.status_code == 414
    assert "Adresse trop longue" in response.content.decode()


def test_a_nul_character_in_the_query_is_refused(client, db):
    response = client.get("/en/newsroom/?initiative=%00abc")
    assert response.status_code == 400
    assert "Bad request" in response.content.decode()


def test_an_oversized_body_is_refused_before_it_is_read(client, db):
    response = client.generic(
        "POST",
        f"/{settings.ADMIN_URL}login/",
        b"x" * 16,
        content_type="application/x-www-form-urlencoded",
        CONTENT_LENGTH=str(settings.DATA_UPLOAD_MAX_MEMORY_SIZE * 3),
    )
    assert response.status_code == 413
    assert "Request too large" in response.content.decode()


def test_a_body_over_the_form_limit_is_refused(client, db):
    body = "username=" + "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 10)
    response = client.generic(
        "POST", f"/{settings.ADMIN_URL}login/", body, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code in {400, 413}


def test_too_many_form_fields_are_refused(client, db):
    body = "&".join(f"f{n}=1" for n in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 5))
    response = client.generic(
        "POST", f"/{settings.ADMIN_URL}login/", body, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 400


@pytest.mark.parametrize("year", ["0", "02005", "9999", "123456789012345678901234567890"])
def test_a_year_that_is_not_four_digits_of_a_real_date_is_not_found(client, reference, year):
    assert client.get(f"/en/newsroom/{year}/").status_code == 404
    assert client.get(f"/fr/salle-de-presse/{year}/criminalite-transfrontaliere/").status_code == 404


def test_the_print_view_keeps_its_french_address(client, reference):
    release = NewsRelease.objects.get(slug_en="cross-border-crime")
    with translation.override("fr"):
        url = release.get_print_url()
    assert url == "/fr/salle-de-presse/2005/criminalite-transfrontaliere/imprimer/"
    assert client.get(url).status_code == 200
