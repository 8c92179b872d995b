"""The qualifications the zone tracks from the start, loaded by a migration (the admin adds
others)."""

from gaoxin.enterprises.models import QualificationType

__all__ = ["STANDARD_TYPES", "load_qualification_types"]

# (code, name, days before expiry that the reminder goes out)
STANDARD_TYPES = [
    ("hnte", "高新技术企业", 90),
    ("tech-sme", "科技型中小企业", 60),
    ("srdi", "专精特新", 60),
    ("above-scale", "规模以上工业企业", 30),
    ("gazelle", "瞪羚企业", 60),
]


def load_qualification_types(model=None) -> int:
    """Create the standard types; ``model`` is the migration's historical model if given."""
    model = model or QualificationType
    for code, name, days in STANDARD_TYPES:
        model.objects.get_or_create(code=code, defaults={"name": name, "remind_days": days})
    return len(STANDARD_TYPES)
