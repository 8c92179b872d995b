"""Reads of key-project dispatch that carry a rule, one module per topic: key_projects (with
their lights; the light rules are gaoxin.dispatch.lights), periods (who has reported),
assessment, ledger."""

from gaoxin.dispatch.selectors.appeals import (
    AppealFigures,
    appeal_figures,
    appeals_for,
)
from gaoxin.dispatch.selectors.assessment import (
    DEFAULT_WEIGHTS,
    RATE_INDICATORS,
    AssessmentRow,
    assessment,
    assessment_records,
    assessment_weights,
)
from gaoxin.dispatch.selectors.key_projects import (
    key_project_lights,
    key_projects_for_lights,
    reconcile_candidates,
)
from gaoxin.dispatch.selectors.ledger import (
    LedgerLine,
    ledger_month,
    ledger_projects,
    missing_months,
    month_start,
    production_since,
)
from gaoxin.dispatch.selectors.periods import (
    reporting_status,
)

__all__ = [
    "DEFAULT_WEIGHTS",
    "RATE_INDICATORS",
    "AppealFigures",
    "AssessmentRow",
    "LedgerLine",
    "appeal_figures",
    "appeals_for",
    "assessment",
    "assessment_records",
    "assessment_weights",
    "key_project_lights",
    "key_projects_for_lights",
    "ledger_month",
    "ledger_projects",
    "missing_months",
    "month_start",
    "production_since",
    "reconcile_candidates",
    "reporting_status",
]
