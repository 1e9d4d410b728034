"""The publishing desk in a real browser: an editor submits, a publisher schedules, the minute comes.

Every page is watched: a Content-Security-Policy violation, a script error or
an error on the console fails the test.
"""

import datetime as dt
import io
import json
import re
import subprocess
import time

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from newsroom import services
from newsroom.models import NewsRelease
from newsroom.publication_time import PUBLICATION_TIME_ZONE
from tests.browser.test_accessibility import axe_violations
from tests.browser.test_admin_csp import WATCH_VIOLATIONS
from tests.browser.test_admin_editor import write
from tests.factories import make_release
from tests.staff import EDITOR, PASSWORD, PUBLISHER, make_staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


class Watched:
    """A signed-in browser page whose console and policy violations are kept."""

    def __init__(self, page, base: str):
        self.page, self.base, self.console = page, base, []
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.console.append(f"pageerror: {error}"))

    def _console(self, message):
        # The browser asks for /favicon.ico by itself; what the pages load is what is checked.
        if message.type == "error" and message.location.get("url", "").endswith("/favicon.ico"):
            return
        if message.type in {"error", "warning"} or "Content Security Policy" in message.text:
            self.console.append(f"{message.type}: {message.text}")

    def admin(self, path: str = "") -> str:
        return f"{self.base}/{settings.ADMIN_URL}{path}"

    def assert_quiet(self):
        violations = self.page.evaluate("window.__cspViolations || []")
        assert violations == [] and self.console == [], (violations, self.console)


@pytest.fixture
def staff(live_server, settings):
    # The live server speaks plain HTTP; production cookies are HTTPS-only.
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False
    call_command("setup_roles", stdout=io.StringIO())
    return {"editor": make_staff(EDITOR, "ann"), "publisher": make_staff(PUBLISHER, "pat")}


@pytest.fixture
def open_as(browser, live_server, staff):
    contexts = []

    def open_as(username: str, *, locale: str = "en-CA", bypass_csp: bool = False) -> Watched:
        context = browser.new_context(
            locale=locale, viewport={"width": 1280, "height": 900}, bypass_csp=bypass_csp
        )
        context.add_init_script(WATCH_VIOLATIONS)
        contexts.append(context)
        watched = Watched(context.new_page(), live_server.url)
        page = watched.page
        page.goto(watched.admin("login/"))
        page.fill("#id_username", username)
        page.fill("#id_password", PASSWORD)
        page.click("input[type=submit]")
        page.wait_for_url(watched.admin())
        return watched

    yield open_as
    for context in contexts:
        context.close()


def section(page, key: str):
    return page.locator(f"#desk-{key}")


def editor_submits_a_release(ann: Watched) -> NewsRelease:
    """Ann writes a release in both languages on the add form and submits it for review."""
    page = ann.page
    page.goto(ann.admin("newsroom/newsrelease/add/"))
    page.locator(".prose-editor:has(#id_body_en) .tiptap").wait_for()
    # The slugs are filled from the titles by the admin's own script.
    page.fill("#id_title_en", "Ministers meet on border security")
    page.fill("#id_summary_en", "Ministers met today.")
    write(page, "body_en", "Border plan", "Urgent", " talks began.")
    for field, value in [
        ("title_fr", "Les ministres se réunissent"),
        ("summary_fr", "Les ministres se sont réunis."),
    ]:
        page.locator(f"li[aria-controls='tab_id_{field}']").click()
        page.fill(f"#id_{field}", value)
    page.locator("li[aria-controls='tab_id_body_fr']").click()
    write(page, "body_fr", "Plan frontalier", "Urgent", " : les discussions ont commencé.")
    # An editor is offered the review, never publishing.
    assert page.locator("button[name=_desk]").all_inner_texts() == ["Submit for review"]

    page.click("button[value=submit_for_review]")
    page.wait_for_selector("h1:text('Submit for review?')")
    assert "goes to the publishers’ review queue" in page.locator(".desk-explain").inner_text()
    assert page.locator(".desk-languages").inner_text().split("\n") == [
        "English: complete",
        "French: complete",
    ]
    page.click("text=Yes, submit for review")
    page.wait_for_selector(".messagelist")
    assert "was submitted for review" in page.locator(".messagelist").inner_text()
    assert "Awaiting review by a publisher" in page.locator(".field-current_state").inner_text()
    ann.assert_quiet()
    release = NewsRelease.objects.get(slug_en="ministers-meet-on-border-security")
    assert release.status == NewsRelease.Status.IN_REVIEW
    return release


