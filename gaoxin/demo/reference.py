"""Reference data that data migrations load (industry codes, plan templates, the light
thresholds, the standard qualifications), loaded again where a `flush` may have emptied it:
seed_demo and generate_data.

Each app owns its data in a plain module that its migration calls too
(gaoxin.enterprises.industry, gaoxin.dispatch.plan_templates)."""

from __future__ import annotations

from gaoxin.dispatch import plan_templates
from gaoxin.dispatch.models import LightSettings, PlanTemplate, PlanTemplateStep
from gaoxin.enterprises.industry import load_industry_codes
from gaoxin.enterprises.models import IndustryCode
from gaoxin.enterprises.qualifications import load_qualification_types

__all__ = ["ensure_reference_data"]


def ensure_reference_data() -> None:
    if not IndustryCode.objects.exists():
        load_industry_codes(IndustryCode)
    plan_templates.add_templates(PlanTemplate, PlanTemplateStep)
    LightSettings.objects.get_or_create(pk=1)
    load_qualification_types()
