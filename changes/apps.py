from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChangesConfig(AppConfig):
    name = "changes"
    verbose_name = _("Lịch sử thay đổi")
    default_auto_field = "django.db.models.BigAutoField"
