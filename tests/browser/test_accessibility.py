"""axe-core's WCAG 2.1 A and AA rules on every public page type, in both languages."""

import pytest

from tests.browser.conftest import PAGE_PATHS

pytestmark = pytest.mark.browser

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def axe_violations(page, axe_source) -> list[str]:
    page.add_script_tag(content=axe_source)
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        WCAG_TAGS,
    )
    # The rules did run: a page that passes nothing was not checked at all.
    assert result["passes"], page.url
    return [
        f"{violation['id']}: {violation['help']} ({', '.join(str(node['target']) for node in violation['nodes'])})"
        for violation in result["violations"]
    ]


@pytest.mark.parametrize("language", ["en", "fr"])
def test_every_page_type_has_no_wcag_violation(browser, site, axe_source, language):
    index = 0 if language == "en" else 1
    # The injected script must run whatever Content-Security-Policy the site sends.
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    found = {}
    for name, paths in PAGE_PATHS.items():
        page.goto(site + paths[index])
        violations = axe_violations(page, axe_source)
        if violations:
            found[name] = violations
    for width in (320,):
        page.set_viewport_size({"width": width, "height": 800})
        page.goto(site + PAGE_PATHS["release"][index])
        if violations := axe_violations(page, axe_source):
            found[f"release at {width}px"] = violations
    context.close()
    assert found == {}
