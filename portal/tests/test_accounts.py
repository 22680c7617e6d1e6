"""Staff accounts: sign-in lockout, two-factor sign-in, password reset, idle sessions and
the admin's configurable address, each through the pages a staff member uses."""

import base64
import datetime
import hashlib
import hmac
import importlib
import io
import logging
import os
import re
import struct
import subprocess
import sys
import time
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import clear_url_caches, reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from documents.models import Visibility
from documents.tests.factories import make_document
from portal.accounts import services
from portal.accounts.middleware import IdleSessionMiddleware
from portal.roles import INTERNAL_READERS, PUBLISHERS

pytestmark = pytest.mark.django_db

PASSWORD = "ngựa-ô vượt đèo 2025"
BASE_DIR = Path(django_settings.BASE_DIR)


def totp_code(secret: str, at: float | None = None) -> str:
    """RFC 6238 (SHA-1, 30 s, 6 digits) from a base32 secret, as an authenticator computes
    it: written here, independently of django-otp."""
    secret = secret.replace(" ", "").upper()
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    counter = int((time.time() if at is None else at) // 30)
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{number % 1_000_000:06d}"


def make_user(username: str, *, publisher=False, superuser=False, email=""):
    user = get_user_model().objects.create_user(
        username=username, password=PASSWORD, email=email, is_staff=True
    )
    if superuser:
        user.is_superuser = True
        user.save()
    if publisher:
        call_command("sync_roles", stdout=io.StringIO())
        user.groups.add(Group.objects.get(name=PUBLISHERS))
    return user


def sign_in(client, username, password=PASSWORD, **extra):
    """The admin's login form, as a browser posts it."""
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password, "next": reverse("admin:index")},
        **extra,
    )


def enrolled(user) -> tuple[TOTPDevice, list[str]]:
    """`user` with a confirmed authenticator app and a set of backup codes."""
    device = services.pending_authenticator(user=user)
    codes = services.confirm_authenticator(device=device)
    return device, codes


def device_secret(device: TOTPDevice) -> str:
    return base64.b32encode(device.bin_key).decode()


@pytest.fixture
def two_factor(settings):
    settings.PORTAL_REQUIRE_2FA = True


@pytest.fixture
def publisher():
    return make_user("nguoi.cong.bo", publisher=True)


# --- lockout ---------------------------------------------------------------------------


@pytest.fixture
def three_tries(settings):
    settings.AXES_FAILURE_LIMIT = 3
    settings.AXES_COOLOFF_TIME = datetime.timedelta(minutes=15)


def test_wrong_passwords_lock_the_username_from_that_address(client, three_tries, caplog):
    make_user("bien.tap")
    for _attempt in range(2):
        response = sign_in(client, "bien.tap", "sai mật khẩu")
        assert response.status_code == 200
        assert response.context["form"].errors

    with caplog.at_level(logging.WARNING, logger="portal.accounts.throttling"):
        response = sign_in(client, "bien.tap", "sai mật khẩu")
    assert response.status_code == 429
    assert response["Retry-After"] == "900"
    page = response.content.decode()
    assert "tạm khóa đăng nhập" in page
    assert "Hãy thử lại sau 15 phút." in page
    assert reverse("accounts:password_reset") in page
    assert any(
        "'bien.tap'" in record.getMessage() and "127.0.0.1" in record.getMessage()
        for record in caplog.records
    )

    # The right password is refused too while the lock holds...
    assert sign_in(client, "bien.tap").status_code == 429
    assert client.get(reverse("admin:index")).status_code == 302
    # ...but only from that address: the lock is on the username and address together.
    other = sign_in(client, "bien.tap", REMOTE_ADDR="203.0.113.9")
    assert other.status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200


def test_the_lockout_page_reads_in_english(client, three_tries):
    make_user("bien.tap")
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    for _attempt in range(3):
        response = sign_in(client, "bien.tap", "sai mật khẩu")
    page = response.content.decode()
    assert "Sign-in temporarily locked" in page
    assert "Try again in 15 minutes." in page
    assert "Forgotten your password?" in page
    assert "tạm khóa" not in page


def test_the_lock_lifts_after_the_configured_period(client, three_tries):
    make_user("bien.tap")
    for _attempt in range(3):
        sign_in(client, "bien.tap", "sai mật khẩu")
    assert sign_in(client, "bien.tap").status_code == 429

    # Fourteen minutes after the last try: still locked (and that try restarts the wait).
    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(minutes=14))
    assert sign_in(client, "bien.tap").status_code == 429

    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(minutes=16))
    response = sign_in(client, "bien.tap")
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")
    assert client.get(reverse("admin:index")).status_code == 200


