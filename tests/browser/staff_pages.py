"""Signed-in admin pages in a real browser, each listening to its console and to the policy."""

import io
from dataclasses import dataclass

from django.conf import settings
from django.core.management import call_command

from tests.staff import PASSWORD, make_staff

# Records what the Content-Security-Policy blocks, from the page's own point of view.
WATCH_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(event.violatedDirective + " " + event.blockedURI);
});
"""
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@dataclass
class StaffBrowser:
    """A browser context signed in as one staff member, with what went wrong on its pages."""

    context: object
    page: object
    base_url: str
    console: list

    def admin(self, path: str = "") -> str:
        return f"{self.base_url}/{settings.ADMIN_URL}{path}"

    def problems(self) -> list[str]:
        """Policy violations, console errors and uncaught script errors seen so far."""
        violations = self.page.evaluate("window.__cspViolations || []")
        return [*violations, *self.console]

    def close(self) -> None:
        self.context.close()


def open_as(browser, live_server, role: str | None, *, username: str, locale: str = "en-CA") -> StaffBrowser:
    """A new browser context, signed in through the admin's login form as a member of `role`."""
    # The roles' groups come from a migration, which a transactional test's flush removes.
    call_command("setup_roles", stdout=io.StringIO())
    if role is None:
        from django.contrib.auth.models import User

        User.objects.create_superuser(username, f"{username}@example.org", PASSWORD)
    else:
        make_staff(role, username)
    context = browser.new_context(locale=locale, viewport={"width": 1280, "height": 900})
    context.add_init_script(WATCH_VIOLATIONS)
    page = context.new_page()
    console: list[str] = []
    page.on(
        "console",
        lambda message: (
            console.append(f"{message.type}: {message.text}") if message.type == "error" else None
        ),
    )
    page.on("pageerror", lambda error: console.append(f"pageerror: {error}"))
    staff = StaffBrowser(context=context, page=page, base_url=live_server.url, console=console)
    page.goto(staff.admin("login/"))
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(staff.admin())
    return staff


def axe_page(browser, staff: StaffBrowser):
    """A page that sees the admin with `staff`'s session, in a second context that ignores the policy.

    The checker is injected as an inline script, which the site's policy rightly
    refuses. Close it with `page.context.close()`.
    """
    context = browser.new_context(bypass_csp=True, locale="en-CA")
    context.add_cookies(staff.context.cookies())
    return context.new_page()


def axe_findings(page, url: str, axe_source: str) -> list[str]:
    """axe-core's WCAG 2.1 A and AA findings on `url`, opened in `page` (from `axe_page`)."""
    page.goto(url)
    page.wait_for_load_state("networkidle")
    page.add_script_tag(content=axe_source)
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        WCAG_TAGS,
    )
    assert result["passes"], url
    return [
        f"{violation['id']}: {violation['help']} ({', '.join(str(n['target']) for n in violation['nodes'])})"
        for violation in result["violations"]
    ]


def axe_violations(browser, staff: StaffBrowser, url: str, axe_source: str) -> list[str]:
    """axe-core's WCAG 2.1 A and AA findings on `url`, seen with the same session cookies."""
    page = axe_page(browser, staff)
    try:
        return axe_findings(page, url, axe_source)
    finally:
        page.context.close()


def axe_violations_within(page, axe_source: str, selector: str) -> list[str]:
    """axe-core's findings on one part of the page as it is now (after a POST, say).

    Evaluated through the browser's devtools protocol, which the page's
    policy does not govern; read the page's own problems before calling this.
    """
    page.evaluate(axe_source)
    result = page.evaluate(
        "([selector, tags]) => axe.run(selector, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        [selector, WCAG_TAGS],
    )
    assert result["passes"], selector
    return [
        f"{violation['id']}: {violation['help']} ({', '.join(str(n['target']) for n in violation['nodes'])})"
        for violation in result["violations"]
    ]
