from django.conf import settings
from django.utils.translation import get_language


def site(request):
    """The portal's name in the visitor's language, for the header and page titles."""
    names = settings.PORTAL_SITE_NAMES
    return {"site_name": names.get(get_language(), names[settings.LANGUAGE_CODE])}
