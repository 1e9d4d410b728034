"""What every response tells the browser, and the production checklist."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent

PUBLIC_PATHS = ["/", "/en/", "/fr/", "/en/newsroom/", "/fr/salle-de-presse/"]


def csp_directives(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


@pytest.mark.parametrize("path", PUBLIC_PATHS)
def test_public_pages_forbid_inline_code_framing_and_foreign_forms(client, reference, path):
    response = client.get(path, follow=True)
    assert response.status_code == 200
    directives = csp_directives(response)
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["form-action"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["base-uri"] == ["'self'"]
    assert "unsafe" not in response["Content-Security-Policy"]


@pytest.mark.parametrize("path", PUBLIC_PATHS)
def test_public_pages_send_nosniff_referrer_permissions_and_frame_headers(client, reference, path):
    response = client.get(path, follow=True)
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Frame-Options"] == "DENY"
    policy = response["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert f"{feature}=()" in policy


def test_admin_pages_carry_the_same_policy(client, db):
    response = client.get(f"/{settings.ADMIN_URL}login/")
    assert response.status_code == 200
    assert csp_directives(response)["script-src"] == ["'self'"]
    assert response["Permissions-Policy"]


def test_templates_hold_no_inline_script_or_style():
    offenders = []
    for template in (ROOT / "templates").rglob("*.html"):
        text = template.read_text()
        lowered = text.lower()
        if "<style" in lowered or " style=" in lowered:
            offenders.append(f"{template}: style")
        for chunk in lowered.split("<script")[1:]:
            opening = chunk.split(">", 1)[0]
            # A JSON-LD block is data, which the browser does not run.
            if "src=" not in opening and 'type="application/ld+json"' not in opening:
                offenders.append(f"{template}: inline script")
        if " on" in lowered and any(
            f" on{event}=" in lowered for event in ("click", "load", "submit", "change")
        ):
            offenders.append(f"{template}: event handler attribute")
    assert offenders == []


def test_https_requests_get_hsts_in_production(client, reference, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    response = client.get("/en/", secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"


def test_plain_http_is_redirected_to_https_when_asked(client, reference, settings):
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/en/")
    assert response.status_code == 301
    assert response["Location"].startswith("https://")


def test_staff_cookies_are_secure_http_only_and_end_with_the_session(settings):
    assert settings.SESSION_COOKIE_HTTPONLY and settings.CSRF_COOKIE_HTTPONLY
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    assert settings.SESSION_COOKIE_AGE <= 8 * 60 * 60


PRODUCTION_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "a-production-like-secret-key-that-is-long-and-random-9f8e7d6c5b4a3f2e1d0c",
    "ALLOWED_HOSTS": "newsroom.example.gc.ca",
    "CSRF_TRUSTED_ORIGINS": "https://newsroom.example.gc.ca",
    "SECURE_SSL_REDIRECT": "1",
    "SECURE_PROXY_SSL_HEADER": "1",
}


def run_manage(*args: str, extra_env: dict | None = None) -> subprocess.CompletedProcess:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "SECURE_", "DEBUG", "SECRET_KEY", "ALLOWED_HOSTS"))
    }
    env.update(PRODUCTION_ENV, DJANGO_SETTINGS_MODULE="config.settings", **(extra_env or {}))
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_check_deploy_is_clean_under_production_settings():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_reports_a_site_left_in_debug_mode():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", extra_env={"DEBUG": "1"})
    assert result.returncode != 0
    assert "DEBUG" in result.stdout + result.stderr


def test_production_settings_mark_cookies_secure_and_send_hsts():
    code = (
        "from django.conf import settings as s;"
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS, s.SECURE_SSL_REDIRECT,"
        " s.SECURE_PROXY_SSL_HEADER)"
    )
    result = run_manage("shell", "--no-imports", "-c", code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "True",
        "True",
        "31536000",
        "True",
        "('HTTP_X_FORWARDED_PROTO',",
        "'https')",
    ]


@pytest.mark.parametrize("path", ["/static/css/site.css", "/favicon.ico"])
def test_static_files_carry_the_same_security_headers_as_pages(client, path, settings):
    response = client.get(path)
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert "camera=()" in response["Permissions-Policy"]
    assert csp_directives(response)["default-src"] == ["'self'"]
    if settings.SECURE_HSTS_SECONDS:
        assert response["Strict-Transport-Security"].startswith("max-age=")


def test_the_policy_follows_the_settings_when_they_change(client, reference, settings):
    assert "images.example.org" not in client.get("/en/")["Content-Security-Policy"]
    policy = settings.CONTENT_SECURITY_POLICY
    directives = {**policy["DIRECTIVES"], "img-src": ["'self'", "https://images.example.org"]}
    settings.CONTENT_SECURITY_POLICY = {**policy, "DIRECTIVES": directives}
    assert "img-src 'self' https://images.example.org" in client.get("/en/")["Content-Security-Policy"]


def test_a_response_with_a_policy_of_its_own_keeps_it(rf):
    from django.http import HttpResponse

    from core.middleware import ContentSecurityPolicyMiddleware

    def view_with_its_own_images(request):
        response = HttpResponse("An image from elsewhere.")
        response._csp_update = {"img-src": ["https://images.example.org"]}
        return response

    def plain_view(request):
        return HttpResponse("Nothing from elsewhere.")

    own = ContentSecurityPolicyMiddleware(view_with_its_own_images)(rf.get("/en/"))
    assert "https://images.example.org" in own["Content-Security-Policy"]
    plain = ContentSecurityPolicyMiddleware(plain_view)(rf.get("/en/"))
    assert "https://images.example.org" not in plain["Content-Security-Policy"]
    assert csp_directives(plain)["script-src"] == ["'self'"]
