"""The base every issue stands on: reference content, admin, the two commands."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from initiatives.models import Initiative, PartnerAgency
from newsroom.models import MediaContact, NewsRelease
from pages.models import Department, Menu, MenuLink, StandardPage
from tests.factories import make_release

ROOT = Path(__file__).resolve().parent.parent
MODELS = [NewsRelease, MediaContact, Initiative, PartnerAgency, Department, Menu, MenuLink, StandardPage]


@pytest.mark.django_db
def test_reference_content_loads_twice_without_duplicates():
    call_command("loaddata", "reference", verbosity=0)
    first = {model: model.objects.count() for model in MODELS}
    call_command("loaddata", "reference", verbosity=0)
    assert {model: model.objects.count() for model in MODELS} == first
    assert first[Initiative] == 7
    assert first[NewsRelease] == 1


def test_reference_release_exists_in_both_languages(reference):
    release = NewsRelease.objects.get(slug_en="cross-border-crime")
    assert release.title_en == "Canada-U.S. cooperation to tackle cross-border crime"
    assert "criminalité transfrontalière" in release.title_fr
    assert f"{release.last_updated:%Y-%m-%d}" == "2005-09-19"
    assert release.media_contacts.get().phone == "(613) 991-0657"
    assert release.initiatives.count() == 7
    for field in ("title", "slug", "summary", "body"):
        assert getattr(release, f"{field}_en") and getattr(release, f"{field}_fr")


def test_reference_menus_are_data(reference):
    left = Menu.objects.filter(placement="left")
    assert [menu.title_en for menu in left] == ["Information for...", "Alternate paths...", "Of interest..."]
    top = [link.label_en for link in MenuLink.objects.filter(menu__key="top")]
    assert top == ["About us", "Policy", "Research", "Programs", "Newsroom"]


@pytest.mark.django_db
def test_seed_demo_is_deterministic_and_repeatable():
    call_command("seed_demo", releases=30, initiatives=4, verbosity=0)
    first = list(NewsRelease.objects.order_by("slug_en").values_list("slug_en", "title_fr", "published_at"))
    call_command("seed_demo", releases=30, initiatives=4, verbosity=0)
    again = list(NewsRelease.objects.order_by("slug_en").values_list("slug_en", "title_fr", "published_at"))
    assert len(first) == 30
    assert first == again
    assert Initiative.objects.filter(slug_en__startswith="demo-").count() == 4
    assert all(release.title_fr and release.body_fr for release in NewsRelease.objects.all())


@pytest.mark.parametrize(
    "model", [NewsRelease, MediaContact, Initiative, PartnerAgency, Menu, StandardPage, Department]
)
def test_admin_changelist_opens_for_staff(staff_client, reference, model):
    opts = model._meta
    response = staff_client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
    assert response.status_code == 200


def test_admin_release_form_shows_both_languages_and_view_on_site(staff_client, reference):
    release = NewsRelease.objects.get(slug_en="cross-border-crime")
    response = staff_client.get(reverse("admin:newsroom_newsrelease_change", args=[release.pk]))
    content = response.content.decode()
    assert response.status_code == 200
    assert 'name="title_en"' in content and 'name="title_fr"' in content
    assert 'name="body_fr"' in content
    assert "View on site" in content


def test_admin_changelist_filters_by_year_and_initiative(staff_client, reference):
    make_release(title_en="A recent one")
    url = reverse("admin:newsroom_newsrelease_changelist")
    response = staff_client.get(url, {"year": "2005"})
    assert "Canada-U.S. cooperation" in response.content.decode()
    assert "A recent one" not in response.content.decode()


def test_admin_requires_login(client, db):
    response = client.get(reverse("admin:newsroom_newsrelease_changelist"))
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_make_run_does_the_steps_the_readme_gives():
    """`make run` installs, compiles translations, migrates, loads content, collects static, serves with a worker."""
    plan = subprocess.run(
        ["make", "-n", "run"], cwd=ROOT, capture_output=True, text=True, check=True,
        env={"PATH": "/usr/bin:/bin", "HOME": "/tmp"},
    ).stdout  # fmt: skip
    steps = [
        "compilemessages",
        "migrate",
        "loaddata reference",
        "collectstatic",
        "honcho start -f Procfile -p 8000",
    ]
    positions = [plan.find(step) for step in steps]
    assert all(position >= 0 for position in positions), plan
    assert positions == sorted(positions)
    assert "HOST=127.0.0.1" in plan
    # honcho starts the server and a worker together, on PORT, and stops both on Ctrl-C.
    procfile = dict(
        line.split(": ", 1)
        for line in (ROOT / "Procfile").read_text().splitlines()
        if ": " in line and not line.startswith("#")
    )
    assert procfile["web"].endswith("manage.py runserver $HOST:$PORT")
    assert "manage.py db_worker" in procfile["worker"]
    readme = (ROOT / "README.md").read_text()
    assert re.search(r"^make run\b", readme, re.MULTILINE)
    assert re.search(r"^make test\b", readme, re.MULTILINE)


def test_no_account_exists_until_someone_creates_one(reference, django_user_model):
    assert not django_user_model.objects.exists()


def _bare_environment() -> dict[str, str]:
    keep = ("PATH", "HOME", "LANG")
    return {key: value for key, value in os.environ.items() if key in keep}


def test_management_commands_work_on_a_fresh_checkout_with_no_environment():
    result = subprocess.run(
        [sys.executable, "manage.py", "makemigrations", "--check", "--dry-run"],
        cwd=ROOT, env=_bare_environment(), capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "No changes detected" in result.stdout


def test_the_web_server_refuses_to_start_without_a_secret_key():
    result = subprocess.run(
        [sys.executable, "-c", "import config.wsgi"],
        cwd=ROOT, env={**_bare_environment(), "DEBUG": "0"}, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr
