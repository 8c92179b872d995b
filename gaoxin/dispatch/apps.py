from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DispatchConfig(AppConfig):
    name = "gaoxin.dispatch"
    label = "dispatch"
    verbose_name = _("Key-project dispatch")
