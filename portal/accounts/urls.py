"""Staff sign-in pages, mounted under the admin's path (PORTAL_ADMIN_PATH) before the
admin itself."""

from django.urls import path

from portal.rate_limits import PASSWORD_RESET, rate_limited

from . import views


def is_post(request) -> bool:
    return request.method == "POST"


app_name = "accounts"

urlpatterns = [
    path("second-factor/", views.verify, name="verify"),
    path("second-factor/enrol/", views.enrol, name="enrol"),
    path("second-factor/backup-codes/", views.backup_codes, name="backup_codes"),
    # Each request sends a mail: limited, so nobody can flood a staff member's inbox.
    path(
        "password-reset/",
        rate_limited(PASSWORD_RESET, when=is_post)(views.StaffPasswordResetView.as_view()),
        name="password_reset",
    ),
    path(
        "password-reset/sent/",
        views.StaffPasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        views.StaffPasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password-reset/done/",
        views.StaffPasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]
