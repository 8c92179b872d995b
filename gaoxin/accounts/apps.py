from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "gaoxin.accounts"
    label = "accounts"
    verbose_name = _("Accounts and organisation")

    def ready(self):
        # Strict settings: a role named in OTP_REQUIRED_ROLES that does not exist stops start-up.
        from django.db.models.signals import post_save, pre_delete  # noqa: PLC0415

        from gaoxin.accounts import services, twofactor  # noqa: PLC0415  (models load only now)

        twofactor.check_settings()
        # Whatever saves or deletes a user (admin, a service, the shell), its API tokens answer
        # with the new role, state and enterprise at once.
        user = self.get_model("User")
        post_save.connect(services.forget_tokens_of_changed_user, sender=user)
        pre_delete.connect(services.forget_tokens_of_changed_user, sender=user)
