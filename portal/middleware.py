from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class ChosenLanguageMiddleware(LocaleMiddleware):
    """Vietnamese for every visitor until they choose English with the switcher.

    The browser's Accept-Language is ignored on purpose: many phones in Vietnam run an
    English system UI, and the portal is Vietnamese first. The choice is kept in
    Django's language cookie, set by `/i18n/setlang/`.
    """

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if chosen not in dict(settings.LANGUAGES):
            chosen = settings.LANGUAGE_CODE
        translation.activate(chosen)
        request.LANGUAGE_CODE = translation.get_language()
