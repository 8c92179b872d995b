"""Pages of government services, one module per topic (as services, forms and the API):
catalogue, filing (the case list, a new application, the case page and its draft's actions),
intake, pauses, decisions (and the review queue), prereview, statistics, appointments (windows
and bookings), bundles, agency, ratings. ``case_page`` below them builds the case page they
share (not a page of its own: not named here)."""

from gaoxin.affairs.views.agency import (
    authorization_detail,
    authorization_list,
)
from gaoxin.affairs.views.appointments import (
    BOOKING_DAYS,
    appointment_cancel,
    appointment_check_in,
    appointment_detail,
    appointment_ics,
    appointment_list,
    appointment_new,
    appointment_reschedule,
    appointments_ics,
    window_detail,
    window_list,
)
from gaoxin.affairs.views.bundles import (
    bundle_case_detail,
    bundle_detail,
    bundle_list,
)
from gaoxin.affairs.views.catalogue import (
    item_detail,
    item_edit,
    item_import,
    item_list,
    item_new,
    material_template,
)
from gaoxin.affairs.views.decisions import (
    application_close,
    application_commitment_check,
    application_commitment_supply,
    application_review,
    review_queue,
)
from gaoxin.affairs.views.filing import (
    application_detail,
    application_list,
    application_new,
    application_submit,
    application_upload,
    material_download,
    notice,
)
from gaoxin.affairs.views.intake import (
    application_accept,
    application_intake_supplement,
    application_refuse,
)
from gaoxin.affairs.views.pauses import (
    application_exclude,
    application_exclusion_end,
    application_extend,
    application_supply,
)
from gaoxin.affairs.views.prereview import (
    pre_review_conclude,
    pre_review_detail,
    pre_review_list,
    pre_review_opinion,
)
from gaoxin.affairs.views.ratings import (
    application_rate,
    rating_list,
    remediation_detail,
    remediation_reply,
    remediation_visit,
)
from gaoxin.affairs.views.statistics import (
    statistics,
)

__all__ = [
    "BOOKING_DAYS",
    "application_accept",
    "application_close",
    "application_commitment_check",
    "application_commitment_supply",
    "application_detail",
    "application_exclude",
    "application_exclusion_end",
    "application_extend",
    "application_intake_supplement",
    "application_list",
    "application_new",
    "application_rate",
    "application_refuse",
    "application_review",
    "application_submit",
    "application_supply",
    "application_upload",
    "appointment_cancel",
    "appointment_check_in",
    "appointment_detail",
    "appointment_ics",
    "appointment_list",
    "appointment_new",
    "appointment_reschedule",
    "appointments_ics",
    "authorization_detail",
    "authorization_list",
    "bundle_case_detail",
    "bundle_detail",
    "bundle_list",
    "item_detail",
    "item_edit",
    "item_import",
    "item_list",
    "item_new",
    "material_download",
    "material_template",
    "notice",
    "pre_review_conclude",
    "pre_review_detail",
    "pre_review_list",
    "pre_review_opinion",
    "rating_list",
    "remediation_detail",
    "remediation_reply",
    "remediation_visit",
    "review_queue",
    "statistics",
    "window_detail",
    "window_list",
]
