"""Following a list or a record by email, and the pages every mail links to.

None of these pages is kept by the response cache (`alerts` is no kind of it), and the ones
holding a token say `no-store`: a token is the key to a subscription.
"""

import logging
import smtplib

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe

from portal.rate_limits import rate_limited

from . import services
from .describe import describe
from .forms import FrequencyForm, SubscribeForm
from .kinds import BY_SLUG, record_title
from .models import PENDING_DAYS, Language, Subscription

logger = logging.getLogger(__name__)

# Requests to follow per client address (`PORTAL_RATE_ALERTS`): each one sends a mail.
ALERTS = "alerts"


def _followable(kind: str):
    if kind not in BY_SLUG:
        raise Http404(_("Không có danh sách này."))
    return BY_SLUG[kind]


def _is_post(request) -> bool:
    return request.method == "POST"


def _origin(request) -> str:
    return f"{request.scheme}://{request.get_host()}"


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
@rate_limited(ALERTS, when=_is_post)
def follow(request, kind, pk=None):
    """The form to follow a list (its filters in the query string) or one record."""
    followable = _followable(kind)
    record = None
    query = ""
    if pk is not None:
        record = get_object_or_404(followable.for_mail(), pk=pk)
    else:
        query = followable.clean_query(request.GET)
    language = get_language() if get_language() in Language.values else Language.VIETNAMESE
    data = request.POST if request.method == "POST" else None
    form = SubscribeForm(data, initial={"language": language})
    if form.is_valid():
        try:
            services.subscribe(
                email=form.cleaned_data["email"],
                kind=followable.kind,
                query=query,
                object_id=record.pk if record else None,
                frequency=form.cleaned_data["frequency"],
                language=form.cleaned_data["language"],
                origin=_origin(request),
            )
        except (smtplib.SMTPException, OSError):
            logger.warning("Confirmation mail not sent", exc_info=True)
            form.add_error(None, _("Chưa gửi được thư xác nhận. Xin thử lại sau ít phút."))
            status = 503
        else:
            return redirect("alerts:sent")
    else:
        status = 400 if form.errors else 200
    context = {
        "form": form,
        "followable": followable,
        "record": record,
        "record_title": record_title(record) if record else "",
        "filters": followable.describe(query),
        "list_address": followable.list_address(query),
        "pending_days": PENDING_DAYS,
    }
    return render(request, "alerts/follow.html", context, status=status)


@require_safe
def sent(request):
    """What every request to follow is answered, whoever the address belongs to."""
    return render(request, "alerts/sent.html")


def _gone(request):
    return render(request, "alerts/gone.html", status=404)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request, token):
    """A link scanner opening the link confirms nothing: confirming is a button (POST)."""
    subscription = services.pending_or_confirmed(token)
    if subscription is None:
        return _gone(request)
    if request.method == "POST":
        subscription = services.confirm(token)
        if subscription is None:
            return _gone(request)
    context = {"subscription": subscription, "target": describe(subscription)}
    return render(request, "alerts/confirm.html", context)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def manage(request, token):
    """Every subscription of the link's address: change how often, leave one, leave all."""
    subscription = services.pending_or_confirmed(token)
    if subscription is None:
        return _gone(request)
    if request.method == "POST":
        if "unsubscribe_all" in request.POST:
            services.unsubscribe_all(token)
            return render(request, "alerts/unsubscribed.html", {"everything": True})
        form = FrequencyForm(request.POST)
        if not form.is_valid():
            return redirect("alerts:manage", token=token)
        chosen = Subscription.objects.of_address(subscription.email).filter(
            pk=form.cleaned_data["subscription"]
        )
        chosen = chosen.first()
        if chosen is None:
            return redirect("alerts:manage", token=token)
        if "unsubscribe" in request.POST:
            services.unsubscribe(chosen.token)
            if chosen.pk == subscription.pk:
                return render(request, "alerts/unsubscribed.html", {"everything": False})
        else:
            services.set_frequency(chosen, form.cleaned_data["frequency"])
        return redirect("alerts:manage", token=token)
    rows = [
        (
            other,
            describe(other),
            FrequencyForm(initial={"subscription": other.pk, "frequency": other.frequency}),
        )
        for other in Subscription.objects.of_address(subscription.email).order_by("created_at")
    ]
    return render(
        request,
        "alerts/manage.html",
        {
            "subscription": subscription,
            "rows": rows,
            "email": subscription.email,
            "pending_days": PENDING_DAYS,
        },
    )


@never_cache
@csrf_exempt  # RFC 8058: the mail client POSTs with no cookie and no page; the token is the key
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, token):
    """GET: a page with one button (a link scanner's visit changes nothing). POST — the
    button, or a mail client's one-click `List-Unsubscribe=One-Click` — deletes the
    subscription and its address; posting again answers the same."""
    if request.method == "POST":
        services.unsubscribe(token)
        return render(request, "alerts/unsubscribed.html", {"everything": False})
    subscription = services.pending_or_confirmed(token)
    if subscription is None:
        return _gone(request)
    return render(
        request,
        "alerts/unsubscribe.html",
        {"subscription": subscription, "target": describe(subscription)},
    )
