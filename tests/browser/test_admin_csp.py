"""The admin works under the site's Content-Security-Policy, in a real browser."""

import pytest
from django.conf import settings

from newsroom.models import NewsRelease

PASSWORD = "a-long-test-password"

# Records what the policy blocks, from the page's own point of view.
WATCH_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(event.violatedDirective + " " + event.blockedURI);
});
"""

pytestmark = pytest.mark.browser


@pytest.fixture
def admin_page(browser, live_server, settings, django_user_model):
    # The live server speaks plain HTTP; production cookies are HTTPS-only.
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False
    django_user_model.objects.create_superuser("staff", "staff@example.org", PASSWORD)
    context = browser.new_context(locale="en-CA")
    context.add_init_script(WATCH_VIOLATIONS)
    page = context.new_page()
    console: list[str] = []
    page.on("console", lambda message: console.append(f"{message.type}: {message.text}"))
    page.on("pageerror", lambda error: console.append(f"pageerror: {error}"))
    page.console_messages = console
    yield page
    context.close()


def sign_in(page, live_server):
    page.goto(f"{live_server.url}/{settings.ADMIN_URL}login/")
    page.fill("#id_username", "staff")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}/{settings.ADMIN_URL}")


def assert_no_violation(page):
    violations = page.evaluate("window.__cspViolations")
    reported = [
        line for line in page.console_messages if "Content Security Policy" in line or "pageerror" in line
    ]
    assert violations == [] and reported == [], (violations, reported)


@pytest.mark.django_db(transaction=True)
def test_release_form_translation_tabs_work_with_no_policy_violation(admin_page, live_server):
    from django.core.management import call_command

    call_command("loaddata", "reference", verbosity=0)
    release = NewsRelease.objects.get(slug_en="cross-border-crime")
    page = admin_page
    sign_in(page, live_server)
    assert_no_violation(page)

    page.goto(f"{live_server.url}/{settings.ADMIN_URL}newsroom/newsrelease/{release.pk}/change/")
    french_tab = page.locator("li[aria-controls='tab_id_title_fr']")
    french_tab.wait_for()
    assert page.locator("#id_title_en").is_visible()
    assert not page.locator("#id_title_fr").is_visible()
    french_tab.click()
    assert page.locator("#id_title_fr").is_visible()
    assert "criminalité transfrontalière" in page.locator("#id_title_fr").input_value()
    assert_no_violation(page)


@pytest.mark.django_db(transaction=True)
def test_new_release_form_and_list_work_with_no_policy_violation(admin_page, live_server):
    page = admin_page
    sign_in(page, live_server)
    page.goto(f"{live_server.url}/{settings.ADMIN_URL}newsroom/newsrelease/add/")
    # The slug is filled from the title by the admin's own script.
    page.fill("#id_title_en", "Minister announces funding")
    page.locator("#id_title_en").blur()
    assert page.locator("#id_slug_en").input_value() == "minister-announces-funding"
    page.goto(f"{live_server.url}/{settings.ADMIN_URL}newsroom/newsrelease/")
    assert_no_violation(page)


@pytest.mark.django_db(transaction=True)
def test_public_pages_load_with_no_policy_violation(admin_page, live_server):
    from django.core.management import call_command

    call_command("loaddata", "reference", verbosity=0)
    for path in ("/en/", "/fr/salle-de-presse/", "/en/newsroom/2005/cross-border-crime/"):
        response = admin_page.goto(f"{live_server.url}{path}")
        assert response.status == 200
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    assert_no_violation(admin_page)
