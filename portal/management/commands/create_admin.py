import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.urls import reverse


class Command(BaseCommand):
    help = (
        "Create a staff superuser with a generated password, printed once. Does nothing if "
        "a superuser already exists."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")

    def handle(self, *args, username, **options):
        User = get_user_model()
        if User.objects.filter(is_superuser=True).exists():
            self.stdout.write("A superuser already exists; its password is unchanged.")
            return
        password = secrets.token_urlsafe(12)
        User.objects.create_superuser(username=username, email="", password=password)
        admin_path = reverse("admin:index")
        self.stdout.write(
            self.style.SUCCESS(
                f"Superuser created. Sign in at {admin_path} as {username!r} with password "
                f"{password!r} (shown only now)."
            )
        )
        if settings.PORTAL_REQUIRE_2FA:
            self.stdout.write(
                "Next: at the first sign-in the portal asks this account to enrol a second "
                "factor. Have an authenticator app ready on a phone (Aegis, FreeOTP, Google "
                "or Microsoft Authenticator) to scan the QR code shown, then keep the backup "
                "codes it shows once. Then add the account's email address in the admin, "
                "so that a forgotten password can be reset by mail."
            )
        else:
            self.stdout.write(
                "Next: two-factor sign-in is off here (debug, or PORTAL_REQUIRE_2FA=false); "
                "where it is on, this account enrols an authenticator app at its first "
                "sign-in. Add the account's email address in the admin, so that a forgotten "
                "password can be reset by mail."
            )
