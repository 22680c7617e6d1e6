import pytest


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Staff users are created in many admin tests; the real hasher is slow on purpose."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