def test_the_unlock_command_lifts_the_lock_at_once(client, three_tries):
    make_user("bien.tap")
    for _attempt in range(3):
        sign_in(client, "bien.tap", "sai mật khẩu")
    call_command("axes_reset_username", "bien.tap", stdout=io.StringIO())
    assert sign_in(client, "bien.tap").status_code == 302


def test_failures_are_counted_in_the_database(client, three_tries):
    """Rows, not a worker's memory: every worker and machine sees the same count."""
    make_user("bien.tap")
    sign_in(client, "bien.tap", "sai mật khẩu")
    sign_in(client, "bien.tap", "sai mật khẩu")
    attempt = AccessAttempt.objects.get(username="bien.tap")
    assert (attempt.ip_address, attempt.failures_since_start) == ("127.0.0.1", 2)
    assert "sai mật khẩu" not in attempt.post_data


@pytest.mark.parametrize(
    ("proxies", "forwarded", "counted"),
    [
        (0, "198.51.100.7", "127.0.0.1"),
        (1, "10.1.1.1, 198.51.100.7", "198.51.100.7"),
        (1, "không phải địa chỉ", "127.0.0.1"),
    ],
)
def test_attempts_count_against_the_address_the_proxy_saw(
    client, three_tries, settings, proxies, forwarded, counted
):
    settings.PORTAL_PROXY_HOPS = proxies
    make_user("bien.tap")
    sign_in(client, "bien.tap", "sai mật khẩu", HTTP_X_FORWARDED_FOR=forwarded)
    assert AccessAttempt.objects.get().ip_address == counted


# --- two-factor sign-in ----------------------------------------------------------------


def test_a_publisher_without_a_second_factor_cannot_reach_the_admin(client, two_factor, publisher):
    response = sign_in(client, "nguoi.cong.bo")
    assert response.status_code == 302

    for url in [
        reverse("admin:index"),
        reverse("admin:documents_document_changelist"),
        reverse("admin:documents_document_add"),
        reverse("admin:auth_user_changelist"),
        reverse("admin:password_change"),
    ]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("accounts:verify")), url
    # Nor publish by posting straight to a form.
    response = client.post(reverse("admin:documents_document_add"), {})
    assert response["Location"].startswith(reverse("accounts:verify"))

    # With no authenticator yet, the code page sends them to enrolment.
    response = client.get(reverse("accounts:verify"), follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("accounts:enrol"))
    assert "Bật xác thực hai bước" in response.content.decode()


def test_a_password_alone_shows_no_internal_document_on_the_public_site(
    client, two_factor, publisher
):
    internal = make_document(visibility=Visibility.INTERNAL, title="Kế hoạch nội bộ")
    sign_in(client, "nguoi.cong.bo")
    assert client.get(internal.get_absolute_url()).status_code == 404

    device, _codes = enrolled(publisher)
    response = client.post(reverse("accounts:verify"), {"code": totp_code(device_secret(device))})
    assert response.status_code == 302
    assert client.get(internal.get_absolute_url()).status_code == 200


def test_enrolment_with_a_real_code_opens_the_admin_and_shows_backup_codes_once(
    client, two_factor, publisher
):
    sign_in(client, "nguoi.cong.bo")
    response = client.get(reverse("accounts:enrol"))
    page = response.content.decode()
    # The QR code is drawn by the portal itself: inline SVG, no script, no style attribute.
    qr_code = re.search(r'<svg [^>]*class="segno".*?</svg>', page, re.S).group(0)
    assert "<path" in qr_code and "<script" not in qr_code
    assert " style=" not in page
    secret = re.search(r"<code>([A-Z2-7 ]{20,})</code>", page).group(1)
    # Reloading the page keeps the QR code already scanned.
    assert secret in client.get(reverse("accounts:enrol")).content.decode()

    wrong = client.post(reverse("accounts:enrol"), {"code": "000000"})
    assert "Mã không đúng" in wrong.content.decode()
    assert client.get(reverse("admin:index")).status_code == 302
    # Straight after a wrong code, django-otp makes the next one wait a moment.
    throttled = client.post(reverse("accounts:enrol"), {"code": totp_code(secret)})
    assert "Hãy chờ vài giây" in throttled.content.decode()
    TOTPDevice.objects.update(throttling_failure_timestamp=None, throttling_failure_count=0)

    response = client.post(
        reverse("accounts:enrol"), {"code": totp_code(secret), "next": reverse("admin:index")}
    )
    assert response.status_code == 200
    page = response.content.decode()
    shown = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", page)
    assert len(shown) == services.BACKUP_CODE_COUNT
    assert set(shown) == set(
        StaticToken.objects.filter(device__user=publisher).values_list("token", flat=True)
    )
    assert "chỉ hiện một lần" in page

    admin_page = client.get(reverse("admin:index"))
    assert admin_page.status_code == 200
    assert admin_page.context["user"] == publisher
    # Once enrolled, the enrolment page no longer shows a key or the codes.
    again = client.get(reverse("accounts:enrol"), follow=True)
    assert 'class="segno"' not in again.content.decode()
    assert not any(code in again.content.decode() for code in shown)


