"""The headers of static files, which WhiteNoise serves before any other middleware.

WhiteNoise answers static requests first, so that a stylesheet or an icon
costs no more than the file; the security headers every page gets from the
middlewares come from here instead (`WHITENOISE_ADD_HEADERS_FUNCTION`),
computed once per file when WhiteNoise indexes it.
"""

from functools import cache

from csp.utils import build_policy
from django.conf import settings

# The site's icons are served at the root (/favicon.ico): their names carry no
# hash of their content, so caches keep them for a day, not for ever.
SITE_ICON_MAX_AGE = 24 * 60 * 60


@cache
def security_headers() -> dict[str, str]:
    """What SecurityMiddleware, django-csp, the permissions policy and X-Frame-Options add to a page."""
    headers = {}
    if settings.SECURE_CONTENT_TYPE_NOSNIFF:
        headers["X-Content-Type-Options"] = "nosniff"
    if settings.SECURE_REFERRER_POLICY:
        headers["Referrer-Policy"] = settings.SECURE_REFERRER_POLICY
    if settings.SECURE_CROSS_ORIGIN_OPENER_POLICY:
        headers["Cross-Origin-Opener-Policy"] = settings.SECURE_CROSS_ORIGIN_OPENER_POLICY
    if settings.SECURE_HSTS_SECONDS:
        # Browsers heed it only over HTTPS, and ignore it over plain HTTP.
        hsts = f"max-age={settings.SECURE_HSTS_SECONDS}"
        if settings.SECURE_HSTS_INCLUDE_SUBDOMAINS:
            hsts += "; includeSubDomains"
        if settings.SECURE_HSTS_PRELOAD:
            hsts += "; preload"
        headers["Strict-Transport-Security"] = hsts
    policy = build_policy()
    if policy:
        headers["Content-Security-Policy"] = policy
    headers["Permissions-Policy"] = ", ".join(f"{feature}=()" for feature in settings.PERMISSIONS_POLICY)
    headers["X-Frame-Options"] = settings.X_FRAME_OPTIONS
    return headers


def add_static_headers(headers, path: str, url: str) -> None:
    """WhiteNoise's hook: the security headers, and a day's caching for the root icons."""
    for name, value in security_headers().items():
        headers[name] = value
    if url.count("/") == 1:
        headers["Cache-Control"] = f"public, max-age={SITE_ICON_MAX_AGE}"
