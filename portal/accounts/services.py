"""Writes to a staff member's second factors."""

from base64 import b32encode

from django.db import transaction
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

BACKUP_CODE_COUNT = 10


def has_authenticator(*, user) -> bool:
    """Whether `user` has enrolled an authenticator app. Backup codes alone do not count:
    a staff member whose app a superuser removed (a lost phone) enrols a new one."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def pending_authenticator(*, user) -> TOTPDevice:
    """The authenticator app `user` is enrolling: the same one until it is confirmed, so
    reloading the enrolment page does not change the QR code already scanned."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=_("Ứng dụng xác thực"), confirmed=False)
    return device


def secret_text(device: TOTPDevice) -> str:
    """The device's key as an authenticator app asks for it by hand, in groups of four."""
    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@transaction.atomic
def confirm_authenticator(*, device: TOTPDevice) -> list[str]:
    """Make `device` its user's authenticator, drop any other half-enrolled one, and give
    the user a fresh set of backup codes (returned, to be shown once)."""
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=device.user, confirmed=False).delete()
    return replace_backup_codes(user=device.user)


@transaction.atomic
def replace_backup_codes(*, user) -> list[str]:
    """Replace `user`'s backup codes with BACKUP_CODE_COUNT new single-use ones."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=_("Mã dự phòng"), confirmed=True)
    codes = [StaticToken.random_token() for _index in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def backup_codes_left(*, user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()
