from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Cổng thông tin: cơ quan, nhân sự, trang")

    def ready(self):
        from . import checks  # noqa: F401  (registers the deployment checks)
        from .response_cache import connect_signals

        connect_signals()
