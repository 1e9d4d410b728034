"""Send this page in a real browser, with the keyboard only."""

import os

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import translation

from newsroom.models import NewsRelease

# Playwright's sync API runs an event loop in this thread; the ORM calls of the test are safe here.
# The browser and its page come from tests/browser/conftest.py, which skips without Chromium.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = pytest.mark.browser


@pytest.fixture
def release_path(transactional_db) -> dict[str, str]:
    """The reference release's address in each language, read before the test drives the browser."""
    call_command("loaddata", "reference", verbosity=0)
    release = NewsRelease.objects.get(slug_en="cross-border-crime")
    paths = {}
    for language in ("en", "fr"):
        with translation.override(language):
            paths[language] = release.get_absolute_url()
    return paths


def focused(page) -> dict:
    return page.evaluate(
        "() => ({id: document.activeElement.id, text: document.activeElement.textContent.trim(),"
        " tag: document.activeElement.tagName})"
    )


def tab_to(page, matches, limit: int = 80) -> None:
    """Press Tab until the focused element matches, as a keyboard user would."""
    for _n in range(limit):
        page.keyboard.press("Tab")
        if matches(focused(page)):
            return
    raise AssertionError(f"never reached by Tab; focus ended on {focused(page)}")


def test_reader_sends_a_release_with_the_keyboard_only(release_path, live_server, page):
    page.goto(live_server.url + release_path["en"])
    tab_to(page, lambda el: el["text"] == "Send this page")
    page.keyboard.press("Enter")
    page.wait_for_selector("h1:text('Send this page')")

    tab_to(page, lambda el: el["id"] == "id_sender_name")
    page.keyboard.type("Ann Smith")
    page.keyboard.press("Tab")
    assert focused(page)["id"] == "id_sender_email"
    page.keyboard.type("ann@example.org")
    page.keyboard.press("Tab")
    assert focused(page)["id"] == "id_recipient"
    page.keyboard.type("bob@example.net")
    page.keyboard.press("Tab")
    # The robots' trap is out of the way: the next stop is the button.
    assert focused(page)["text"] == "Send the page"
    page.keyboard.press("Enter")

    page.wait_for_selector("h1:text('Page sent')")
    assert focused(page)["id"] == "confirmation"
    assert page.get_by_role("link", name="Return to").get_attribute("href") == release_path["en"]
    [message] = mail.outbox
    assert message.to == ["bob@example.net"] and message.reply_to == ["ann@example.org"]


def test_errors_put_focus_on_the_summary_which_leads_to_each_field_in_french(release_path, live_server, page):
    page.goto(f"{live_server.url}/fr/envoyer/?page={release_path['fr']}")
    tab_to(page, lambda el: el["id"] == "id_sender_name")
    page.keyboard.type("Ann Smith")
    page.keyboard.press("Tab")
    page.keyboard.type("pas une adresse")
    tab_to(page, lambda el: el["text"] == "Envoyer la page")
    page.keyboard.press("Enter")

    page.wait_for_selector("#error-summary")
    assert focused(page)["id"] == "error-summary"
    assert page.title().startswith("Erreur")
    page.keyboard.press("Tab")
    assert focused(page)["text"] == "Entrez votre adresse courriel sous la forme nom@exemple.com."
    page.keyboard.press("Enter")
    assert focused(page)["id"] == "id_sender_email"
    described_by = page.locator("#id_sender_email").get_attribute("aria-describedby")
    assert "nom@exemple.com" in page.locator(f"#{described_by}").inner_text()
    assert page.locator("#id_sender_name").input_value() == "Ann Smith"
    assert mail.outbox == []