@pytest.mark.minute
def test_an_editor_submits_a_release_a_publisher_schedules_it_from_the_desk_and_it_goes_live(
    open_as, browser
):
    release = editor_submits_a_release(open_as("ann"))

    pat = open_as("pat")
    page = pat.page
    awaiting = section(page, "awaiting-review")
    assert "Ministers meet on border security" in awaiting.inner_text()
    assert "Submitted by ann" in awaiting.inner_text()
    awaiting.get_by_role("link", name="Schedule…").click()
    page.wait_for_selector("h1:text('Schedule for a minute to come?')")

    # The next whole minute at least half a minute away: the wait stays under 90 seconds.
    minute = services.to_the_minute(timezone.now() + dt.timedelta(seconds=89))
    typed = f"{timezone.localtime(minute, PUBLICATION_TIME_ZONE):%Y-%m-%d %H:%M}"
    page.fill("#id_at", typed)
    page.click("text=Yes, schedule")
    page.wait_for_selector(".messagelist")
    message = page.locator(".messagelist").inner_text()
    assert re.search(rf"Scheduled for {typed} E[SD]T \(in (\d+\xa0min|less than a minute)\)", message), (
        message
    )

    # The desk now shows it under Coming up, with its time, its countdown and its languages.
    page.goto(pat.admin())
    coming = section(page, "coming-up")
    assert "Ministers meet on border security" in coming.locator("tbody tr").first.inner_text()
    assert typed in coming.inner_text()
    countdown = coming.locator("[data-countdown-to]").first
    assert re.fullmatch(r"in (\d+\xa0min|less than a minute)|now", countdown.inner_text())
    assert "English: complete" in coming.inner_text() and "French: complete" in coming.inner_text()
    pat.assert_quiet()

    # A reader who reloads: the browser asks the site every time, and the site answers exactly.
    reader = browser.new_context(extra_http_headers={"Cache-Control": "no-cache"})
    public = reader.new_page()
    release.refresh_from_db()
    assert release.published_at == minute
    year = timezone.localtime(minute, PUBLICATION_TIME_ZONE).year
    address = f"{pat.base}/en/newsroom/{year}/ministers-meet-on-border-security/"
    while True:
        status = public.goto(address).status
        answered = timezone.now()
        if answered >= minute:
            break
        assert status == 404, f"public at {answered}, before its minute {minute}"
        time.sleep(0.5)
    deadline = minute + dt.timedelta(seconds=2)
    while status != 200 and timezone.now() < deadline:
        time.sleep(0.2)
        status = public.goto(address).status
    assert status == 200, "not public two seconds after its minute"
    assert "Ministers meet on border security" in public.locator("h1").inner_text()
    reader.close()

    page.reload()
    assert section(page, "coming-up").locator("tbody tr").count() == 0
    assert "Ministers meet on border security" in section(page, "recently-published").inner_text()
    pat.assert_quiet()


def test_the_french_desk_and_its_pages_keep_to_the_policy(open_as, staff):
    release = make_release(title_fr="Budget frontalier", status=NewsRelease.Status.DRAFT, published_at=None)
    services.submit_for_review(release=release, by=staff["editor"])
    pat = open_as("pat", locale="fr-CA")
    page = pat.page
    assert page.locator("h1").inner_text() == "Pupitre de publication"
    section(page, "awaiting-review").get_by_role("link", name="Renvoyer…").click()
    page.wait_for_selector("h1:text('Renvoyer à la rédaction')")
    page.fill("#id_comment", "Il manque la citation du ministre.")
    page.click("text=Oui, renvoyer")
    page.wait_for_selector(".messagelist")
    assert "renvoyé à la rédaction" in page.locator(".messagelist").inner_text()
    page.goto(pat.admin("newsroom/newsrelease/"))
    page.goto(pat.admin(f"newsroom/newsrelease/{release.pk}/change/"))
    assert "Il manque la citation du ministre." in page.locator(".field-review_comment").inner_text()
    pat.assert_quiet()


def test_publishing_from_the_form_with_no_time_gives_a_field_error_with_now_filled_in(open_as):
    release = make_release(status=NewsRelease.Status.DRAFT, published_at=None, last_updated=None)
    pat = open_as("pat")
    page = pat.page
    page.goto(pat.admin(f"newsroom/newsrelease/{release.pk}/change/"))
    page.select_option("#id_status", "published")
    assert page.locator("#id_published_at_0").input_value() == ""
    page.click("input[name=_save]")
    error = page.locator(".field-published_at .errorlist")
    error.wait_for()
    assert "A published release needs its publication time" in error.inner_text()
    now = timezone.localtime(timezone.now(), PUBLICATION_TIME_ZONE)
    assert page.locator("#id_published_at_0").input_value() == f"{now:%Y-%m-%d}"
    assert re.fullmatch(r"\d\d:\d\d:00", page.locator("#id_published_at_1").input_value())
    assert "Constraint" not in page.content()
    release.refresh_from_db()
    assert release.status == NewsRelease.Status.DRAFT
    pat.assert_quiet()


