"""Forms of the government-service pages, one module per topic (as services and views): each
action's small form checks what was typed and says in Chinese what is wrong; the services keep
the rules and check again."""

from gaoxin.affairs.forms.agency import AuthorizationForm
from gaoxin.affairs.forms.appointments import BookingForm, RescheduleForm, SlotOpenForm
from gaoxin.affairs.forms.bundles import BundleFileForm
from gaoxin.affairs.forms.catalogue import (
    MaterialForm,
    MaterialFormSet,
    MaterialTemplateForm,
    ServiceItemForm,
    materials_data,
    materials_initial,
)
from gaoxin.affairs.forms.decisions import (
    CommitmentCheckForm,
    CommitmentSupplyForm,
    ReviewDecisionForm,
)
from gaoxin.affairs.forms.fields import RecordField, RecordsField
from gaoxin.affairs.forms.filing import ApplicationNewForm, SubmitForm, UploadForm, case_materials
from gaoxin.affairs.forms.intake import AcceptForm, IntakeSupplementForm, RefuseForm
from gaoxin.affairs.forms.pauses import ExclusionEndForm, ExclusionForm, ExtensionForm, SupplyForm
from gaoxin.affairs.forms.prereview import ConclusionForm, OpinionForm, PreReviewForm
from gaoxin.affairs.forms.ratings import RatingForm, RemediationReplyForm, RemediationVisitForm

__all__ = [
    "AcceptForm",
    "ApplicationNewForm",
    "AuthorizationForm",
    "BookingForm",
    "BundleFileForm",
    "CommitmentCheckForm",
    "CommitmentSupplyForm",
    "ConclusionForm",
    "ExclusionEndForm",
    "ExclusionForm",
    "ExtensionForm",
    "IntakeSupplementForm",
    "MaterialForm",
    "MaterialFormSet",
    "MaterialTemplateForm",
    "OpinionForm",
    "PreReviewForm",
    "RatingForm",
    "RecordField",
    "RecordsField",
    "RefuseForm",
    "RemediationReplyForm",
    "RemediationVisitForm",
    "RescheduleForm",
    "ReviewDecisionForm",
    "ServiceItemForm",
    "SlotOpenForm",
    "SubmitForm",
    "SupplyForm",
    "UploadForm",
    "case_materials",
    "materials_data",
    "materials_initial",
]
