"""A keyboard-only reader: skip links, the language toggle, the printable version, small screens."""

import pytest
from django.conf import settings

from tests.browser.conftest import PAGE_PATHS

pytestmark = pytest.mark.browser

RELEASE_EN, RELEASE_FR = PAGE_PATHS["release"]


def focused(page) -> dict:
    return page.evaluate(
        """() => {
            const el = document.activeElement;
            const box = el.getBoundingClientRect();
            const style = getComputedStyle(el);
            return {tag: el.tagName.toLowerCase(), id: el.id, text: el.textContent.trim(),
                    href: el.getAttribute('href'), accesskey: el.getAttribute('accesskey'), visible: box.width > 0 && box.left >= 0 && box.top >= 0,
                    outline: style.outlineStyle, outlineWidth: style.outlineWidth};
        }"""
    )


def test_first_tab_shows_skip_all_menus_which_moves_focus_to_the_content(page, site):
    page.goto(site + RELEASE_EN)
    page.keyboard.press("Tab")
    link = focused(page)
    assert link["text"] == "Skip all menus" and link["visible"] and link["accesskey"] == "2"
    assert link["outline"] == "solid" and link["outlineWidth"] != "0px"
    page.keyboard.press("Enter")
    assert focused(page)["id"] == "content"
    page.keyboard.press("Tab")
    assert focused(page)["text"] == "Home"  # the breadcrumb, first link in the content


def test_skip_first_menu_moves_focus_to_the_left_menu(page, site):
    page.goto(site + RELEASE_FR)
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    link = focused(page)
    assert link["text"] == "Passer le premier menu" and link["visible"] and link["accesskey"] == "1"
    page.keyboard.press("Enter")
    assert focused(page)["id"] == "left-menu"
    page.keyboard.press("Tab")
    assert focused(page)["text"] == "Citoyens"


def tab_to(page, text: str, limit: int = 40) -> dict:
    for _ in range(limit):
        page.keyboard.press("Tab")
        element = focused(page)
        if element["text"] == text:
            return element
    raise AssertionError(f"no focusable element {text!r} within {limit} tabs")


def test_language_toggle_by_keyboard_leads_to_the_same_release(page, site):
    page.goto(site + RELEASE_EN)
    tab_to(page, "Français")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == site + RELEASE_FR
    assert page.locator("html").get_attribute("lang") == "fr"
    assert "2005-05-18\u00a0: Criminalité transfrontalière" in page.locator("nav.breadcrumb").inner_text()
    tab_to(page, "English")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == site + RELEASE_EN


def test_language_toggle_keeps_the_newsroom_page(page, site):
    page.goto(site + "/en/newsroom/?page=2")
    page.get_by_role("link", name="Français").click()
    assert page.url == site + "/fr/salle-de-presse/?page=2"
    assert page.locator(".pagination [aria-current=page]").inner_text().strip().endswith("2")


def test_printable_version_has_no_navigation_and_lists_links_on_paper(page, site):
    page.goto(site + "/en/pages/important-notices/")
    tab_to(page, "Printable version")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == site + "/en/pages/important-notices/print/"
    assert page.locator("nav").count() == 0
    # Paper names the page by the site's public address, whichever host served it.
    assert (
        page.locator(".print-header").inner_text().count(settings.SITE_URL + "/en/pages/important-notices/")
        == 1
    )
    page.emulate_media(media="print")
    assert not page.locator(".language-toggle").is_visible()
    assert page.locator(".endnotes li").first.inner_text() == settings.SITE_URL + "/en/pages/contact-us/"
    assert page.locator(".endnote-ref").first.inner_text() == "[1]"


def test_print_stylesheet_hides_the_site_navigation_of_a_normal_page(page, site):
    page.goto(site + RELEASE_EN)
    page.emulate_media(media="print")
    for selector in (".top-nav", ".left-menu", ".breadcrumb", ".page-tools", ".skip-links"):
        assert not page.locator(selector).first.is_visible(), selector
    assert page.locator("h1").is_visible()
    assert page.locator(".archived-notice").is_visible()


@pytest.mark.parametrize("language", ["en", "fr"])
def test_pages_fit_a_320_pixel_screen(page, site, language):
    index = 0 if language == "en" else 1
    page.set_viewport_size({"width": 320, "height": 640})
    too_wide = []
    for name, paths in PAGE_PATHS.items():
        page.goto(site + paths[index])
        if page.evaluate("document.documentElement.scrollWidth") > 320:
            too_wide.append(name)
    assert too_wide == []