def test_the_schedule_action_with_a_bad_time_names_it_and_keeps_it(open_as):
    release = make_release(title_en="Fisheries update", status=NewsRelease.Status.DRAFT, published_at=None)
    pat = open_as("pat")
    page = pat.page
    page.goto(pat.admin("newsroom/newsrelease/"))
    page.check(f"input[name=_selected_action][value='{release.pk}']")
    page.select_option("select[name=action]", "schedule")
    page.fill("input[name=publish_at]", "2026-12-04 9h")
    page.click("button[name=index]")
    page.wait_for_selector("h1:text('Schedule for a minute to come?')")
    assert "No action selected" not in page.content()
    error = page.locator(".field-at .errorlist, .errors .errorlist").first
    assert "“2026-12-04 9h” is not a time we can read" in error.inner_text()
    assert page.locator("#id_at").input_value() == "2026-12-04 9h"
    assert page.locator("#id_at").get_attribute("aria-invalid") == "true"
    page.click("text=Yes, schedule")
    page.wait_for_selector(".errornote")
    assert page.locator("#id_at").input_value() == "2026-12-04 9h"
    release.refresh_from_db()
    assert release.status == NewsRelease.Status.DRAFT
    pat.assert_quiet()


@pytest.mark.parametrize(("language", "locale"), [("en", "en-CA"), ("fr", "fr-CA")])
def test_the_desk_pages_have_no_wcag_violation(open_as, staff, axe_source, language, locale):
    soon = timezone.now() + dt.timedelta(hours=3)
    make_release(title_en="Coming release", published_at=soon, review_language="fr")
    queued = make_release(title_en="Queued release", status=NewsRelease.Status.DRAFT, published_at=None)
    services.submit_for_review(release=queued, by=staff["editor"])
    make_release(title_en="Half written", status=NewsRelease.Status.DRAFT, published_at=None, body_fr="")
    make_release(title_en="Out today")
    flagged = make_release(
        title_en="Flagged", status=NewsRelease.Status.DRAFT, published_at=None, review_language="en"
    )
    # axe-core is injected into the page, which the policy would refuse: this browser ignores the policy.
    pat = open_as("pat", locale=locale, bypass_csp=True)
    page = pat.page
    found = {}
    for name, path in [
        ("desk", ""),
        ("schedule confirmation", f"newsroom/newsrelease/desk/schedule/?release={queued.pk}"),
        ("publish anyway", f"newsroom/newsrelease/desk/publish_now/?release={flagged.pk}"),
        ("send back", f"newsroom/newsrelease/desk/send_back/?release={queued.pk}"),
    ]:
        page.goto(pat.admin(path))
        if violations := axe_violations(page, axe_source):
            found[name] = violations
    # A confirmation showing errors.
    page.goto(pat.admin(f"newsroom/newsrelease/desk/schedule/?release={queued.pk}"))
    page.fill("#id_at", "tomorrow")
    page.locator("button.desk-confirm-button").click()
    page.wait_for_selector(".errornote")
    if violations := axe_violations(page, axe_source):
        found["confirmation with an error"] = violations
    assert found == {}
    assert page.locator("html").get_attribute("lang") == language


@pytest.mark.django_db
def test_the_desk_pages_are_valid_html(client, vnu_command, tmp_path):
    publisher = make_staff(PUBLISHER, "pat")
    client.force_login(publisher)
    queued = make_release(title_en="Queued", status=NewsRelease.Status.IN_REVIEW, published_at=None)
    make_release(title_en="Coming", published_at=timezone.now() + dt.timedelta(hours=2), review_language="fr")
    flagged = make_release(
        title_en="Flagged", status=NewsRelease.Status.DRAFT, published_at=None, review_language="en"
    )
    desk = f"/{settings.ADMIN_URL}newsroom/newsrelease/desk/"
    pages = {
        "desk": client.get(f"/{settings.ADMIN_URL}"),
        "schedule": client.get(f"{desk}schedule/?release={queued.pk}"),
        "publish anyway": client.get(f"{desk}publish_now/?release={flagged.pk}"),
        "send back": client.get(f"{desk}send_back/?release={queued.pk}"),
        "bad time": client.post(
            f"{desk}schedule/", {"releases": f"{queued.pk}:1", "confirm": "1", "at": "9h"}
        ),
    }
    files = {}
    for name, response in pages.items():
        assert response.status_code == 200, name
        document = tmp_path / f"{name.replace(' ', '-')}.html"
        document.write_bytes(response.content)
        files[document.name] = name
    checked = subprocess.run(
        [*vnu_command, "--format", "json", "--stdout", *(str(tmp_path / name) for name in files)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    errors = [
        f"{files.get(message.get('url', '').rsplit('/', 1)[-1])} line {message.get('lastLine')}: {message['message']}"
        for message in json.loads(checked.stdout)["messages"]
        if message["type"] == "error" or message.get("subType") == "fatal"
    ]
    assert errors == []
