"""Agency (代办委托): an agent acts only within scope and period, a revocation or an expiry takes
effect at once; the service desk by API."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from gaoxin.accounts.services import api_token_create
from gaoxin.affairs import services
from gaoxin.affairs.models import (
    Application,
    ApplicationState,
    Appointment,
    Slot,
)
from gaoxin.affairs.tests.support import (
    at,
    authorise,
    closed_case,
    slot_at,
)
from gaoxin.core.models import Notification
from gaoxin.projects.services import project_create
from tests.factories import hand_in_materials

pytestmark = pytest.mark.django_db
A = ApplicationState


def test_an_agent_acts_only_within_scope_and_period(
    client, licence, seal, enterprise, enterprise_user, agent, other_enterprise, time_machine
):
    time_machine.move_to(at(2026, 11, 2, 9), tick=False)
    with pytest.raises(ValidationError):  # only a zone agent may be authorised
        authorise(enterprise, enterprise_user, enterprise_user, items=[licence])
    authorization = authorise(enterprise, agent, enterprise_user, items=[licence])
    assert authorization.number == f"DB2026{authorization.pk:06d}"
    assert Notification.objects.filter(user=agent).count() == 1
    case = services.application_create(
        enterprise=enterprise, items=[licence], by=agent, channel="window"
    )
    assert (case.channel, case.authorization) == ("agent", authorization)
    with pytest.raises(ValidationError, match="授权范围"):
        services.application_create(enterprise=enterprise, items=[seal], by=agent, channel="agent")
    with pytest.raises(PermissionDenied):  # nobody else authorised this agent
        services.application_create(
            enterprise=other_enterprise, items=[licence], by=agent, channel="agent"
        )
    hand_in_materials(case, agent)
    services.application_submit(application=case, by=agent)
    # After revocation the agent can no longer act or even see the case.
    services.authorization_revoke(authorization=authorization, by=enterprise_user)
    case.refresh_from_db()
    assert not agent.has_perm("affairs.supply_application", case)
    with pytest.raises(ValidationError, match="撤销"):
        services.application_create(
            enterprise=enterprise, items=[licence], by=agent, channel="agent"
        )
    assert not Application.objects.restrict(agent).exists()
    # The enterprise sees what the agent did in its name.
    client.force_login(enterprise_user)
    page = client.get(f"/affairs/authorizations/{authorization.pk}/").content.decode()
    assert case.number in page and "王代办" in page


def test_an_authorisation_expires_and_a_project_scope_covers_any_item(
    licence, seal, enterprise, enterprise_user, agent, staff, time_machine
):
    time_machine.move_to(at(2026, 11, 2, 9), tick=False)
    project = project_create(by=staff, data={"name": "智能终端项目", "enterprise": enterprise})
    authorization = authorise(
        enterprise, agent, enterprise_user, project=project, valid_until=dt.date(2026, 11, 30)
    )
    with pytest.raises(ValidationError):  # project scope: the agent names the project
        services.application_create(enterprise=enterprise, items=[seal], by=agent, channel="agent")
    case = services.application_create(
        enterprise=enterprise, items=[seal, licence], by=agent, channel="agent", project=project
    )
    assert case.authorization == authorization and case.project == project
    time_machine.move_to(at(2026, 12, 1, 9), tick=False)
    with pytest.raises(ValidationError, match="过期"):
        services.application_create(
            enterprise=enterprise, items=[seal], by=agent, channel="agent", project=project
        )
    with pytest.raises(ValidationError):  # periods are checked
        authorise(
            enterprise,
            agent,
            enterprise_user,
            items=[seal],
            valid_from=dt.date(2026, 12, 1),
            valid_until=dt.date(2028, 1, 1),
        )


def test_a_revoked_agent_is_refused_on_cancel_move_and_read(
    client, window, licence, seal, company_setup, enterprise, enterprise_user, agent, time_machine
):
    time_machine.move_to(at(2026, 11, 2, 9), tick=False)
    authorization = authorise(
        enterprise, agent, enterprise_user, items=[s.item for s in company_setup.steps.all()]
    )
    first, second = slot_at(window, 2026, 11, 4, 9, 0), slot_at(window, 2026, 11, 4, 10, 0)
    appointment = services.appointment_book(
        slot=first, enterprise=enterprise, item=licence, by=agent
    )
    run = services.bundle_file(bundle=company_setup, enterprise=enterprise, by=agent)
    case = run.cases.get()
    client.force_login(agent)
    for url in (
        f"/affairs/appointments/{appointment.pk}/",
        f"/affairs/bundle-cases/{run.pk}/",
        f"/affairs/applications/{case.pk}/",
    ):
        assert client.get(url).status_code == 200, url
    services.authorization_revoke(authorization=authorization, by=enterprise_user)
    with pytest.raises(ValidationError, match="撤销"):
        services.appointment_cancel(appointment=appointment, by=agent)
    with pytest.raises(ValidationError, match="撤销"):
        services.appointment_reschedule(appointment=appointment, slot=second, by=agent)
    assert Appointment.objects.get(pk=appointment.pk).state == "booked"
    assert Slot.objects.get(pk=second.pk).booked == 0
    for url in (
        f"/affairs/appointments/{appointment.pk}/",
        f"/affairs/appointments/{appointment.pk}/calendar.ics",
        f"/affairs/bundle-cases/{run.pk}/",
        f"/affairs/applications/{case.pk}/",
    ):
        assert client.get(url).status_code == 404, url
    assert not Appointment.objects.restrict(agent).exists()
    # What it did stays on the record, on behalf of the enterprise.
    client.force_login(enterprise_user)
    page = client.get(f"/affairs/authorizations/{authorization.pk}/").content.decode()
    assert case.number in page


def test_the_desk_by_api(
    client, window, licence, enterprise, enterprise_user, reviewers, agent, time_machine
):
    def bearer(user):
        return {"Authorization": f"Bearer {api_token_create(user=user, name='t')[1]}"}

    time_machine.move_to(at(2026, 11, 2, 9), tick=False)
    slot = slot_at(window, 2026, 11, 3, 9, 0)
    booked = client.post(
        "/api/v1/affairs/appointments",
        {"slot": slot.pk, "enterprise": enterprise.pk, "item": licence.pk},
        content_type="application/json",
        headers=bearer(enterprise_user),
    )
    assert booked.status_code == 201 and booked.json()["state"] == "booked"
    again = client.post(
        "/api/v1/affairs/appointments",
        {"slot": slot.pk, "enterprise": enterprise.pk, "item": licence.pk},
        content_type="application/json",
        headers=bearer(enterprise_user),
    )
    assert again.status_code == 400
    cancelled = client.post(
        f"/api/v1/affairs/appointments/{booked.json()['id']}/cancel",
        headers=bearer(enterprise_user),
    )
    assert cancelled.json()["state"] == "cancelled"
    granted = client.post(
        "/api/v1/affairs/authorizations",
        {
            "enterprise": enterprise.pk,
            "agent": agent.pk,
            "scope": "items",
            "items": [licence.pk],
            "valid_from": "2026-11-01",
            "valid_until": "2026-11-30",
            "signatory": "赵海",
        },
        content_type="application/json",
        headers=bearer(enterprise_user),
    )
    assert granted.status_code == 201, granted.content
    filed = client.post(
        "/api/v1/affairs/applications",
        {"enterprise": enterprise.pk, "items": [licence.pk]},
        content_type="application/json",
        headers=bearer(agent),
    )
    assert filed.status_code == 201 and filed.json()["channel"] == "agent"
    revoked = client.post(
        f"/api/v1/affairs/authorizations/{granted.json()['id']}/revoke",
        headers=bearer(enterprise_user),
    )
    assert revoked.json()["revoked_at"] is not None
    after = client.post(
        "/api/v1/affairs/applications",
        {"enterprise": enterprise.pk, "items": [licence.pk]},
        content_type="application/json",
        headers=bearer(agent),
    )
    assert after.status_code == 400
    case = closed_case(enterprise, enterprise_user, licence, reviewers)
    rated = client.post(
        f"/api/v1/affairs/applications/{case.pk}/rating",
        {"level": 1, "reasons": "态度差"},
        content_type="application/json",
        headers=bearer(enterprise_user),
    )
    assert rated.status_code == 201 and rated.json()["remediation"] is not None
