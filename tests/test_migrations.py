"""Every migration of the project's apps goes backwards and forwards again on a populated database."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader

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
