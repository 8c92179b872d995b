"""The API of platforms and events: one router from the topic routers."""

from ninja import Router

from gaoxin.platforms.api.events import router as events_router
from gaoxin.platforms.api.platforms import router as platforms_router

__all__ = ["router"]

router = Router()
router.add_router("", platforms_router)
router.add_router("", events_router)
