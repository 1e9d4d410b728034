"""Staff write release bodies in a rich-text editor, in both languages, under the site's policy."""

import pytest
from django.conf import settings

from newsroom.models import NewsRelease
from tests.browser import test_admin_csp
from tests.browser.test_admin_csp import assert_no_violation, sign_in

# The signed-in page with its policy-violation watcher, shared with the admin's CSP tests.
admin_page = test_admin_csp.admin_page

pytestmark = pytest.mark.browser


def body_editor(page, field: str):
    return page.locator(f".prose-editor:has(#id_{field}) .tiptap")


def write(page, field: str, heading: str, bold: str, rest: str) -> None:
    """A heading through the editor's Markdown shortcut, then a paragraph with a bold word."""
    editor = body_editor(page, field)
    editor.click()
    page.keyboard.type(f"## {heading}")
    page.keyboard.press("Enter")
    page.keyboard.press("Control+b")
    page.keyboard.type(bold)
    page.keyboard.press("Control+b")
    page.keyboard.type(rest)


@pytest.mark.django_db(transaction=True)
def test_release_body_is_written_in_the_editor_in_both_languages(admin_page, live_server):
    page = admin_page
    sign_in(page, live_server)
    page.goto(f"{live_server.url}/{settings.ADMIN_URL}newsroom/newsrelease/add/")
    body_editor(page, "body_en").wait_for()
    assert page.locator(".prose-editor:has(#id_body_en) .prose-menubar").is_visible()

    # The slugs are filled from the titles by the admin's own script.
    page.fill("#id_title_en", "Ministers meet on border security")
    page.fill("#id_summary_en", "Ministers met today.")
    page.fill("#id_dateline_en", "OTTAWA")
    write(page, "body_en", "Border plan", "Urgent", " talks began.")

    for field, value in [
        ("title_fr", "Les ministres se réunissent"),
        ("summary_fr", "Les ministres se sont réunis."),
        ("dateline_fr", "OTTAWA"),
    ]:
        page.locator(f"li[aria-controls='tab_id_{field}']").click()
        page.fill(f"#id_{field}", value)
    page.locator("li[aria-controls='tab_id_body_fr']").click()
    assert body_editor(page, "body_fr").is_visible()
    assert not body_editor(page, "body_en").is_visible()
    write(page, "body_fr", "Plan frontalier", "Urgent", " : les discussions ont commencé.")

    page.click("input[name=_save]")
    page.wait_for_url(f"{live_server.url}/{settings.ADMIN_URL}newsroom/newsrelease/")
    release = NewsRelease.objects.get(slug_en="ministers-meet-on-border-security")
    assert release.body_en == "<h2>Border plan</h2><p><strong>Urgent</strong> talks began.</p>"
    assert release.body_fr == (
        "<h2>Plan frontalier</h2><p><strong>Urgent</strong> : les discussions ont commencé.</p>"
    )
    assert_no_violation(page)
