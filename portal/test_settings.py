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

# Tests sign staff in with `force_login`, without a second factor; the tests of two-factor
# sign-in (portal/tests/test_accounts.py) turn it on themselves.
PORTAL_REQUIRE_2FA = False

# Many tests send many requests from 127.0.0.1 into one process-wide cache: no rate limit
# by default; the tests of the limits (portal/tests/test_rate_limits.py) set their own.
PORTAL_RATES = {group: "" for group in PORTAL_RATES}  # noqa: F405

# The response cache outlives each test's database: off, or a page kept in one test would
# answer the next. Its own tests and the leak hunt turn it on, on an emptied cache.
PORTAL_RESPONSE_CACHE = False
