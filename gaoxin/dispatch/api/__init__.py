"""The API of key-project dispatch: one router for the app, built from one router per topic
(the names of services/ and views/). Problems and their supervision notices answer under
/api/v1/problems/, everything else under /api/v1/dispatch/."""

from ninja import Router

from gaoxin.dispatch.api import (
    appeals,
    assessment,
    key_projects,
    ledger,
    lights,
    matters,
    meetings,
    periods,
    problems,
    stewards,
)

__all__ = ["router"]

router = Router()
router.add_router("/problems/", problems.router)
router.add_router("/appeals/", appeals.router)
for topic in (key_projects, matters, periods, meetings, lights, assessment, ledger, stewards):
    router.add_router("/dispatch/", topic.router)
