import os

import pytest
from django.core.cache import cache
from django.core.management import call_command

# In CI every test must run: a skip (no PostgreSQL, no Chromium) is a failure.
NO_SKIPS = os.environ.get("NEWSROOM_NO_SKIPS") == "1"


def pytest_collection_modifyitems(config, items):
    """In CI, each test runs on the pass it belongs to, and long ones only once.

    CI runs the suite twice. The SQLite pass leaves out (rather than skips)
    PostgreSQL tests and long tests that do not depend on the database (marked
    `once`, or waiting for a real minute); the PostgreSQL pass runs them, where
    a skip would fail. Tests of the embedded default run it in processes of
    their own whatever the pass: the PostgreSQL pass leaves them out.
    """
    from django.db import connection

    if not NO_SKIPS:
        return

    def belongs_elsewhere(item) -> bool:
        embedded = item.get_closest_marker("embedded") is not None
        if connection.vendor == "postgresql":
            return embedded
        if embedded:
            return False
        return any(item.get_closest_marker(name) for name in ("postgres", "once", "minute"))

    kept, left_out = [], []
    for item in items:
        (left_out if belongs_elsewhere(item) else kept).append(item)
    if left_out:
        config.hook.pytest_deselected(items=left_out)
        items[:] = kept


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if NO_SKIPS and report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        report.longrepr = f"skipped in CI, where every test must run: {report.longrepr}"


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def reference(db):
    """The reference content: the 2005 release, its initiatives, menus and pages."""
    call_command("loaddata", "reference", verbosity=0)


@pytest.fixture
def staff_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("staff", "staff@example.org", "a-long-test-password")
    client.force_login(user)
    return client
