"""Settings for the test suite: the project's own, with test-only services."""

import os

os.environ.setdefault("SECRET_KEY", "test-suite-only-secret-key-not-for-production-use-0123456789")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")

from config.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Tests serve static files from the source folders, with no collectstatic.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
if REDIS_URL:  # noqa: F405
    for _alias in CACHES.values():  # noqa: F405
        _alias["KEY_PREFIX"] = os.environ.get("TEST_CACHE_KEY_PREFIX", "newsroom-tests")
else:
    # The suite runs in one process: local memory stands in for the embedded
    # default's files (tests/test_processes.py runs the real default in
    # separate processes).
    _memory = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "newsroom-tests"}
    CACHES = {"default": _memory, "strict": _memory}