def test_a_publisher_with_an_authenticator_gives_a_code_after_the_password(
    client, two_factor, publisher
):
    device, _codes = enrolled(publisher)
    response = sign_in(client, "nguoi.cong.bo")
    response = client.get(response["Location"], follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("accounts:verify"))
    assert "Xác thực hai bước" in response.content.decode()

    wrong = client.post(reverse("accounts:verify"), {"code": "123456"})
    assert "Mã không đúng hoặc đã được dùng" in wrong.content.decode()
    assert client.get(reverse("admin:index")).status_code == 302

    # django-otp slows down guesses after a failure; a person retyping waits that long.
    TOTPDevice.objects.update(throttling_failure_timestamp=None, throttling_failure_count=0)
    response = client.post(
        reverse("accounts:verify"),
        {"code": totp_code(device_secret(device)), "next": reverse("admin:index")},
    )
    assert response["Location"] == reverse("admin:index")
    assert client.get(reverse("admin:index")).status_code == 200


def test_a_backup_code_works_once(client, two_factor, publisher):
    _device, codes = enrolled(publisher)
    sign_in(client, "nguoi.cong.bo")
    response = client.post(reverse("accounts:verify"), {"code": codes[0].upper()}, follow=True)
    assert response.status_code == 200
    assert response.context["user"] == publisher
    assert "còn 9 mã" in response.content.decode()

    client.post(reverse("admin:logout"))
    sign_in(client, "nguoi.cong.bo")
    response = client.post(reverse("accounts:verify"), {"code": codes[0]})
    assert "Mã không đúng hoặc đã được dùng" in response.content.decode()
    assert client.get(reverse("admin:index")).status_code == 302


def test_after_a_lost_phone_is_removed_the_publisher_enrols_again(client, two_factor, publisher):
    device, _codes = enrolled(publisher)
    device.delete()  # what a superuser does in the admin for a lost phone
    sign_in(client, "nguoi.cong.bo")
    response = client.get(reverse("admin:index"), follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("accounts:enrol"))
    assert 'class="segno"' in response.content.decode()


def test_new_backup_codes_replace_the_old_ones(client, two_factor, publisher):
    device, codes = enrolled(publisher)
    sign_in(client, "nguoi.cong.bo")
    client.post(reverse("accounts:verify"), {"code": totp_code(device_secret(device))})
    assert "còn 10 mã" in client.get(reverse("accounts:backup_codes")).content.decode()

    response = client.post(reverse("accounts:backup_codes"))
    fresh = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", response.content.decode())
    assert len(fresh) == services.BACKUP_CODE_COUNT
    stored = set(StaticToken.objects.values_list("token", flat=True))
    assert stored == set(fresh)
    assert not stored & set(codes)


@pytest.mark.parametrize(
    ("who", "asked"),
    [("editor", False), ("publisher", True), ("superuser", True), ("internal-reader", True)],
)
def test_who_is_asked_for_a_second_factor(client, two_factor, who, asked):
    user = make_user(who, publisher=who == "publisher", superuser=who == "superuser")
    if who == "internal-reader":
        call_command("sync_roles", stdout=io.StringIO())
        user.groups.add(Group.objects.get(name=INTERNAL_READERS))
    sign_in(client, who)
    response = client.get(reverse("admin:index"))
    assert (response.status_code == 302) is asked
    if not asked:
        assert response.context["user"].username == who


