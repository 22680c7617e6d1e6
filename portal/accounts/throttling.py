"""Hooks that django-axes calls: whose address a sign-in attempt counts against, and the
page a locked-out staff member sees (settings: AXES_CLIENT_IP_CALLABLE and
AXES_LOCKOUT_CALLABLE)."""

import logging

from axes.helpers import get_client_username, get_cool_off, get_failure_limit
from django.contrib.auth import get_user_model
from django.template.response import TemplateResponse

from ..rate_limits import client_address
from .views import admin_context

logger = logging.getLogger(__name__)


def client_ip(request) -> str | None:
    """The address sign-in attempts count against: the client's, read as the rate limits
    read it (behind the reverse proxy, the entry the proxies appended, never the ones the
    client sent)."""
    return client_address(request) or None


def lockout_response(request, original_response=None, credentials=None):
    """The sign-in page's answer while a username is locked for this address: 429 with
    Retry-After, a message saying how long, and a line in the log.

    The log names the username only when it is an account's: someone who typed their
    password into the username box does not leave it in the logs.
    """
    username = get_client_username(request, credentials) or ""
    cool_off = get_cool_off(request)
    minutes = max(1, round(cool_off.total_seconds() / 60))
    is_account = get_user_model().objects.filter(username=username).exists()
    logger.warning(
        "Sign-in locked for %s from %s after %d failed attempts; refused for %d minutes.",
        repr(username) if is_account else "an unknown username",
        request.axes_ip_address,
        get_failure_limit(request, credentials),
        minutes,
    )
    context = {
        **admin_context(request),
        "title": "",
        "minutes": minutes,
        "failure_limit": get_failure_limit(request, credentials),
    }
    response = TemplateResponse(
        request, "portal/accounts/locked_out.html", context, status=429
    ).render()
    response["Retry-After"] = str(int(cool_off.total_seconds()))
    return response
