"""The Nu Html Checker finds no error on any public page type."""

import json
import subprocess

import pytest

from tests.browser.conftest import ALL_PATHS, personal_pages

pytestmark = pytest.mark.browser


def test_every_page_type_is_valid_html(client, reference, vnu_command, tmp_path):
    from django.core.management import call_command

    call_command("seed_demo", releases=25, initiatives=2, verbosity=0)
    files = {}
    for number, path in enumerate([*ALL_PATHS, *personal_pages()]):
        response = client.get(path)
        assert response.status_code in (200, 404), path
        document = tmp_path / f"page-{number}.html"
        document.write_bytes(response.content)
        files[document.name] = path
    # One Java start for every page: the checker is slow to start, quick to run.
    checked = subprocess.run(
        [*vnu_command, "--format", "json", "--stdout", *(str(tmp_path / name) for name in files)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    messages = json.loads(checked.stdout)["messages"]
    errors = [
        f"{files.get(message.get('url', '').rsplit('/', 1)[-1])} line {message.get('lastLine')}: {message['message']}"
        for message in messages
        if message["type"] == "error" or message.get("subType") == "fatal"
    ]
    assert errors == []
