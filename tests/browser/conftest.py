"""A real browser (Debian's Chromium through Playwright) and the HTML checker, for the public pages."""

import os
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.reference_pages import PAGE_TYPES

# Playwright's sync API runs an event loop in the test thread; Django's ORM
# must still be usable from the test itself (fixtures, factories).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE_JS = ROOT / ".ci/node_modules/axe-core/axe.min.js"
VNU_JAR = ROOT / ".ci/node_modules/vnu-jar/build/dist/vnu.jar"
INSTALL_HINT = "run .ci/run, or: cd .ci && npm install --ignore-scripts --prefix . vnu-jar axe-core"

# Every page type of the reference content, in both languages: (name, path).
PAGE_PATHS = {
    **PAGE_TYPES,
    "newsroom page 2": ("/en/newsroom/?page=2", "/fr/salle-de-presse/?page=2"),
    "search results": ("/en/search/?q=border", "/fr/recherche/?q=frontaliere"),
    "send this page": (
        "/en/send/?page=/en/newsroom/2005/cross-border-crime/",
        "/fr/envoyer/?page=/fr/salle-de-presse/2005/criminalite-transfrontaliere/",
    ),
    "e-mail alerts": ("/en/alerts/", "/fr/alertes/"),
    "e-mail alerts for an initiative": (
        "/en/alerts/?topic=initiative%3Aintegrated-border-enforcement-teams",
        "/fr/alertes/?topic=initiative%3Aequipes-integrees-de-la-police-des-frontieres",
    ),
    "not found": ("/en/newsroom/2005/no-such-release/", "/fr/salle-de-presse/2005/nexiste-pas/"),
}
ALL_PATHS = ["/", *(path for pair in PAGE_PATHS.values() for path in pair)]


def load_public_content():
    """The reference content plus enough releases for a second newsroom page."""
    call_command("loaddata", "reference", verbosity=0)
    call_command("seed_demo", releases=25, initiatives=2, verbosity=0)


def personal_pages() -> list[str]:
    """The pages reached by a signed link (confirm, manage, an advance copy), in both languages."""
    import datetime as dt

    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from advance import links as advance_links
    from advance.models import AdvanceRecipient
    from alerts import links as alert_links
    from alerts.models import Subscription
    from newsroom.models import NewsRelease

    paths = []
    for language in ("en", "fr"):
        subscription = Subscription.objects.create(email=f"reader-{language}@example.org", language=language)
        paths += [alert_links.confirm_path(subscription), alert_links.manage_path(subscription)]
    release = NewsRelease.objects.get(slug_en="cross-border-crime")
    release.pk = None
    release.slug_en, release.slug_fr = "embargoed-copy", "copie-sous-embargo"
    release.published_at = (timezone.now() + dt.timedelta(days=3)).replace(second=0, microsecond=0)
    release.save()
    staff = get_user_model().objects.create_user("copy-sender")
    for language in ("en", "fr"):
        recipient = AdvanceRecipient.objects.create(
            release=release,
            name="Jane Doe",
            outlet="Le Devoir",
            email=f"jane-{language}@example.org",
            added_by=staff,
        )
        paths.append(advance_links.copy_path(recipient, language))
    return paths


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.skip(f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("the playwright package is not installed (requirements-dev.txt)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def site(transactional_db, live_server):
    """The live server's address, serving the public content."""
    load_public_content()
    return live_server.url


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE_JS.exists():
        pytest.skip(f"axe-core is missing at {AXE_JS}: {INSTALL_HINT}")
    return AXE_JS.read_text()


@pytest.fixture(scope="session")
def vnu_command() -> list[str]:
    java = shutil.which("java")
    if java is None:
        pytest.skip("java is not installed (the Nu Html Checker needs a Java runtime)")
    if not VNU_JAR.exists():
        pytest.skip(f"the Nu Html Checker is missing at {VNU_JAR}: {INSTALL_HINT}")
    return [java, "-jar", str(VNU_JAR)]
