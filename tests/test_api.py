"""The read-only JSON API: public releases only, both languages, cacheable, open to any origin."""

import datetime as dt
import json

import pytest
import schemathesis
import time_machine
from django.core import signals
from django.core.serializers.json import DjangoJSONEncoder
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, settings

from newsroom.models import NewsRelease
from tests.factories import make_contact, make_initiative, make_release

pytestmark = pytest.mark.django_db


def get(client, path: str, **params):
    return client.get(path, params, HTTP_ACCEPT="application/json")


def titles(response) -> list[str]:
    return [item["translations"]["en"]["title"] for item in response.json()["results"]]


def test_release_list_gives_both_languages_and_absolute_public_urls(client, reference):
    response = get(client, "/api/releases/")
    assert response.status_code == 200
    [release] = response.json()["results"]
    assert release["type"] == "news_release"
    assert release["published_at"].startswith("2005-05-18")
    assert release["last_updated"] == "2005-09-19"
    english, french = release["translations"]["en"], release["translations"]["fr"]
    assert english["title"] == "Canada-U.S. cooperation to tackle cross-border crime"
    assert "criminalité" in french["title"]
    assert english["url"] == "http://127.0.0.1:8000/en/newsroom/2005/cross-border-crime/"
    assert french["url"] == "http://127.0.0.1:8000/fr/salle-de-presse/2005/criminalite-transfrontaliere/"
    assert len(release["initiatives"]) == 7 and len(release["media_contacts"]) == 1


def test_release_detail_has_a_stable_id(client, reference):
    listed = get(client, "/api/releases/").json()["results"][0]
    detail = get(client, f"/api/releases/{listed['id']}/")
    assert detail.status_code == 200
    assert detail.json() == listed


def test_drafts_and_scheduled_releases_are_not_in_the_api(client):
    make_release(title_en="Visible")
    draft = make_release(title_en="Draft", status=NewsRelease.Status.DRAFT)
    embargoed_at = timezone.now() + dt.timedelta(hours=1)
    embargoed = make_release(title_en="Embargoed", published_at=embargoed_at)

    assert titles(get(client, "/api/releases/")) == ["Visible"]
    assert get(client, f"/api/releases/{draft.pk}/").status_code == 404
    assert get(client, f"/api/releases/{embargoed.pk}/").status_code == 404
    with time_machine.travel(embargoed_at + dt.timedelta(minutes=1)):
        assert titles(get(client, "/api/releases/")) == ["Embargoed", "Visible"]
        assert get(client, f"/api/releases/{embargoed.pk}/").status_code == 200


def test_release_filters_by_type_initiative_year_and_updated_since(client):
    initiative = make_initiative()
    old = timezone.make_aware(dt.datetime(2005, 5, 18, 10))
    make_release(title_en="Speech", release_type=NewsRelease.ReleaseType.SPEECH)
    make_release(title_en="About it", initiatives=[initiative])
    archive = make_release(title_en="Old", published_at=old)
    NewsRelease.objects.filter(pk=archive.pk).update(modified_at=old)

    assert titles(get(client, "/api/releases/", type="speech")) == ["Speech"]
    assert titles(get(client, "/api/releases/", initiative=initiative.pk)) == ["About it"]
    assert titles(get(client, "/api/releases/", year=2005)) == ["Old"]
    since = (timezone.now() - dt.timedelta(days=7)).isoformat()
    assert set(titles(get(client, "/api/releases/", updated_since=since))) == {"Speech", "About it"}
    assert titles(get(client, "/api/releases/", initiative=initiative.pk + 1000)) == []


def test_updated_since_includes_releases_that_became_public_after_their_last_save(client):
    saved_at = timezone.now()
    publish_at = saved_at + dt.timedelta(hours=2)
    make_release(title_en="Scheduled", published_at=publish_at)
    with time_machine.travel(publish_at + dt.timedelta(minutes=5)):
        since = (publish_at - dt.timedelta(minutes=1)).isoformat()
        assert titles(get(client, "/api/releases/", updated_since=since)) == ["Scheduled"]


