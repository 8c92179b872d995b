"""Writes of government services, one module per part: the case workflow and its clocks
(``cases``), bundles (``bundles``), agency (``agency``), appointments (``appointments``) and
ratings (``ratings``). Callers use ``from gaoxin.affairs import services``."""

from gaoxin.affairs.services.agency import *  # noqa: F403
from gaoxin.affairs.services.appointments import *  # noqa: F403
from gaoxin.affairs.services.bundles import *  # noqa: F403
from gaoxin.affairs.services.cases import *  # noqa: F403
from gaoxin.affairs.services.cases import ITEM_FIELDS, TRANSITIONS  # noqa: F401
from gaoxin.affairs.services.ratings import *  # noqa: F403
