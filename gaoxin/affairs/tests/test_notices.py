"""Who hears of a case's steps: the applicant, the window and each department."""

import datetime as dt

import pytest

from gaoxin.affairs import services
from gaoxin.affairs.models import (
    ApplicationState,
)
from gaoxin.affairs.tests.support import (
    accepted,
    at,
    review_of,
)
from gaoxin.core.models import Notification
from tests.factories import pdf

pytestmark = pytest.mark.django_db
A = ApplicationState


def test_the_applicant_and_each_department_hear_of_every_step(
    enterprise_user, enterprise, three_way_permit, people, time_machine
):
    case = accepted(
        enterprise_user,
        enterprise,
        three_way_permit,
        people["clerk"],
        time_machine,
        at(2026, 11, 2, 10),
        missing=[three_way_permit.materials.get(essential=False)],
        due_on=dt.date(2026, 11, 6),
        signatory="赵海",
    )

    def told(user):
        return list(
            Notification.objects.filter(user=user, link__contains=f"/{case.pk}/")
            .order_by("pk")
            .values_list("title", flat=True)
        )

    for code in ("approval", "planning", "environment"):
        assert len(told(people[code])) == 1, code  # its new review
    assert any("容缺" in t for t in told(enterprise_user))
    services.review_decide(
        review=review_of(case, "planning"),
        by=people["planning"],
        decision="supplement",
        reasons="宗地图",
    )
    assert any("补正" in t for t in told(enterprise_user))
    time_machine.move_to(at(2026, 11, 4, 9), tick=False)  # two working days before the 6th
    services.check_commitments()
    services.check_commitments()
    assert sum("11-06" in t or "2026-11-06" in t for t in told(enterprise_user)) == 1
    services.material_upload(application=case, upload=pdf("补正.pdf"), by=enterprise_user)
    services.supplement_supply(application=case, by=enterprise_user)
    assert any("恢复" in t for t in told(enterprise_user))
    services.review_decide(
        review=review_of(case, "planning"),
        by=people["planning"],
        decision="rejected",
        reasons="不符合控规",
    )
    services.application_close(application=case, by=people["clerk"])
    titles = told(enterprise_user)
    assert any("不予许可" in t or "驳回" in t or "办结" in t for t in titles)
    assert any("办结" in t for t in titles)
