from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "gaoxin.notifications"
    label = "notifications"
    verbose_name = _("Notification delivery")

    def ready(self):
        # core.notifications.notify writes the outbox through this hook (core imports no app).
        # Deferred: models can be imported only once the apps are loaded.
        from gaoxin.core.notifications import register_outbox  # noqa: PLC0415
        from gaoxin.notifications import outbox  # noqa: PLC0415

        register_outbox(outbox.enqueue)