@pytest.mark.parametrize("moment", ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-12:00", "2005-09-19"])
def test_far_or_plain_dates_for_updated_since_are_understood(client, moment):
    make_release()
    response = get(client, "/api/releases/", updated_since=moment)
    assert response.status_code == 200
    assert response.json()["count"] == (0 if moment.startswith("9999") else 1)


def test_language_parameter_keeps_only_that_language(client):
    make_release()
    item = get(client, "/api/releases/", language="fr").json()["results"][0]
    assert list(item["translations"]) == ["fr"]
    assert item["translations"]["fr"]["title"].startswith("Communiqué")


@pytest.mark.parametrize(
    "params",
    [
        {"type": "gossip"},
        {"year": "twenty"},
        {"year": "99999"},
        {"initiative": "-3"},
        {"initiative": "9" * 40},
        {"language": "de"},
        {"updated_since": "yesterday"},
        {"page": "0"},
        {"page": "abc"},
        {"page_size": "1000"},
    ],
)
def test_bad_parameters_give_a_clear_json_400(client, params):
    make_release()
    response = get(client, "/api/releases/", **params)
    assert response.status_code == 400
    body = response.json()
    assert body["error"] == "Some parameters are not valid."
    assert set(body["fields"]) == set(params)


def test_errors_follow_the_readers_language(client):
    response = client.get("/api/releases/", {"type": "gossip"}, HTTP_ACCEPT_LANGUAGE="fr")
    assert response.json()["error"] == "Certains paramètres ne sont pas valides."


def test_pagination_edges(client):
    for n in range(5):
        make_release(title_en=f"Release {n}")
    first = get(client, "/api/releases/", page_size=2).json()
    assert first["count"] == 5 and len(first["results"]) == 2
    assert first["previous"] is None and "page=2" in first["next"]
    last = get(client, "/api/releases/", page_size=2, page=3).json()
    assert len(last["results"]) == 1 and last["next"] is None
    beyond = get(client, "/api/releases/", page_size=2, page=4)
    assert beyond.status_code == 404
    assert "error" in beyond.json()


def test_empty_list_is_a_200_with_no_results(client):
    body = get(client, "/api/releases/").json()
    assert body == {"count": 0, "next": None, "previous": None, "results": []}


@pytest.mark.parametrize(
    "path", ["/api/releases/999999/", "/api/releases/99999999999999999999999/", "/api/nothing"]
)
def test_unknown_records_and_addresses_are_json_404s(client, path):
    response = get(client, path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json()["error"]


def test_initiatives_and_media_contacts_in_both_languages(client):
    initiative = make_initiative(name_en="Border teams", name_fr="Équipes frontalières", slug_fr="equipes")
    contact = make_contact()
    initiatives = get(client, "/api/initiatives/").json()["results"]
    assert initiatives[0]["id"] == initiative.pk
    assert initiatives[0]["translations"]["fr"]["name"] == "Équipes frontalières"
    assert initiatives[0]["translations"]["fr"]["url"].endswith("/fr/initiatives/equipes/")
    assert get(client, f"/api/initiatives/{initiative.pk}/").json()["id"] == initiative.pk

    contacts = get(client, "/api/media-contacts/").json()["results"]
    assert contacts[0]["phone"] == "(613) 991-0657"
    assert contacts[0]["translations"]["fr"]["organisation"] == "Relations avec les médias"
    detail = get(client, f"/api/media-contacts/{contact.pk}/")
    assert detail.status_code == 200 and detail["Last-Modified"]


@pytest.mark.parametrize("path", ["/api/releases/", "/api/initiatives/", "/api/media-contacts/"])
def test_conditional_get_answers_304(client, reference, path):
    make_contact()  # contacts date their changes by their history, which loaddata does not write
    first = get(client, path)
    assert first["ETag"] and first["Last-Modified"]
    assert "public" in first["Cache-Control"]
    again = client.get(path, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert again["ETag"] == first["ETag"]
    since = client.get(path, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert since.status_code == 304


def test_a_change_gives_a_new_etag(client, reference):
    first = get(client, "/api/releases/")
    make_release()
    again = client.get("/api/releases/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 200
    assert again["ETag"] != first["ETag"]


def test_any_origin_may_read_but_not_write(client, reference):
    response = client.get("/api/releases/", HTTP_ORIGIN="https://example.org")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS"
    preflight = client.options(
        "/api/releases/", HTTP_ORIGIN="https://example.org", HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET"
    )
    assert preflight.status_code == 200
    assert preflight["Access-Control-Allow-Origin"] == "*"
    assert client.head("/api/releases/")["Access-Control-Allow-Origin"] == "*"
    assert client.post("/api/releases/", {}).status_code == 405
    assert client.delete("/api/releases/1/").status_code == 405


def test_api_sets_no_cookie(client, reference):
    assert not get(client, "/api/releases/").cookies


def test_openapi_schema_is_served(client):
    response = client.get("/api/schema/")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert {"/api/releases/", "/api/releases/{id}/", "/api/initiatives/", "/api/media-contacts/"} <= set(
        schema["paths"]
    )
    names = {parameter["name"] for parameter in schema["paths"]["/api/releases/"]["get"]["parameters"]}
    assert {"type", "initiative", "year", "language", "updated_since", "page", "page_size"} <= names


def generated_schema() -> dict:
    # The schema as a JSON document, built without a request or a database,
    # so that schemathesis can read it when this module is collected.
    document = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(json.dumps(document, cls=DjangoJSONEncoder))


def test_served_schema_is_the_one_fuzzed_below(client):
    assert client.get("/api/schema/").json() == generated_schema()


schema = schemathesis.openapi.from_dict(generated_schema())
schema.app = get_wsgi_application()


@pytest.fixture
def api_records(db):
    initiative = make_initiative()
    make_release(initiatives=[initiative], media_contacts=[make_contact()])
    make_release(release_type=NewsRelease.ReleaseType.SPEECH)
    # Requests go through the real WSGI handler, which would close the test's
    # database connection at the end of each one; Django's test client keeps
    # it open the same way.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(max_examples=10, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_schema(api_records, case):
    case.call_and_validate()


def test_a_request_refused_before_any_view_still_answers_in_json(client):
    response = client.get("/api/releases/", {"language": "en\x00"})
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json()["error"]
