"""GB/T 4754-2017's sections and divisions, shipped as data and loaded by a migration."""

import json
from pathlib import Path

from gaoxin.enterprises.models import IndustryCode

__all__ = ["DATA", "load_industry_codes"]

DATA = Path(__file__).resolve().parent / "data" / "gbt4754_2017.json"


def load_industry_codes(model=None) -> int:
    """Create or update the codes; ``model`` is the migration's historical model if given."""
    model = model or IndustryCode
    codes = json.loads(DATA.read_text(encoding="utf-8"))["codes"]
    for item in codes:  # sections come before their divisions in the file
        model.objects.update_or_create(
            code=item["code"],
            defaults={"name": item["name"], "level": item["level"], "parent_id": item["parent"]},
        )
    return len(codes)
