"""The admin's forms give rich-text bodies the editor, in both languages."""

import pytest
from bs4 import BeautifulSoup
from django.templatetags.static import static
from django.urls import reverse

from newsroom.models import NewsRelease
from tests.factories import make_initiative, make_page, make_release
from tests.staff import NEW_RELEASE, add_url, changelist_url, release_form_data

EDITOR_SCRIPT = static("js/richtext-editor.js")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("make", "url_name"),
    [
        (make_release, "admin:newsroom_newsrelease_change"),
        (make_initiative, "admin:initiatives_initiative_change"),
        (make_page, "admin:pages_standardpage_change"),
    ],
)
def test_change_form_renders_the_editor_for_both_bodies(staff_client, make, url_name):
    item = make(body_en="<h2>Plan</h2><p>Text.</p>", body_fr="<h2>Plan</h2><p>Texte.</p>")

    response = staff_client.get(reverse(url_name, args=[item.pk]))

    soup = BeautifulSoup(response.content, "html.parser")
    for field, text in (("body_en", "Text."), ("body_fr", "Texte.")):
        textarea = soup.find("textarea", id=f"id_{field}")
        assert textarea["data-rich-text-editor"] == static("django_prose_editor/editor.js")
        assert text in textarea.get_text()
    scripts = soup.find_all("script", src=EDITOR_SCRIPT)
    assert [script["type"] for script in scripts] == ["module"]
    # Every script is a file of the site's: nothing inline for the policy to refuse.
    assert not [script for script in soup.find_all("script") if not script.get("src")]


@pytest.mark.django_db
def test_body_posted_as_plain_form_fields_is_saved_sanitised(staff_client):
    data = release_form_data(
        publisher=True, body_en='<h2>Plan</h2><p onclick="x()">Text <script>alert(1)</script></p>'
    )

    response = staff_client.post(add_url(), data)

    assert response.status_code == 302 and response.url == changelist_url()
    release = NewsRelease.objects.get(slug_en=NEW_RELEASE["slug_en"])
    assert release.body_en == "<h2>Plan</h2><p>Text </p>"
