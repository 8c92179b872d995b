"""The space module's API: one router from the topic routers (buildings, leases)."""

from ninja import Router

from gaoxin.spaces.api.buildings import router as buildings_router
from gaoxin.spaces.api.leases import router as leases_router

__all__ = ["router"]

router = Router()
router.add_router("", buildings_router)
router.add_router("", leases_router)
