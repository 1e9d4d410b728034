"""The admin's widgets, made accessible (static/js/admin-accessibility.js), still work by mouse and keyboard.

Every admin page is checked with axe-core in test_admin_desk.py."""

import pytest

from core.roles import PUBLISHER
from tests.browser.staff_pages import open_as
from tests.factories import make_initiative, make_release

pytestmark = pytest.mark.django_db(transaction=True)


def test_translation_tabs_and_autocomplete_still_work_by_mouse_and_keyboard(browser, live_server):
    release = make_release(initiatives=[make_initiative()])
    staff = open_as(browser, live_server, PUBLISHER, username="desk")
    page = staff.page
    page.goto(staff.admin(f"newsroom/newsrelease/{release.pk}/change/"))
    french_tab = page.locator('li[aria-controls="tab_id_title_fr"]')
    french_tab.click()
    assert page.locator("#id_title_fr").is_visible()
    assert not page.locator("#id_title_en").is_visible()
    french_tab.focus()
    page.keyboard.press("ArrowLeft")
    page.wait_for_selector("#id_title_en", state="visible")
    page.locator("#modeltranslation-main-switch").select_option(label="fr")
    assert page.locator("#id_summary_fr").is_visible()
    page.locator(".select2-selection__clear").click()
    assert page.locator("#id_initiatives option:checked").count() == 0
    assert staff.problems() == []
    staff.close()
