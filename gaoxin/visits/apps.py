from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VisitsConfig(AppConfig):
    """走访/包联: each enterprise's liaison officer visits it to plan, records what was raised
    (appeals), and the zone sees who has gone without contact and the coverage."""

    name = "gaoxin.visits"
    label = "visits"
    verbose_name = _("Visits and liaison (走访包联)")