def test_without_the_requirement_a_publisher_signs_in_with_a_password(client, settings, publisher):
    settings.PORTAL_REQUIRE_2FA = False
    sign_in(client, "nguoi.cong.bo")
    assert client.get(reverse("admin:index")).status_code == 200


@pytest.mark.parametrize(
    ("env", "required"),
    [
        ({"DJANGO_DEBUG": "false"}, "True"),
        ({"DJANGO_DEBUG": "true"}, "False"),
        ({"DJANGO_DEBUG": "true", "PORTAL_REQUIRE_2FA": "true"}, "True"),
        ({"DJANGO_DEBUG": "false", "PORTAL_REQUIRE_2FA": "false"}, "False"),
    ],
)
def test_the_requirement_follows_debug_unless_forced(env, required):
    assert fresh_settings(env, "settings.PORTAL_REQUIRE_2FA") == [required]


def test_create_admin_says_to_enrol_a_second_factor(settings):
    settings.PORTAL_REQUIRE_2FA = True
    out = io.StringIO()
    call_command("create_admin", stdout=out)
    text = out.getvalue()
    assert f"Sign in at {reverse('admin:index')}" in text
    assert "enrol a second factor" in text
    assert "backup codes" in text


# --- password reset ----------------------------------------------------------------------


def test_the_login_page_links_to_password_reset(client):
    page = client.get(reverse("admin:login")).content.decode()
    assert f'href="{reverse("accounts:password_reset")}">Quên mật khẩu?</a>' in page


def test_password_reset_by_email_sets_a_new_password(client, three_tries):
    user = make_user("bien.tap", email="bien.tap@example.gov.vn")
    make_user("khong.dung", email="other@example.gov.vn")
    for _attempt in range(3):
        sign_in(client, "bien.tap", "sai mật khẩu")

    response = client.post(
        reverse("accounts:password_reset"), {"email": "bien.tap@example.gov.vn"}
    )
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["bien.tap@example.gov.vn"]
    assert "Đặt lại mật khẩu" in message.subject
    assert "bien.tap" in message.body
    link = re.search(r"https?://testserver(/\S+)", message.body).group(1)

    form_page = client.get(link, follow=True)
    assert form_page.context["validlink"]
    set_url = form_page.redirect_chain[-1][0]
    weak = client.post(set_url, {"new_password1": "ngan", "new_password2": "ngan"})
    assert weak.context["form"].errors
    user.refresh_from_db()
    assert user.check_password(PASSWORD)

    new = "sông Hồng mùa nước nổi"
    response = client.post(set_url, {"new_password1": new, "new_password2": new})
    assert response["Location"] == reverse("accounts:password_reset_complete")
    user.refresh_from_db()
    assert user.check_password(new)
    # The link is spent, and the lockout the mistyping caused is lifted.
    assert not client.get(link, follow=True).context["validlink"]
    assert sign_in(client, "bien.tap", new).status_code == 302


def test_password_reset_mails_only_staff(client):
    get_user_model().objects.create_user(
        username="cong.dan", password=PASSWORD, email="dan@example.vn", is_staff=False
    )
    response = client.post(reverse("accounts:password_reset"), {"email": "dan@example.vn"})
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("password", "accepted"),
    [
        ("Hanoi2025!", False),  # 10 characters
        ("bien.tap.2025", False),  # like the username
        ("123456789012345", False),  # digits only
        ("1qaz2wsx3edc", False),  # common
        ("ngựa-ô vượt đèo", True),
    ],
)
def test_password_rules(password, accepted):
    user = get_user_model()(username="bien.tap")
    try:
        validate_password(password, user)
    except ValidationError:
        assert not accepted
    else:
        assert accepted


# --- idle sessions -------------------------------------------------------------------------


def _age_session(client, *, refreshed_ago: int, ends_in: datetime.timedelta):
    """Pretend the session was last refreshed `refreshed_ago` seconds ago and ends in
    `ends_in`, as if that time had passed."""
    session = client.session
    session[IdleSessionMiddleware.SEEN] = int(time.time()) - refreshed_ago
    session.save()
    Session.objects.update(expire_date=timezone.now() + ends_in)


