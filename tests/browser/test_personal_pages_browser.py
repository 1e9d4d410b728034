"""Pages reached by a signed link, and the release page's JSON-LD: no WCAG violation, no CSP report."""

import pytest

from tests.browser.conftest import personal_pages
from tests.browser.test_accessibility import axe_violations
from tests.reference_pages import RELEASE_EN, RELEASE_FR

pytestmark = pytest.mark.browser


def test_confirm_manage_and_advance_copy_pages_have_no_wcag_violation(browser, site, axe_source):
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    found = {}
    for path in personal_pages():
        page.goto(site + path)
        if violations := axe_violations(page, axe_source):
            found[path] = violations
    context.close()
    assert found == {}


def test_the_json_ld_block_raises_no_content_security_policy_report(browser, site):
    """The strict CSP stays: a JSON-LD block is data, which the browser neither runs nor reports."""
    context = browser.new_context()
    page = context.new_page()
    console, errors = [], []
    page.on("console", lambda message: console.append(f"{message.type}: {message.text}"))
    page.on("pageerror", lambda error: errors.append(str(error)))
    for path in (RELEASE_EN, RELEASE_FR):
        page.add_init_script(
            "document.addEventListener('securitypolicyviolation',"
            " e => console.error('CSP violation: ' + e.violatedDirective));"
        )
        page.goto(site + path)
        assert page.locator('script[type="application/ld+json"]').count() == 1
        kind = page.evaluate(
            'JSON.parse(document.querySelector(\'script[type="application/ld+json"]\').textContent)["@type"]'
        )
        assert kind == "NewsArticle"
    context.close()
    assert errors == []
    assert [line for line in console if "Content Security Policy" in line or "CSP" in line] == []
