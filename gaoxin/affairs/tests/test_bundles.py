"""Bundles (一件事): steps opened in order, timed end to end, stopped by a rejection, filed by an
agent within its authorisation."""

import pytest
from django.core.exceptions import ValidationError

from gaoxin.affairs import clocks, services
from gaoxin.affairs.models import (
    ApplicationState,
)
from gaoxin.affairs.tests.support import (
    approve_all,
    at,
    authorise,
)

pytestmark = pytest.mark.django_db
A = ApplicationState


def test_a_bundle_opens_its_steps_in_order_and_is_timed_end_to_end(
    company_setup, enterprise, enterprise_user, reviewers, time_machine
):
    # Filed on Friday at 16:30; the promise is one working day (seven office hours).
    time_machine.move_to(at(2026, 11, 6, 16, 30), tick=False)
    run = services.bundle_file(bundle=company_setup, enterprise=enterprise, by=enterprise_user)
    assert run.number.startswith("YJS2026") and run.deadline == at(2026, 11, 9, 16, 30)
    (licence_case,) = run.cases.all()
    assert licence_case.state == "submitted" and licence_case.bundle_step.order == 1
    time_machine.move_to(at(2026, 11, 6, 16, 40), tick=False)
    licence_case = approve_all(licence_case, reviewers)
    time_machine.move_to(at(2026, 11, 6, 16, 50), tick=False)
    assert licence_case.state == "approved"
    assert services.clock(licence_case)["used"] == 0  # decided within its 30 minutes
    others = list(run.cases.exclude(pk=licence_case.pk))
    assert sorted(a.bundle_step.order for a in others) == [2, 3, 4]
    assert all(a.state == "submitted" and a.channel == "online" for a in others)
    time_machine.move_to(at(2026, 11, 9, 15, 0), tick=False)  # Monday
    for application in others:
        approve_all(application, reviewers)
    run.refresh_from_db()
    assert run.state == "done" and run.finished_at == at(2026, 11, 9, 15, 0)
    timing = clocks.bundle_clock(run)
    assert timing["used"] == 60 + 180 + 90 and timing["within"]


def test_a_rejected_step_stops_the_bundle(
    company_setup, enterprise, enterprise_user, reviewers, time_machine
):
    time_machine.move_to(at(2026, 11, 6, 10), tick=False)
    run = services.bundle_file(bundle=company_setup, enterprise=enterprise, by=enterprise_user)
    (licence_case,) = run.cases.all()
    services.application_accept(application=licence_case, by=reviewers["clerk"])
    review = licence_case.reviews.get()
    services.review_decide(
        review=review, by=reviewers["approval"], decision="rejected", reasons="名称不合规"
    )
    run.refresh_from_db()
    assert run.state == "stopped" and run.cases.count() == 1


def test_an_agent_files_a_bundle_within_its_authorisation(
    company_setup, enterprise, enterprise_user, agent, licence, reviewers, time_machine
):
    time_machine.move_to(at(2026, 11, 2, 9), tick=False)
    authorise(enterprise, agent, enterprise_user, items=[licence])
    with pytest.raises(ValidationError):  # the seal, tax and social security are not in scope
        services.bundle_file(bundle=company_setup, enterprise=enterprise, by=agent)
    authorization = authorise(
        enterprise, agent, enterprise_user, items=[s.item for s in company_setup.steps.all()]
    )
    run = services.bundle_file(bundle=company_setup, enterprise=enterprise, by=agent)
    assert run.authorization == authorization
    # The enterprise revokes while the licence is reviewed: the bundle goes on as filed.
    services.authorization_revoke(authorization=authorization, by=enterprise_user)
    approve_all(run.cases.get(), reviewers)
    assert run.cases.count() == 4
    assert set(run.cases.values_list("channel", flat=True)) == {"agent"}
