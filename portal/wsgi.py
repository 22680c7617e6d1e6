"""
WSGI config for portal project.

It exposes the WSGI callable as a module-level variable named ``application``.

For more information on this file, see
https://docs.djangoproject.com/en/5.2/howto/deployment/wsgi/
"""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

application = get_wsgi_application()

# Imported once the apps are loaded. A kept page is answered before Django's handler, the
# rest goes through it (portal/response_cache.py).
from portal.response_cache import KeptAnswers  # noqa: E402

application = KeptAnswers(application)

# What is loaded by now (Django, the apps, their models and admin: about 77,000 objects)
# lives as long as the worker. Out of the garbage collector's sight, a full collection no
# longer walks it: without this, one request in 15 to 30 waited 40 ms for one
# (docs/benchmarks.md, "Garbage collection").
gc.freeze()
