"""The staff sign-in pages around the admin's own login: the second-factor code, enrolment
of an authenticator app with its backup codes, and password reset by email."""

from urllib.parse import urlencode

import segno
from axes.utils import reset as reset_sign_in_failures
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice

from . import services
from .forms import EnrolForm, SecondFactorForm, StaffPasswordResetForm
from .rules import needs_second_factor


def admin_context(request) -> dict:
    """What the admin's base template expects: its header, title and site link."""
    return admin.site.each_context(request)


def _next_url(request) -> str:
    """Where to go once signed in: `next` when it is a page of this site, else the admin."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse("admin:index")


def _with_next(name: str, next_url: str) -> str:
    return f"{reverse(name)}?{urlencode({'next': next_url})}"


def qr_code_svg(text: str) -> str:
    """`text` as a QR code in inline SVG, drawn here: the key never leaves the portal, and
    the picture needs neither JavaScript nor a style attribute."""
    svg = segno.make(text, error="m").svg_inline(
        scale=5,
        omitsize=True,
        dark="#000",
        light="#fff",
        title=_("Mã QR để thêm vào ứng dụng xác thực"),
    )
    # segno's output is paths and our own (escaped) title: the text is only encoded in
    # the pattern of the paths, never written out.
    return mark_safe(svg)


@sensitive_post_parameters("code")
@never_cache
@login_required
def verify(request):
    """Ask for a code from the authenticator app (or a backup code) after the password."""
    user, next_url = request.user, _next_url(request)
    if not needs_second_factor(user) or user.is_verified():
        return redirect(next_url)
    if not services.has_authenticator(user=user):
        return redirect(_with_next("accounts:enrol", next_url))
    form = SecondFactorForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        otp_login(request, form.device)
        if isinstance(form.device, StaticDevice):
            left = services.backup_codes_left(user=user)
            messages.warning(
                request,
                format_html(
                    '{} <a href="{}">{}</a>',
                    _("Bạn vừa dùng một mã dự phòng; còn %(n)d mã.") % {"n": left},
                    reverse("accounts:backup_codes"),
                    _("Tạo bộ mã dự phòng mới"),
                ),
            )
        return redirect(next_url)
    return render(
        request,
        "portal/accounts/verify.html",
        {
            **admin_context(request),
            "title": _("Xác thực hai bước"),
            "form": form,
            "next": next_url,
        },
    )


@sensitive_post_parameters("code")
@never_cache
@login_required
def enrol(request):
    """Add an authenticator app: scan the QR code (or type the key), confirm with its first
    code, then read the backup codes once."""
    user, next_url = request.user, _next_url(request)
    if not needs_second_factor(user):
        return redirect(next_url)
    if services.has_authenticator(user=user):
        return redirect(_with_next("accounts:verify", next_url))
    device = services.pending_authenticator(user=user)
    form = EnrolForm(device, request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = services.confirm_authenticator(device=device)
        otp_login(request, device)
        return _backup_codes_page(request, codes, next_url)
    return render(
        request,
        "portal/accounts/enrol.html",
        {
            **admin_context(request),
            "title": _("Bật xác thực hai bước"),
            "form": form,
            "next": next_url,
            "qr_code": qr_code_svg(device.config_url),
            "secret": services.secret_text(device),
        },
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def backup_codes(request):
    """How many backup codes are left, and a button for a new set (shown once)."""
    user = request.user
    if not needs_second_factor(user):
        return redirect("admin:index")
    if not user.is_verified():
        return redirect(_with_next("accounts:verify", request.get_full_path()))
    if request.method == "POST":
        return _backup_codes_page(request, services.replace_backup_codes(user=user))
    return render(
        request,
        "portal/accounts/backup_codes_left.html",
        {
            **admin_context(request),
            "title": _("Mã dự phòng"),
            "left": services.backup_codes_left(user=user),
        },
    )


def _backup_codes_page(request, codes, next_url=None):
    return render(
        request,
        "portal/accounts/backup_codes.html",
        {
            **admin_context(request),
            "title": _("Mã dự phòng"),
            "codes": codes,
            "next": next_url or reverse("admin:index"),
        },
    )


class _AccountPageMixin:
    """Django's password reset views on the portal's templates, inside the admin frame."""

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), **admin_context(self.request)}


class StaffPasswordResetView(_AccountPageMixin, auth_views.PasswordResetView):
    form_class = StaffPasswordResetForm
    template_name = "portal/accounts/password_reset_form.html"
    email_template_name = "portal/accounts/password_reset_email.txt"
    subject_template_name = "portal/accounts/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")
    title = gettext_lazy("Đặt lại mật khẩu")

    @property
    def extra_email_context(self):
        names = settings.PORTAL_SITE_NAMES
        return {"site_name": names.get(get_language(), names[settings.LANGUAGE_CODE])}


class StaffPasswordResetDoneView(_AccountPageMixin, auth_views.PasswordResetDoneView):
    template_name = "portal/accounts/password_reset_done.html"
    title = gettext_lazy("Đã gửi thư đặt lại mật khẩu")


class StaffPasswordResetConfirmView(_AccountPageMixin, auth_views.PasswordResetConfirmView):
    template_name = "portal/accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")
    title = gettext_lazy("Đặt mật khẩu mới")

    def form_valid(self, form):
        # Whoever can read the account's mail may sign in again at once, without waiting
        # out a lockout their own mistyping caused.
        reset_sign_in_failures(username=form.user.get_username())
        return super().form_valid(form)


class StaffPasswordResetCompleteView(_AccountPageMixin, auth_views.PasswordResetCompleteView):
    template_name = "portal/accounts/password_reset_complete.html"
    title = gettext_lazy("Đã đặt mật khẩu mới")
