"""Every migration of the project's apps goes backwards and forwards again on a populated database."""

import importlib
import json
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.utils import translation

from initiatives.models import Initiative
from newsroom.models import NewsRelease
from tests.factories import make_release

PROJECT_APPS = ["core", "pages", "initiatives", "newsroom"]


def project_migrations() -> list[tuple[str, str]]:
    """The project's migrations, latest first, as the order to undo them."""
    loader = MigrationLoader(None)
    plan = [key for key in loader.graph.leaf_nodes() if key[0] in PROJECT_APPS]
    ordered = []
    for leaf in plan:
        ordered += [key for key in loader.graph.forwards_plan(leaf) if key[0] in PROJECT_APPS]
    seen = []
    for key in ordered:
        if key not in seen:
            seen.append(key)
    return list(reversed(seen))


def populate():
    call_command("loaddata", "reference", verbosity=0)
    make_release(status=NewsRelease.Status.DRAFT, published_at=None)


def migrate_to(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("migration", project_migrations(), ids=lambda key: f"{key[0]}.{key[1]}")
def test_migration_reverses_and_reapplies_on_a_populated_database(migration):
    populate()
    loader = MigrationLoader(connection)
    app = migration[0]
    parents = [parent for parent in loader.graph.node_map[migration].parents if parent[0] == app]
    target = [(app, parents[0][1] if parents else None)]
    leaves = loader.graph.leaf_nodes()
    try:
        migrate_to(target)
        assert migration not in MigrationLoader(connection).applied_migrations
    finally:
        migrate_to(leaves)
    # The schema is whole again: the reference content loads and reads back.
    populate()
    assert NewsRelease.objects.filter(slug_en="cross-border-crime").exists()


def migration_module(app: str, name: str):
    return importlib.import_module(f"{app}.migrations.{name}")


RELEASE_MIGRATION = ("newsroom", "0006_reference_release_french_wording")
INITIATIVE_MIGRATION = ("initiatives", "0002_border_enforcement_teams_french_wording")


def reference_fields(model: str, pk: int) -> dict:
    records = json.loads(
        (Path(settings.BASE_DIR) / "fixtures" / "reference.json").read_text(encoding="utf-8")
    )
    return next(record["fields"] for record in records if record["model"] == model and record["pk"] == pk)


@pytest.mark.parametrize(
    ("migration", "model", "pk"),
    [(RELEASE_MIGRATION, "newsroom.newsrelease", 1), (INITIATIVE_MIGRATION, "initiatives.initiative", 3)],
)
def test_the_reference_content_holds_the_corrected_french(migration, model, pk):
    body_fr = reference_fields(model, pk)["body_fr"]
    for old, new in migration_module(*migration).CORRECTIONS:
        assert new in body_fr and old not in body_fr, old


def french_url(record) -> str:
    with translation.override("fr"):
        return record.get_absolute_url()


def previous(migration: tuple[str, str]) -> tuple[str, str]:
    (parent,) = [
        key for key in MigrationLoader(None).graph.node_map[migration].parents if key[0] == migration[0]
    ]
    return parent


@pytest.mark.django_db(transaction=True)
def test_an_existing_database_gets_the_reference_french_as_a_minor_change(client):
    migrate_to([previous(RELEASE_MIGRATION), previous(INITIATIVE_MIGRATION)])
    try:
        call_command("loaddata", "reference", verbosity=0)
        # A database loaded before the corrections: the French as first written.
        corrections = {
            RELEASE_MIGRATION: NewsRelease.objects.get(slug_en="cross-border-crime"),
            INITIATIVE_MIGRATION: Initiative.objects.get(slug_en="integrated-border-enforcement-teams"),
        }
        for migration, record in corrections.items():
            old_body = record.body_fr
            for old, new in migration_module(*migration).CORRECTIONS:
                old_body = old_body.replace(new, old)
            type(record).objects.filter(pk=record.pk).update(body_fr=old_body)
        release = corrections[RELEASE_MIGRATION]
        assert "dissuader et détecter" in client.get(french_url(release)).content.decode()
    finally:
        migrate_to(MigrationLoader(connection).graph.leaf_nodes())

    for (app, _), record in corrections.items():
        fixture = reference_fields(f"{app}.{type(record)._meta.model_name}", record.pk)
        stored = type(record).objects.get(pk=record.pk)
        assert stored.body_fr == fixture["body_fr"]
        assert stored.body_en == fixture["body_en"]
        # A minor change: "Last updated" stays, and the history says why.
        assert stored.last_updated.isoformat() == fixture["last_updated"]
        (version,) = stored.history.all()
        assert version.history_type == "~" and version.body_fr == fixture["body_fr"]
        assert version.history_change_reason.startswith("Minor change: French wording revised")
    release = NewsRelease.objects.get(pk=corrections[RELEASE_MIGRATION].pk)
    assert release.version == corrections[RELEASE_MIGRATION].version + 1
    assert not release.corrections.exists()
    (version,) = release.history.all()
    assert {row.initiative_id for row in version.initiatives.all()} == set(
        release.initiatives.values_list("pk", flat=True)
    )
    french = client.get(french_url(release)).content.decode()
    assert "prévenir et détecter le blanchiment" in french and "dissuader" not in french
    assert "Historique des modifications" not in french


@pytest.mark.django_db(transaction=True)
def test_french_already_corrected_or_rewritten_is_left_alone():
    migrate_to([previous(RELEASE_MIGRATION), previous(INITIATIVE_MIGRATION)])
    try:
        call_command("loaddata", "reference", verbosity=0)
        rewritten = "<p>Un texte récrit depuis par le personnel.</p>"
        Initiative.objects.filter(slug_en="integrated-border-enforcement-teams").update(body_fr=rewritten)
    finally:
        migrate_to(MigrationLoader(connection).graph.leaf_nodes())
    release = NewsRelease.objects.get(slug_en="cross-border-crime")
    assert release.version == 1 and not release.history.exists()
    initiative = Initiative.objects.get(slug_en="integrated-border-enforcement-teams")
    assert initiative.body_fr == rewritten and not initiative.history.exists()
