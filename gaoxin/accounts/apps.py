from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "gaoxin.accounts"
    label = "accounts"
    verbose_name = _("Accounts and organisation")

    def ready(self):
        # Strict settings: a role named in OTP_REQUIRED_ROLES that does not exist stops start-up.
        from gaoxin.accounts import twofactor  # noqa: PLC0415  (models are loaded only now)

        twofactor.check_settings()
