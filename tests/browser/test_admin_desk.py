"""The admin as the desk uses it, in Chromium: both languages, side by side, history, links, conflicts."""

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

from core.roles import EDITOR, PUBLISHER
from newsroom.models import NewsRelease
from pages.models import Department
from tests.browser.staff_pages import axe_findings, axe_page, axe_violations, axe_violations_within, open_as
from tests.factories import make_release
from tests.staff import admin_paths

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def flagged_draft(**fields) -> NewsRelease:
    return make_release(
        status=NewsRelease.Status.DRAFT, published_at=None, last_updated=None, review_language="fr", **fields
    )


def editor_of(page, field: str):
    return page.locator(f".prose-editor:has(#id_{field}) .tiptap")


def test_side_by_side_view_saves_both_languages(browser, live_server, axe_source):
    release = flagged_draft(body_fr="<p>Ancien texte.</p>")
    staff = open_as(browser, live_server, PUBLISHER, username="media")
    page = staff.page
    url = staff.admin(f"newsroom/newsrelease/{release.pk}/translation/")
    page.goto(staff.admin(f"newsroom/newsrelease/{release.pk}/change/"))
    page.click("a.side-by-side-link")
    page.wait_for_url(url)
    # English and French of each field side by side: the French one to the right.
    english, french = page.locator("#id_title_en").bounding_box(), page.locator("#id_title_fr").bounding_box()
    assert french["x"] > english["x"] + english["width"] and abs(french["y"] - english["y"]) < 2

    page.fill("#id_title_en", "Ministers agree on a border plan")
    body = editor_of(page, "body_fr")
    body.click()
    page.keyboard.press("Control+a")
    page.keyboard.type("Nouveau texte revu.")
    page.click("input[name=_reviewed]")
    page.wait_for_url(staff.admin(f"newsroom/newsrelease/{release.pk}/change/"))
    assert "marked reviewed" in page.locator(".messagelist").inner_text()

    release.refresh_from_db()
    assert release.title_en == "Ministers agree on a border plan"
    assert release.body_fr == "<p>Nouveau texte revu.</p>"
    assert release.review_language == ""
    assert staff.problems() == []
    assert axe_violations(browser, staff, url, axe_source) == []
    staff.close()


def test_the_admin_switches_to_french_and_back_keeping_the_page(browser, live_server):
    call_command("loaddata", "reference", verbosity=0)
    department = Department.current()
    release = flagged_draft()
    staff = open_as(browser, live_server, EDITOR, username="writer")
    page = staff.page
    form_url = staff.admin(f"newsroom/newsrelease/{release.pk}/change/")
    page.goto(form_url)
    assert page.locator("#site-name").inner_text() == department.name_en
    assert page.locator("html").get_attribute("lang") == "en"

    page.click(".language-switch button[lang=fr]")
    page.wait_for_load_state()
    assert page.url == form_url
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.locator("#site-name").inner_text() == department.name_fr
    assert "Modification de communiqué" in page.title()
    # The rich-text editor speaks French too: its toolbar and its link dialog.
    body = editor_of(page, "body_fr")
    body.wait_for()
    toolbar = page.locator(".prose-editor:has(#id_body_fr) .prose-menubar")
    assert toolbar.locator("button[data-name=bold]").get_attribute("title") == "Gras"
    assert (
        toolbar.locator("button[data-name=link]").get_attribute("aria-label") == "Ajouter ou modifier un lien"
    )
    body.click()
    page.keyboard.press("Control+a")
    page.keyboard.press("Control+k")
    assert page.locator("dialog.link-dialog h3").inner_text() == "Ajouter un lien"
    page.keyboard.press("Escape")

    # The choice is the admin's alone: public pages never receive it, so it cannot
    # change their language or what a cache may keep of them.
    cookie = next(c for c in staff.context.cookies() if c["name"] == "django_language")
    assert cookie["value"] == "fr" and cookie["path"] == "/admin/"
    public = page.goto(f"{live_server.url}/en/newsroom/")
    assert "django_language" not in public.request.all_headers().get("cookie", "")
    assert page.locator("html").get_attribute("lang") == "en"
    assert "set-cookie" not in public.headers

    page.goto(form_url)
    page.click(".language-switch button[lang=en]")
    page.wait_for_load_state()
    assert page.url == form_url and page.locator("html").get_attribute("lang") == "en"
    assert staff.problems() == []
    staff.close()


