"""The admin's door: sign-in attempts limited, its address configurable, sessions that end."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

ROOT = Path(__file__).resolve().parent.parent
LOGIN = f"/{settings.ADMIN_URL}login/"
PASSWORD = "a-long-test-password"


@pytest.fixture
def editor(django_user_model):
    return django_user_model.objects.create_user("editor", "editor@example.org", PASSWORD, is_staff=True)


def sign_in(client, username, password, address="10.0.0.1", language="en"):
    return client.post(
        LOGIN,
        {"username": username, "password": password, "next": f"/{settings.ADMIN_URL}"},
        REMOTE_ADDR=address,
        HTTP_ACCEPT_LANGUAGE=language,
    )


def fail_until_locked(client, username="editor", address="10.0.0.1"):
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, username, "wrong password", address)


def test_correct_password_signs_in(client, editor):
    response = sign_in(client, "editor", PASSWORD)
    assert response.status_code == 302
    assert client.get(f"/{settings.ADMIN_URL}").status_code == 200


def test_repeated_failures_lock_the_user_out_with_a_clear_message(client, editor):
    fail_until_locked(client)
    response = sign_in(client, "editor", PASSWORD)
    assert response.status_code == 429
    text = response.content.decode()
    assert "Sign-in locked" in text
    assert f"{settings.AXES_FAILURE_LIMIT} failed sign-in attempts" in text
    assert "30 minutes" in text
    assert "_auth_user_id" not in client.session


def test_lockout_message_is_in_french_for_a_french_browser(client, editor):
    fail_until_locked(client)
    response = sign_in(client, "editor", PASSWORD, language="fr")
    text = response.content.decode()
    assert response.status_code == 429
    assert "Connexion bloquée" in text
    assert "30 minutes" in text


def test_lockout_holds_only_for_that_user_from_that_address(client, editor, django_user_model):
    django_user_model.objects.create_user("publisher", "p@example.org", PASSWORD, is_staff=True)
    fail_until_locked(client)
    assert sign_in(client, "editor", PASSWORD, address="10.0.0.2").status_code == 302
    client.logout()
    assert sign_in(client, "publisher", PASSWORD, address="10.0.0.1").status_code == 302


def test_fewer_failures_than_the_limit_do_not_lock(client, editor):
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        response = sign_in(client, "editor", "wrong password")
        assert response.status_code == 200
        assert "Please enter the correct username and password" in response.content.decode()
    assert sign_in(client, "editor", PASSWORD).status_code == 302


def test_weak_passwords_are_refused():
    for weak in ("password", "12345678", "short"):
        with pytest.raises(ValidationError):
            validate_password(weak)
    validate_password("correct horse battery staple 2026")


def test_staff_session_ends_with_the_browser_and_after_eight_hours_at_most(client, editor):
    sign_in(client, "editor", PASSWORD)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["expires"] == "" and cookie["max-age"] == ""
    assert cookie["httponly"]
    assert 0 < client.session.get_expiry_age() <= 8 * 60 * 60


def test_admin_address_comes_from_the_environment():
    env = {**os.environ, "ADMIN_URL": "back-office/", "DJANGO_SETTINGS_MODULE": "tests.settings"}
    code = "from django.urls import reverse; print(reverse('admin:index'))"
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "/back-office/"
