from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.cache import patch_vary_headers


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

    def process_response(self, request, response):
        """Every answer below this middleware (pages, feeds, calendar, CSV, API) was made
        in the language that the cookie, or its absence, chose: a shared cache must keep
        one copy per cookie. Not per Accept-Language, which is never read."""
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", translation.get_language())
        return response
