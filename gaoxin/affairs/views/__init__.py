"""Pages of government services: the catalogue and cases (``cases``), and the enterprise
service desk (``desk``: windows, appointments, bundles, agency, ratings, the portal)."""

from gaoxin.affairs.views.cases import *  # noqa: F403
from gaoxin.affairs.views.desk import *  # noqa: F403
