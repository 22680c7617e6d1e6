from django.conf import settings
from django.utils.translation import get_language


def site(request):
    """The portal's name in the visitor's language, and the UI languages each named in
    itself (Django's own `name_local` for Vietnamese is not NFC-normalised)."""
    names = settings.PORTAL_SITE_NAMES
    return {
        "site_name": names.get(get_language(), names[settings.LANGUAGE_CODE]),
        "ui_languages": settings.LANGUAGES,
    }
