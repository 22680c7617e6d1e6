"""Third-party apps under Vietnamese headings in the admin: their own configs have none,
so the admin's index showed "Axes", "Otp_Totp" and "Otp_Static". Same apps, same labels
(so no migration changes); INSTALLED_APPS names these classes instead of the packages."""

from axes.apps import AppConfig as AxesAppConfig
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.apps import DefaultConfig as StaticTokensConfig
from django_otp.plugins.otp_totp.apps import DefaultConfig as AuthenticatorAppsConfig


class AxesConfig(AxesAppConfig):
    verbose_name = _("Khóa đăng nhập sai")


class OTPTOTPConfig(AuthenticatorAppsConfig):
    verbose_name = _("Đăng nhập hai bước: ứng dụng xác thực")


class OTPStaticConfig(StaticTokensConfig):
    verbose_name = _("Đăng nhập hai bước: mã dự phòng")
