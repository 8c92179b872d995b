"""Pre-review (预审): opinions collected, concluded by the lead, carried by the application."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from gaoxin.affairs import services
from gaoxin.affairs.models import (
    ApplicationState,
    PreReview,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
A = ApplicationState


def test_a_pre_review_collects_opinions_and_goes_with_the_application(
    enterprise_user, enterprise, other_enterprise, permit, approver, planner, planning, calendar
):
    pre = services.pre_review_request(
        enterprise=enterprise,
        items=[permit],
        departments=[planning],
        question="拟新建厂房，请预审规划与许可条件",
        by=enterprise_user,
    )
    assert pre.lead_department.code == "approval"
    with pytest.raises(ValidationError):  # planning has not spoken
        services.pre_review_conclude(pre_review=pre, by=approver, conclusion="可申报")
    with pytest.raises(PermissionDenied):  # only the lead concludes
        services.pre_review_conclude(pre_review=pre, by=planner, conclusion="可申报")
    services.pre_review_opinion(pre_review=pre, by=planner, opinion="符合控规，容积率不低于1.0")
    with pytest.raises(ValidationError):
        services.pre_review_opinion(pre_review=pre, by=planner, opinion="再说一次")
    services.pre_review_conclude(pre_review=pre, by=approver, conclusion="材料齐全后可正式申报")
    case = services.application_create(
        enterprise=enterprise, items=[permit], by=enterprise_user, channel="online", pre_review=pre
    )
    assert case.pre_review == pre
    stranger = UserFactory(username="stranger", role="enterprise", enterprise=other_enterprise)
    assert not PreReview.objects.restrict(stranger).exists()
    with pytest.raises(ValidationError):
        other = services.application_create(
            enterprise=other_enterprise,
            items=[permit],
            by=stranger,
            channel="online",
            pre_review=pre,
        )
        assert other is None
