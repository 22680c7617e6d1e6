from django import forms
from django.contrib.auth.forms import PasswordResetForm
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django_otp import devices_for_user
from django_otp.plugins.otp_totp.models import TOTPDevice

THROTTLED = _("Vừa có mã sai. Hãy chờ vài giây rồi nhập mã đang hiện.")


def _code_field(label):
    return forms.CharField(
        label=label,
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autofocus": True, "spellcheck": "false"}
        ),
    )


def _plain(code: str) -> str:
    """A code as typed, without the spaces or dashes people add when copying one."""
    return "".join(code.split()).replace("-", "").lower()


def _fits(device, code: str) -> bool:
    # An authenticator's code is all digits; anything else can only be a backup code.
    if isinstance(device, TOTPDevice):
        return code.isdigit() and len(code) == device.digits
    return True


class SecondFactorForm(forms.Form):
    """A code from the user's authenticator app, or one of their backup codes."""

    code = _code_field(_("Mã xác thực hoặc mã dự phòng"))

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.device = None

    def clean_code(self):
        code = _plain(self.cleaned_data["code"])
        with transaction.atomic():
            # Locked rows: two requests cannot both spend the same code.
            devices = [
                device
                for device in devices_for_user(self.user, for_verify=True)
                if _fits(device, code)
            ]
            # django-otp refuses a device for a while after a wrong code, longer each time.
            allowed = [device for device in devices if device.verify_is_allowed()[0]]
            for device in allowed:
                if device.verify_token(code):
                    self.device = device
                    return code
        if devices and not allowed:
            raise forms.ValidationError(THROTTLED, code="throttled")
        raise forms.ValidationError(
            _(
                "Mã không đúng hoặc đã được dùng. Hãy nhập mã đang hiện trong ứng dụng "
                "xác thực, hoặc một mã dự phòng chưa dùng."
            ),
            code="invalid",
        )


class EnrolForm(forms.Form):
    """The first code from a newly scanned authenticator app, which proves it works."""

    code = _code_field(_("Mã 6 chữ số trong ứng dụng"))

    def __init__(self, device, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.device = device

    def clean_code(self):
        code = _plain(self.cleaned_data["code"])
        if not self.device.verify_is_allowed()[0]:
            raise forms.ValidationError(THROTTLED, code="throttled")
        if not (_fits(self.device, code) and self.device.verify_token(code)):
            raise forms.ValidationError(
                _(
                    "Mã không đúng. Hãy kiểm tra giờ trên điện thoại và nhập mã đang "
                    "hiện trong ứng dụng."
                ),
                code="invalid",
            )
        return code


class StaffPasswordResetForm(PasswordResetForm):
    """Django's reset form, sending mail only to active staff accounts with that address."""

    email = forms.EmailField(
        label=_("Địa chỉ email"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )

    def get_users(self, email):
        return (user for user in super().get_users(email) if user.is_staff)