def test_history_page_shows_versions_with_no_policy_violation(browser, live_server, axe_source):
    release = flagged_draft(title_fr="Premier titre")
    staff = open_as(browser, live_server, PUBLISHER, username="media")
    page = staff.page
    page.goto(staff.admin(f"newsroom/newsrelease/{release.pk}/change/"))
    page.locator("li[aria-controls='tab_id_title_fr']").click()
    page.fill("#id_title_fr", "Titre corrigé")
    page.click("input[name=_continue]")
    page.wait_for_load_state()

    history_url = staff.admin(f"newsroom/newsrelease/{release.pk}/history/")
    page.goto(history_url)
    latest = page.locator("#change-history tbody tr").first
    assert "Title (French)" in latest.inner_text()
    assert "Premier titre" in latest.inner_text() and "Titre corrigé" in latest.inner_text()
    latest.locator("a.history-version-link").click()
    page.wait_for_load_state()
    assert page.locator("input[name=_save]").get_attribute("value") == "Restore this version"
    assert staff.problems() == []
    assert axe_violations(browser, staff, history_url, axe_source) == []
    staff.close()


def test_the_link_dialog_refuses_javascript_and_adds_no_empty_title(browser, live_server):
    staff = open_as(browser, live_server, EDITOR, username="writer")
    page = staff.page
    page.goto(staff.admin("newsroom/newsrelease/add/"))
    body = editor_of(page, "body_en")
    body.click()
    page.keyboard.type("Read the guide")
    page.keyboard.press("Control+a")
    page.locator(".prose-editor:has(#id_body_en) button[data-name=link]").click()
    dialog = page.locator("dialog.link-dialog")
    dialog.locator("input[name=href]").fill("javascript:alert(1)")
    dialog.locator("button[type=submit]").click()

    error = dialog.locator(".link-dialog-error")
    assert error.is_visible()
    assert "“javascript:” are not allowed" in error.inner_text()
    assert dialog.is_visible()
    assert dialog.locator("input[name=href]").get_attribute("aria-invalid") == "true"
    assert "<a" not in page.locator("#id_body_en").input_value()

    dialog.locator("input[name=href]").fill("https://example.org/guide")
    dialog.locator("button[type=submit]").click()
    assert not dialog.is_visible()
    assert (
        page.locator("#id_body_en").input_value()
        == '<p><a href="https://example.org/guide">Read the guide</a></p>'
    )
    assert staff.problems() == []
    staff.close()


def test_a_refused_stale_save_opens_on_the_language_edited_with_their_changes(
    browser, live_server, axe_source
):
    release = flagged_draft(summary_fr="Le résumé d’origine.")
    staff = open_as(browser, live_server, EDITOR, username="writer")
    page = staff.page
    page.goto(staff.admin(f"newsroom/newsrelease/{release.pk}/change/"))
    page.locator("li[aria-controls='tab_id_summary_fr']").click()
    page.fill("#id_summary_fr", "Mon résumé.")
    # Meanwhile someone else saves the same summary.
    NewsRelease.objects.filter(pk=release.pk).update(summary_fr="Leur résumé.", version=release.version + 1)
    page.click("input[name=_continue]")
    page.wait_for_load_state()

    report = page.locator(".edit-conflict")
    assert "Summary (French)" in report.inner_text() and "Leur" in report.inner_text()
    assert page.locator("#id_summary_fr").is_visible()
    assert page.locator("#id_summary_fr").input_value() == "Mon résumé."
    assert not page.locator("#id_summary_en").is_visible()
    assert staff.problems() == []
    assert axe_violations_within(page, axe_source, ".edit-conflict") == []
    staff.close()


@pytest.mark.once
def test_no_admin_page_breaks_the_policy_logs_an_error_or_fails_accessibility(
    browser, live_server, axe_source
):
    call_command("loaddata", "reference", verbosity=0)
    release = NewsRelease.objects.get(slug_en="cross-border-crime")
    release.title_fr += " (revu)"
    release.save()
    staff = open_as(browser, live_server, None, username="root")
    page = staff.page
    paths = admin_paths(User.objects.get(username="root"))
    checker = axe_page(browser, staff)
    found = {}
    for language in ("en", "fr"):
        if language == "fr":
            page.goto(staff.admin())
            page.click(".language-switch button[lang=fr]")
            page.wait_for_load_state()
        for path in paths:
            response = page.goto(staff.admin(path))
            page.wait_for_load_state("networkidle")
            assert response.status == 200, (path, response.status)
            if problems := staff.problems():
                found[f"{language} {path}"] = problems
                staff.console.clear()
                page.evaluate("window.__cspViolations = []")
            if language == "en" and (violations := axe_findings(checker, staff.admin(path), axe_source)):
                found[f"axe {path}"] = violations
    checker.context.close()
    assert found == {}
    staff.close()
