"""The bare Django project of `bench/pages.py`: one view, no apps, no middleware, no
database — the yardstick the portal's pages are measured against (issue 18)."""

SECRET_KEY = "bench-only, never served"  # a throwaway project on 127.0.0.1
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "bare.urls"
INSTALLED_APPS: list[str] = []
MIDDLEWARE: list[str] = []
DATABASES: dict = {}
USE_TZ = True
