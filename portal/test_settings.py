"""Settings for the test suite: the real settings, given a throwaway secret key and plain
HTTP for the test server. Environment variables that are already set still win."""

import os
import secrets

os.environ.setdefault("DJANGO_SECRET_KEY", secrets.token_urlsafe(50))
os.environ.setdefault("DJANGO_SECURE_HTTPS", "false")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
# Playwright's sync API keeps an event loop in the test thread; the ORM calls that fixtures
# make around it are safe because a test only ever uses one thread at a time.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from .settings import *  # noqa: E402, F403

# Staff users are created in many tests; the real hasher is slow by design.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
