"""Government services in the API: one router for the app (mounted under /api/v1/affairs/),
built from one router per topic — the names of services/ and views/: catalogue (read),
filing, intake, pauses, decisions, appointments (windows and bookings), bundles, agency,
ratings. Paths and operation ids are those of the single module this package replaced."""

from ninja import Router

from gaoxin.affairs.api import (
    agency,
    appointments,
    bundles,
    case_actions,
    case_files,
    catalogue,
    catalogue_edit,  # noqa: F401  (its operations join catalogue's router)
    catalogue_files,
    decisions,
    filing,
    intake,
    pauses,
    prereview,
    ratings,
)

__all__ = ["router"]

router = Router()
for topic in (
    catalogue_files,  # /items/export and /items/import before /items/{pk}
    catalogue,
    filing,
    intake,
    decisions,
    pauses,
    appointments,
    bundles,
    agency,
    ratings,
    prereview,
    case_actions,
    case_files,
):
    router.add_router("", topic.router)
