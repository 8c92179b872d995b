"""The window's intake: conditional acceptance (容缺受理), the five working days and the one
supplement notice (一次性告知), refusing to accept (不予受理)."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from gaoxin.affairs import services
from gaoxin.affairs.models import (
    Application,
    ApplicationState,
)
from gaoxin.affairs.tests.support import (
    at,
    submitted,
)
from tests.factories import pdf

pytestmark = pytest.mark.django_db
A = ApplicationState


def test_conditional_acceptance_allows_only_waivable_materials_for_honest_enterprises(
    enterprise_user, enterprise, permit, window_clerk, time_machine
):
    case = submitted(enterprise_user, enterprise, [permit], time_machine, at(2026, 9, 21, 10))
    essential, waivable = permit.materials.order_by("order")
    with pytest.raises(ValidationError):
        services.application_accept(
            application=case,
            by=window_clerk,
            missing=[essential],
            due_on=dt.date(2026, 9, 25),
            signatory="赵海",
        )
    with pytest.raises(ValidationError):  # later than the promised deadline (29 September)
        services.application_accept(
            application=case,
            by=window_clerk,
            missing=[waivable],
            due_on=dt.date(2026, 10, 9),
            signatory="赵海",
        )
    enterprise.is_dishonest = True
    enterprise.save()
    with pytest.raises(ValidationError):
        services.application_accept(
            application=case,
            by=window_clerk,
            missing=[waivable],
            due_on=dt.date(2026, 9, 25),
            signatory="赵海",
        )
    assert Application.objects.get(pk=case.pk).state == A.SUBMITTED


def test_a_case_left_at_the_window_counts_as_accepted_on_receipt(
    enterprise_user, enterprise, permit, window_clerk, time_machine
):
    case = submitted(enterprise_user, enterprise, [permit], time_machine, at(2026, 9, 21, 10))
    time_machine.move_to(at(2026, 9, 30, 10), tick=False)  # six working days later
    services.application_accept(application=case, by=window_clerk)
    case.refresh_from_db()
    assert case.accepted_at == at(2026, 9, 21, 10)
    assert case.deadline == at(2026, 9, 29, 10)  # already overdue: the window was late
    assert services.clock(case)["light"] == "red"


def test_a_supplement_notice_in_time_holds_acceptance_until_supplied(
    client, enterprise_user, enterprise, permit, window_clerk, time_machine
):
    case = submitted(enterprise_user, enterprise, [permit], time_machine, at(2026, 9, 21, 10))
    # The fifth working day: Mid-Autumn Festival (25 September) does not count.
    time_machine.move_to(at(2026, 9, 29, 16), tick=False)
    with pytest.raises(ValidationError):
        services.intake_supplement_request(application=case, by=window_clerk, what="  ")
    with pytest.raises(PermissionDenied):
        services.intake_supplement_request(application=case, by=enterprise_user, what="缺章程")
    services.intake_supplement_request(
        application=case, by=window_clerk, what="申请书缺法定代表人签字；场所平面图不清晰"
    )
    with pytest.raises(ValidationError, match="一次性告知"):  # everything in one notice
        services.intake_supplement_request(application=case, by=window_clerk, what="又缺一项")
    with pytest.raises(ValidationError):  # nothing is accepted while the window waits
        services.application_accept(application=case, by=window_clerk)
    client.force_login(enterprise_user)
    notice = client.get(f"/affairs/applications/{case.pk}/notices/supplement/").content.decode()
    assert "一次性告知" in notice and "受理窗口" in notice
    # The enterprise supplies two weeks later; the five days now count from then.
    time_machine.move_to(at(2026, 10, 12, 9), tick=False)
    services.material_upload(application=case, upload=pdf("补正.pdf"), by=enterprise_user)
    services.supplement_supply(application=case, by=enterprise_user, note="已补签字")
    time_machine.move_to(at(2026, 10, 13, 15), tick=False)
    services.application_accept(application=case, by=window_clerk)
    case.refresh_from_db()
    assert case.state == A.UNDER_REVIEW
    assert case.accepted_at == at(2026, 10, 13, 15)  # in time: accepted when accepted
    assert case.deadline == at(2026, 10, 20, 15)


def test_a_supplement_notice_too_late_is_refused_and_the_case_counts_as_accepted(
    enterprise_user, enterprise, permit, window_clerk, time_machine
):
    case = submitted(enterprise_user, enterprise, [permit], time_machine, at(2026, 9, 21, 10))
    time_machine.move_to(at(2026, 9, 30, 10), tick=False)  # the sixth working day
    with pytest.raises(ValidationError, match="五个工作日"):
        services.intake_supplement_request(application=case, by=window_clerk, what="缺章程")
    assert not case.supplements.exists()
    services.application_accept(application=case, by=window_clerk)
    case.refresh_from_db()
    assert case.accepted_at == at(2026, 9, 21, 10)


def test_the_window_refuses_to_accept_with_reasons_in_the_notice(
    client, enterprise_user, enterprise, permit, window_clerk, time_machine
):
    case = submitted(enterprise_user, enterprise, [permit], time_machine, at(2026, 9, 21, 10))
    with pytest.raises(ValidationError):
        services.application_refuse(application=case, by=window_clerk, reasons=" ")
    with pytest.raises(PermissionDenied):
        services.application_refuse(application=case, by=enterprise_user, reasons="不属本机关")
    services.application_refuse(application=case, by=window_clerk, reasons="不属于本机关职权范围")
    case.refresh_from_db()
    assert case.state == A.REJECTED and case.accepted_at is None and not case.reviews.exists()
    with pytest.raises(ValidationError):  # refused once is decided
        services.application_refuse(application=case, by=window_clerk, reasons="再次")
    client.force_login(enterprise_user)
    notice = client.get(f"/affairs/applications/{case.pk}/notices/result/").content.decode()
    assert "不予受理" in notice and "不属于本机关职权范围" in notice and "准予许可" not in notice
