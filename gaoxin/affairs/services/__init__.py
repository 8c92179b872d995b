"""Writes of government services, one module per topic, imports running one way:

- ``catalogue``: service items, their materials and blank forms;
- ``prereview``: pre-reviews (预审) before filing;
- ``filing``: the draft, its materials, the submission; ``bundles`` above it opens a bundle's
  steps as cases and moves a run on when a case is decided;
- ``pauses``: the clocks standing still and running on (supplements, exclusions, extension);
- ``decisions``: the parallel review, committed (容缺) materials, closing, commitments past
  their date — above bundles and pauses; ``intake``: the window's five days (accept, refuse,
  the supplement notice) above decisions;
- ``agency``, ``appointments``, ``ratings``;
- below them all, ``workflow`` (the states and the one way a case moves) and ``notices`` (who
  hears of a step).

Callers use ``from gaoxin.affairs import services``. The clocks are read in
gaoxin.affairs.clocks; ``clock`` and ``review_clock`` are named here too for the callers that
read them through services.
"""

from gaoxin.affairs.clocks import clock, review_clock
from gaoxin.affairs.services.agency import (
    MAX_AUTHORIZATION_DAYS,
    authority,
    authorization_grant,
    authorization_revoke,
)
from gaoxin.affairs.services.appointments import (
    NO_SHOW_AFTER,
    OPEN_AHEAD_DAYS,
    REMIND_AHEAD,
    appointment_book,
    appointment_cancel,
    appointment_check_in,
    appointment_reschedule,
    calendar_file,
    cancel_deadline,
    keep_schedules_open,
    record_no_shows,
    send_reminders,
    slot_open_off_hours,
    slots_open,
)
from gaoxin.affairs.services.bundles import bundle_advance, bundle_file, bundle_step_decided
from gaoxin.affairs.services.catalogue import (
    ITEM_FIELDS,
    check_item,
    item_create,
    item_update,
    material_template_attach,
)
from gaoxin.affairs.services.decisions import (
    COMMITMENT_REMINDER_DAYS,
    application_close,
    check_commitments,
    commitment_check,
    commitment_supply,
    review_decide,
)
from gaoxin.affairs.services.filing import (
    application_create,
    application_submit,
    material_upload,
    materials_handed_in,
    missing_materials,
    submit_unchecked,
)
from gaoxin.affairs.services.intake import (
    INTAKE_NOTICE_DAYS,
    application_accept,
    application_refuse,
    intake_notice_due,
    intake_received_at,
    intake_supplement_request,
)
from gaoxin.affairs.services.notices import tell_applicant
from gaoxin.affairs.services.pauses import (
    MAX_EXTENSION_DAYS,
    exclusion_end,
    exclusion_start,
    extension_grant,
    supplement_supply,
)
from gaoxin.affairs.services.prereview import (
    attach_pre_review,
    pre_review_conclude,
    pre_review_opinion,
    pre_review_request,
)
from gaoxin.affairs.services.ratings import (
    rating_due,
    rating_give,
    ratings_default,
    remediation_reply,
    remediation_visit,
)
from gaoxin.affairs.services.workflow import TRANSITIONS

__all__ = [
    "COMMITMENT_REMINDER_DAYS",
    "INTAKE_NOTICE_DAYS",
    "ITEM_FIELDS",
    "MAX_AUTHORIZATION_DAYS",
    "MAX_EXTENSION_DAYS",
    "NO_SHOW_AFTER",
    "OPEN_AHEAD_DAYS",
    "REMIND_AHEAD",
    "TRANSITIONS",
    "application_accept",
    "application_close",
    "application_create",
    "application_refuse",
    "application_submit",
    "appointment_book",
    "appointment_cancel",
    "appointment_check_in",
    "appointment_reschedule",
    "attach_pre_review",
    "authority",
    "authorization_grant",
    "authorization_revoke",
    "bundle_advance",
    "bundle_file",
    "bundle_step_decided",
    "calendar_file",
    "cancel_deadline",
    "check_commitments",
    "check_item",
    "clock",
    "commitment_check",
    "commitment_supply",
    "exclusion_end",
    "exclusion_start",
    "extension_grant",
    "intake_notice_due",
    "intake_received_at",
    "intake_supplement_request",
    "item_create",
    "item_update",
    "keep_schedules_open",
    "material_template_attach",
    "material_upload",
    "materials_handed_in",
    "missing_materials",
    "pre_review_conclude",
    "pre_review_opinion",
    "pre_review_request",
    "rating_due",
    "rating_give",
    "ratings_default",
    "record_no_shows",
    "remediation_reply",
    "remediation_visit",
    "review_clock",
    "review_decide",
    "send_reminders",
    "slot_open_off_hours",
    "slots_open",
    "submit_unchecked",
    "supplement_supply",
    "tell_applicant",
]
