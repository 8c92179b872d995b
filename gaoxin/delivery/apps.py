from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeliveryConfig(AppConfig):
    """投产达效: investment agreements kept or broken (履约) and the yearly per-mu evaluation
    (亩均效益评价)."""

    name = "gaoxin.delivery"
    label = "delivery"
    verbose_name = _("Delivery on investment (投产达效)")
