"""Writes of 投产达效: agreements (agreements.py) and the per-mu evaluation (evaluation.py)."""

from gaoxin.delivery.services.agreements import (
    agreement_amend,
    agreement_create,
    send_alerts,
    term_fulfil,
)
from gaoxin.delivery.services.evaluation import (
    evaluation_compute,
    evaluation_freeze,
    evaluation_publish,
    evaluation_year_defaults,
    evaluation_year_set,
    land_shares_set,
)

__all__ = [
    "agreement_amend",
    "agreement_create",
    "evaluation_compute",
    "evaluation_freeze",
    "evaluation_publish",
    "evaluation_year_defaults",
    "evaluation_year_set",
    "land_shares_set",
    "send_alerts",
    "term_fulfil",
]
