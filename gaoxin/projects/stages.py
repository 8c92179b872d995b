"""The project stage machine, defined in one place (PRODUCT.md §1)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Stage(models.TextChoices):
    LEAD = "lead", _("Lead")
    NEGOTIATING = "negotiating", _("Negotiating")
    SIGNED = "signed", _("Signed")
    REGISTERED = "registered", _("Registered")
    UNDER_CONSTRUCTION = "under_construction", _("Under construction")
    IN_PRODUCTION = "in_production", _("In production")
    AT_CAPACITY = "at_capacity", _("At capacity")
    DROPPED = "dropped", _("Dropped")


# The pipeline in order (dropped stands outside it).
PIPELINE = [
    Stage.LEAD,
    Stage.NEGOTIATING,
    Stage.SIGNED,
    Stage.REGISTERED,
    Stage.UNDER_CONSTRUCTION,
    Stage.IN_PRODUCTION,
    Stage.AT_CAPACITY,
]

# Where a project may go from each stage. A project of an enterprise already registered in the
# zone (an expansion) goes from signed straight to construction; a dropped project may be
# taken up again in negotiation.
TRANSITIONS: dict[str, frozenset[str]] = {
    Stage.LEAD: frozenset({Stage.NEGOTIATING, Stage.DROPPED}),
    Stage.NEGOTIATING: frozenset({Stage.SIGNED, Stage.DROPPED}),
    Stage.SIGNED: frozenset({Stage.REGISTERED, Stage.UNDER_CONSTRUCTION, Stage.DROPPED}),
    Stage.REGISTERED: frozenset({Stage.UNDER_CONSTRUCTION, Stage.DROPPED}),
    Stage.UNDER_CONSTRUCTION: frozenset({Stage.IN_PRODUCTION, Stage.DROPPED}),
    Stage.IN_PRODUCTION: frozenset({Stage.AT_CAPACITY, Stage.DROPPED}),
    Stage.AT_CAPACITY: frozenset(),
    Stage.DROPPED: frozenset({Stage.NEGOTIATING}),
}

# Stages a new project may start in (an imported ledger may start anywhere; see importer).
INITIAL = frozenset({Stage.LEAD, Stage.NEGOTIATING})

# Stages at which a project counts as landed and being built or operated.
BUILDING_OR_OPERATING = frozenset(
    {Stage.UNDER_CONSTRUCTION, Stage.IN_PRODUCTION, Stage.AT_CAPACITY}
)


def allowed_next(stage: str | None) -> frozenset[str]:
    if stage is None:
        return INITIAL
    return TRANSITIONS[stage]


class Phase(models.TextChoices):
    """The part of a project's life a steward serves in (a handover and a service log entry
    are filed under it)."""

    ATTRACT = "attract", _("Attraction and talks (招引洽谈)")
    BUILD = "build", _("Landing and construction (落地建设)")
    OPERATE = "operate", _("Production and output (投产达效)")


def phase_of(stage: str) -> str:
    if stage in (Stage.IN_PRODUCTION, Stage.AT_CAPACITY):
        return Phase.OPERATE
    if stage in (Stage.REGISTERED, Stage.UNDER_CONSTRUCTION):
        return Phase.BUILD
    return Phase.ATTRACT
