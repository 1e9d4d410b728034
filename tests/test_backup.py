"""A backup of the newsroom restores to the same pages, in both languages, with its history.

The commands are the ones README.md gives: `dumpdata` / `loaddata` (any
database) and `pg_dump` / `pg_restore` (PostgreSQL).
"""

import shutil
import subprocess

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.utils import translation

from initiatives.models import Initiative
from newsroom.models import NewsRelease
from pages.models import StandardPage
from tests.factories import make_initiative, make_release
from tests.real_services import PG_HOST, PG_PORT, manage, postgres_url, scratch_postgres

# What README.md says to leave out: rebuilt by `migrate`, or staff-only and short-lived.
DUMP_EXCLUDES = ["contenttypes", "auth.permission", "sessions", "admin.logentry", "axes"]


def build_newsroom():
    call_command("loaddata", "reference", verbosity=0)
    initiative = make_initiative()
    releases = [make_release(initiatives=[initiative]) for _n in range(3)]
    draft = make_release(status=NewsRelease.Status.DRAFT, published_at=None)
    # A second version of one release, so history has more than the creation.
    releases[0].title_fr = "Titre revu et corrigé"
    releases[0].save()
    return [*releases, draft]


def page_paths() -> list[str]:
    paths = []
    for language in ("en", "fr"):
        with translation.override(language):
            paths += [
                f"/{language}/",
                f"/{language}/newsroom/" if language == "en" else "/fr/salle-de-presse/",
            ]
            paths += [release.get_absolute_url() for release in NewsRelease.objects.public()]
            paths += [initiative.get_absolute_url() for initiative in Initiative.objects.all()]
            paths += [page.get_absolute_url() for page in StandardPage.objects.all()]
    return paths


def snapshot(client) -> dict[str, tuple[int, bytes]]:
    cache.clear()
    pages = {}
    for path in page_paths():
        response = client.get(path)
        pages[path] = (response.status_code, response.content)
    return pages


def history_counts() -> dict[str, int]:
    return {
        "releases": NewsRelease.history.count(),
        "initiatives": Initiative.history.count(),
        "pages": StandardPage.history.count(),
    }


@pytest.mark.django_db(transaction=True)
def test_dumpdata_restored_into_an_emptied_database_gives_back_the_same_pages(client, tmp_path):
    build_newsroom()
    before, history = snapshot(client), history_counts()
    drafts = list(
        NewsRelease.objects.exclude(pk__in=NewsRelease.objects.public()).values_list("title_fr", flat=True)
    )
    assert len(before) > 10 and all(status == 200 for status, _content in before.values())

    # XML, not JSON: Django's JSON serializer cuts times to the millisecond.
    backup = tmp_path / "newsroom.xml"
    call_command(
        "dumpdata",
        "--natural-foreign",
        "--natural-primary",
        format="xml",
        exclude=DUMP_EXCLUDES,
        output=str(backup),
        verbosity=0,
    )
    call_command("flush", interactive=False, verbosity=0)
    assert NewsRelease.objects.count() == 0 and NewsRelease.history.count() == 0

    call_command("loaddata", str(backup), verbosity=0)

    after = snapshot(client)
    assert after == before
    assert history_counts() == history
    assert (
        list(
            NewsRelease.objects.exclude(pk__in=NewsRelease.objects.public()).values_list(
                "title_fr", flat=True
            )
        )
        == drafts
    )
    assert NewsRelease.history.filter(title_fr="Titre revu et corrigé").exists()


RELEASE_ROWS = (
    "SELECT slug_en, slug_fr, title_en, title_fr, body_en, body_fr, published_at FROM newsroom_newsrelease"
)
HISTORY_ROWS = (
    "SELECT (SELECT count(*) FROM newsroom_historicalnewsrelease),"
    " (SELECT count(*) FROM initiatives_historicalinitiative),"
    " (SELECT count(*) FROM pages_historicalstandardpage)"
)


def read_back(name: str) -> tuple[list, tuple]:
    import psycopg

    with psycopg.connect(host=PG_HOST, port=PG_PORT, user="postgres", dbname=name) as db:
        return sorted(db.execute(RELEASE_ROWS).fetchall()), db.execute(HISTORY_ROWS).fetchone()


def test_pg_dump_restored_with_pg_restore_gives_back_the_same_rows(tmp_path):
    if not shutil.which("pg_dump"):
        pytest.skip("pg_dump is not installed")
    common = ["-h", PG_HOST, "-p", str(PG_PORT), "-U", "postgres"]
    backup = tmp_path / "newsroom.dump"
    with scratch_postgres(reference=True) as source:
        edit = "from newsroom.models import NewsRelease as R; r = R.objects.get(); r.title_fr += ' (révisé)'; r.save()"
        manage("shell", "--no-imports", "-c", edit, database_url=postgres_url(source))
        expected = read_back(source)
        subprocess.run(["pg_dump", *common, "-Fc", "-f", str(backup), source], check=True, timeout=120)
    assert expected[0] and expected[1][0] >= 1
    with scratch_postgres() as target:
        # pg_restore into an empty database: drop what migrate created there first.
        import psycopg

        with psycopg.connect(
            host=PG_HOST, port=PG_PORT, user="postgres", dbname=target, autocommit=True
        ) as db:
            db.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
        subprocess.run(
            ["pg_restore", *common, "--no-owner", "-d", target, str(backup)], check=True, timeout=120
        )
        assert read_back(target) == expected
