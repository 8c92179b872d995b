from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "gaoxin.core"
    label = "core"
    verbose_name = _("Platform")

    def ready(self):
        # Registers the system checks; imported only once the app registry is ready.
        from gaoxin.core import checks  # noqa: F401, PLC0415

        # Each app's tasks.py registers its periodic jobs with gaoxin.core.scheduling.
        autodiscover_modules("tasks")
        # Django's and the libraries' own words in the platform's Chinese (请选择, 全部/是/否 …).
        from gaoxin.core.wording import speak_chinese  # noqa: PLC0415 — needs the app registry

        speak_chinese()
