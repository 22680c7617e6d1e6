import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.shortcuts import redirect
from django.urls import reverse

from .rules import needs_second_factor

# Admin pages a staff member may open before giving a second factor: to sign in as
# someone else, or to sign out.
OPEN_ADMIN_PAGES = frozenset({"login", "logout"})


class SecondFactorMiddleware:
    """Holds back a signed-in staff member who must give a second factor and has not yet.

    Every admin page sends them to the code page (which sends a staff member with no
    authenticator yet to enrolment), and every other page treats them as anonymous, so a
    password alone never opens the admin nor shows an internal document anywhere. Goes
    after django-otp's OTPMiddleware, which tells whether the session is verified.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not settings.PORTAL_REQUIRE_2FA:
            return None
        user = request.user
        if not needs_second_factor(user) or user.is_verified():
            return None
        match = request.resolver_match
        if "accounts" in match.namespaces:
            return None
        if "admin" in match.namespaces:
            if match.url_name in OPEN_ADMIN_PAGES:
                return None
            query = urlencode({"next": request.get_full_path()})
            return redirect(f"{reverse('accounts:verify')}?{query}")
        request.user = AnonymousUser()
        return None


class IdleSessionMiddleware:
    """Ends a session after SESSION_COOKIE_AGE (PORTAL_SESSION_IDLE_MINUTES) without a
    request, give or take a minute.

    Saving the session pushes its end forward; saving it on every request
    (SESSION_SAVE_EVERY_REQUEST) would cost a database write per click, so a request
    saves it only when the last save is a minute old or more. The first request after
    signing in counts from the sign-in, which saved the session.
    """

    REFRESH_SECONDS = 60
    SEEN = "portal_session_refreshed_at"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is None or not session.accessed or session.is_empty():
            return response
        now = int(time.time())
        last = session.get(self.SEEN)
        if last is None:
            user = getattr(request, "user", None)
            signed_in_at = getattr(user, "last_login", None) if user else None
            last = int(signed_in_at.timestamp()) if signed_in_at else 0
        if now - last >= self.REFRESH_SECONDS:
            session[self.SEEN] = now
        return response
