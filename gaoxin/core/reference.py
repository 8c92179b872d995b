"""Reference data that data migrations load (industry codes, plan templates, the light
thresholds), loaded again where a `flush` may have emptied it: seed_demo and generate_data."""

import importlib


def ensure_reference_data() -> None:
    from django.apps import apps

    from gaoxin.dispatch.models import LightSettings
    from gaoxin.enterprises.industry import load_industry_codes
    from gaoxin.enterprises.models import IndustryCode

    if not IndustryCode.objects.exists():
        load_industry_codes()
    importlib.import_module("gaoxin.dispatch.migrations.0004_plan_templates").add_templates(
        apps, None
    )
    LightSettings.objects.get_or_create(pk=1)
