"""Root URLs. Each area has its own namespaced `urls.py`; the portal's own pages are below.

Uploaded files are never served from MEDIA_URL: attachments go through a view that applies
the document's visibility and publication rules.
"""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from . import sitemaps, views
from .health import HealthView
from .languages import switch_language
from .security_txt import security_txt

portal_patterns = (
    [
        path("", views.home, name="home"),
        path("people/<slug:slug>/", views.person_detail, name="person"),
        path("pages/<slug:slug>/", views.page_detail, name="page"),
        path("search/", views.search, name="search"),
    ],
    "portal",
)

# The public pages: Vietnamese at these addresses, English under /en/ (portal/languages.py).
# A new public area goes here; what is the same in every language goes below.
public_patterns = [
    path("", include(portal_patterns)),
    path("documents/", include("documents.urls")),
    path("meetings/", include("meetings.urls")),
    path("indicators/", include("indicators.urls")),
    path("projects/", include("projects.urls")),
    path("alerts/", include("alerts.urls")),
    path("changes/", include("changes.urls")),
]

urlpatterns = [
    path("api/", include("portal.api")),
    path("sitemap.xml", sitemaps.index, name="sitemap"),
    path("sitemap-<slug:kind>-<int:number>.xml", sitemaps.section, name="sitemap_section"),
    path("robots.txt", views.robots_txt, name="robots"),
    path(".well-known/security.txt", security_txt, name="security_txt"),
    path("health/", HealthView.as_view(), name="health"),
    # The language switch sets a display preference and nothing else: without a CSRF
    # token, pages hold nothing of their visitor and can be shared (portal/response_cache.py).
    path("i18n/setlang/", switch_language, name="set_language"),
    # Staff sign-in pages (second factor, password reset) first, then the admin itself.
    path(settings.PORTAL_ADMIN_PATH, include("portal.accounts.urls")),
    path(settings.PORTAL_ADMIN_PATH, admin.site.urls),
    *i18n_patterns(*public_patterns, prefix_default_language=False),
]

# JSON under /api/, the site's pages elsewhere (portal/api_rules.py).
handler404 = "portal.api_rules.page_not_found"
handler500 = "portal.api_rules.server_error"
