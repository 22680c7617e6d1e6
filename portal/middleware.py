from django.http import HttpResponseRedirect
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.cache import patch_vary_headers

from .languages import cookie_language, english_address, page_language


class ChosenLanguageMiddleware(LocaleMiddleware):
    """Public pages in the language of their address: Vietnamese without a prefix, English
    under `/en/`; elsewhere (API, admin…) Vietnamese until the visitor chooses English
    with the switcher (portal/languages.py, docs/languages.md).

    The browser's Accept-Language is ignored on purpose: many phones in Vietnam run an
    English system UI, and the portal is Vietnamese first. The choice is kept in
    Django's language cookie, set by `/i18n/setlang/`. A visitor who chose English and
    follows a link to a page's Vietnamese address (every link was one before `/en/`) is
    sent to its English address, as that link used to show it.
    """

    def process_request(self, request):
        if redirect_to := english_address(request):
            translation.activate(cookie_language(request))
            request.LANGUAGE_CODE = translation.get_language()
            return HttpResponseRedirect(redirect_to)
        translation.activate(page_language(request))
        request.LANGUAGE_CODE = translation.get_language()
        return None

    def process_response(self, request, response):
        """Every answer below this middleware (pages, feeds, calendar, CSV, API) was made
        in the language its address, or the cookie, chose: a shared cache must keep one
        copy per cookie. Not per Accept-Language, which is never read."""
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", translation.get_language())
        return response
