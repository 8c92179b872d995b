"""The talent module's API: one router from the topic routers (figures and lists, talents,
teams, batches)."""

from ninja import Router

from gaoxin.talent.api.batches import router as batches_router
from gaoxin.talent.api.figures import router as figures_router
from gaoxin.talent.api.talents import router as talents_router
from gaoxin.talent.api.teams import router as teams_router

__all__ = ["router"]

router = Router()
router.add_router("", figures_router)
router.add_router("", talents_router)
router.add_router("", teams_router)
router.add_router("", batches_router)
