from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "gaoxin.core"
    label = "core"
    verbose_name = _("Platform")

    def ready(self):
        from gaoxin.core import checks  # noqa: F401  (registers the system checks)
