"""The project register owns a project's steward and its history (the handovers): whoever
changes the steward goes through projects' services, which record the handover."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from gaoxin.core.models import AuditAction, AuditEntry
from gaoxin.projects import services
from gaoxin.projects.models import StewardHandover
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def project(staff, steward, enterprise, calendar):
    return services.project_create(
        by=staff,
        data={"name": "海声尼克二期", "enterprise": enterprise, "steward": steward},
        on=dt.date(2026, 1, 5),
    )


def test_a_handover_changes_the_steward_and_goes_on_record(project, staff, steward):
    successor = UserFactory(username="steward_two", role="steward")
    handover = services.steward_hand_over(
        project=project, to_steward=successor, by=staff, note="  企业联系人：王经理  "
    )
    project.refresh_from_db()
    assert project.steward == successor
    assert (handover.from_steward, handover.to_steward, handover.note, handover.phase) == (
        steward,
        successor,
        "企业联系人：王经理",
        "attract",
    )
    audited = AuditEntry.objects.filter(action__in=[AuditAction.UPDATE, AuditAction.CREATE])
    assert audited.filter(content_type__model="project", action=AuditAction.UPDATE).exists()
    assert audited.filter(content_type__model="stewardhandover").count() == 1


def test_a_handover_is_refused_without_a_note_an_active_steward_or_the_power(
    project, staff, steward, clerk
):
    successor = UserFactory(username="steward_two", role="steward")
    with pytest.raises(ValidationError) as error:
        services.steward_hand_over(project=project, to_steward=successor, by=staff, note=" ")
    assert "note" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.steward_hand_over(project=project, to_steward=steward, by=staff, note="x")
    assert "to_steward" in error.value.message_dict  # serves it already
    with pytest.raises(ValidationError):
        services.steward_hand_over(project=project, to_steward=staff, by=staff, note="x")
    with pytest.raises(PermissionDenied):
        services.steward_hand_over(project=project, to_steward=successor, by=clerk, note="x")
    project.refresh_from_db()
    assert project.steward == steward
    assert not StewardHandover.objects.exists()


def test_changing_the_steward_on_the_project_form_is_a_handover_too(project, staff, steward):
    successor = UserFactory(username="steward_two", role="steward")
    services.project_update(
        project=project, by=staff, data={"steward": successor}, expected_version=project.version
    )
    handover = StewardHandover.objects.get()
    assert (handover.from_steward, handover.to_steward, handover.note) == (steward, successor, "")
