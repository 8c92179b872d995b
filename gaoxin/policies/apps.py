from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PoliciesConfig(AppConfig):
    """政策兑现: the policy library, matching enterprises to clauses with the reasons, payout
    batches for 免申即享 and applications for 快申快享."""

    name = "gaoxin.policies"
    label = "policies"
    verbose_name = _("Policies and payouts (政策兑现)")