def test_a_staff_session_ends_after_the_idle_time(client, settings):
    settings.SESSION_COOKIE_AGE = 30 * 60
    make_user("bien.tap")
    sign_in(client, "bien.tap")

    # A request pushes the end of the session to the idle time from now...
    _age_session(client, refreshed_ago=29 * 60, ends_in=datetime.timedelta(minutes=1))
    assert client.get(reverse("admin:index")).status_code == 200
    left = Session.objects.get().expire_date - timezone.now()
    assert datetime.timedelta(minutes=29) < left <= datetime.timedelta(minutes=30)

    # ...but within a minute of the last push, a request writes nothing.
    _age_session(client, refreshed_ago=20, ends_in=datetime.timedelta(minutes=29))
    before = Session.objects.get().expire_date
    assert client.get(reverse("admin:index")).status_code == 200
    assert Session.objects.get().expire_date == before

    # Past the idle time, the next request is signed out.
    Session.objects.update(expire_date=timezone.now() - datetime.timedelta(seconds=1))
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_the_first_request_after_signing_in_writes_no_session(client):
    make_user("bien.tap")
    sign_in(client, "bien.tap")
    before = Session.objects.get().expire_date
    client.get(reverse("admin:index"))
    assert Session.objects.get().expire_date == before
    assert IdleSessionMiddleware.SEEN not in client.session


# --- settings from the environment ---------------------------------------------------------


def fresh_settings(env: dict[str, str], *expressions: str) -> list[str]:
    """`expressions` (over `settings` and `reverse`) as a freshly started portal reads
    them from these environment variables."""
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "DJANGO_SECRET_KEY": "x",
        "DJANGO_ALLOWED_HOSTS": "localhost",
        **env,
    }
    code = "\n".join(
        [
            "import django",
            "django.setup()",
            "from django.conf import settings",
            "from django.urls import reverse",
            *(f"print({expression})" for expression in expressions),
        ]
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip().splitlines()[-len(expressions) :]


def test_limits_and_the_admin_path_come_from_the_environment():
    env = {
        "PORTAL_LOGIN_FAILURES": "7",
        "PORTAL_LOCKOUT_MINUTES": "45",
        "PORTAL_SESSION_IDLE_MINUTES": "10",
        "PORTAL_ADMIN_PATH": "/quan-tri",
    }
    assert fresh_settings(
        env,
        "settings.AXES_FAILURE_LIMIT",
        "settings.AXES_COOLOFF_TIME",
        "settings.SESSION_COOKIE_AGE",
        "reverse('admin:login')",
    ) == ["7", "0:45:00", "600", "/quan-tri/login/"]


def test_the_defaults():
    assert fresh_settings(
        {},
        "settings.AXES_FAILURE_LIMIT",
        "settings.AXES_COOLOFF_TIME",
        "settings.SESSION_COOKIE_AGE",
        "reverse('admin:index')",
        "settings.AUTHENTICATION_BACKENDS[0]",
        "settings.MIDDLEWARE[-1]",
    ) == [
        "5",
        "0:15:00",
        "1800",
        "/admin/",
        "axes.backends.AxesStandaloneBackend",
        "axes.middleware.AxesMiddleware",
    ]


@pytest.mark.parametrize(
    "variable", ["PORTAL_LOGIN_FAILURES", "PORTAL_LOCKOUT_MINUTES", "PORTAL_SESSION_IDLE_MINUTES"]
)
def test_a_zero_limit_stops_the_start(variable):
    with pytest.raises(subprocess.CalledProcessError) as failed:
        fresh_settings({variable: "0"}, "settings.SESSION_COOKIE_AGE")
    assert "must be 1 or more" in failed.value.stderr


# --- the admin's address -------------------------------------------------------------------


@pytest.fixture
def admin_moved(settings):
    import portal.urls

    original = settings.PORTAL_ADMIN_PATH
    settings.PORTAL_ADMIN_PATH = "quan-tri/"
    importlib.reload(portal.urls)
    clear_url_caches()
    yield
    settings.PORTAL_ADMIN_PATH = original
    importlib.reload(portal.urls)
    clear_url_caches()


def test_the_admin_moves_and_every_link_follows(client, admin_moved):
    assert reverse("admin:index") == "/quan-tri/"
    home = client.get(reverse("portal:home")).content.decode()
    assert 'href="/quan-tri/"' in home
    assert 'href="/admin/"' not in home
    assert client.get("/admin/").status_code == 404
    login = client.get("/quan-tri/login/")
    assert login.status_code == 200
    assert 'href="/quan-tri/password-reset/"' in login.content.decode()
    assert "Disallow: /quan-tri/" in client.get(reverse("robots")).content.decode()
