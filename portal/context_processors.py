from django.conf import settings
from django.utils.translation import get_language

from . import identity


def site(request):
    """The portal's name in the visitor's language, the UI languages each named in itself
    (Django's own `name_local` for Vietnamese is not NFC-normalised), and the rest of the
    city's identity: logo, contact block, footer links (`portal/identity.py`)."""
    names = settings.PORTAL_SITE_NAMES
    links = settings.PORTAL_FOOTER_LINKS
    return {
        "site_name": names.get(get_language(), names[settings.LANGUAGE_CODE]),
        "ui_languages": settings.LANGUAGES,
        "site_logo": identity.logo_address(settings.PORTAL_LOGO),
        "site_contact": settings.PORTAL_CONTACT,
        "footer_links": links.get(get_language()) or links[settings.LANGUAGE_CODE],
    }
