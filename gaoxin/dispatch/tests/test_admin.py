"""Plan templates are kept in the admin (docs/operations.md), and every change there is
audited: the template and each of its steps."""

import pytest

from gaoxin.core.models import AuditAction, AuditEntry
from gaoxin.dispatch.models import PlanTemplate, PlanTemplateStep

pytestmark = pytest.mark.django_db

STEPS = "steps"  # the inline's prefix (related_name)


def _payload(name, steps, initial=0):
    data = {
        "name": name,
        "description": "",
        f"{STEPS}-TOTAL_FORMS": str(len(steps)),
        f"{STEPS}-INITIAL_FORMS": str(initial),
        f"{STEPS}-MIN_NUM_FORMS": "0",
        f"{STEPS}-MAX_NUM_FORMS": "1000",
    }
    for i, step in enumerate(steps):
        for key, value in step.items():
            data[f"{STEPS}-{i}-{key}"] = value
    return data


def test_an_admin_adds_a_plan_template_with_its_steps_on_record(client, admin_user):
    client.force_login(admin_user)
    response = client.post(
        "/admin/dispatch/plantemplate/add/",
        _payload(
            "工业项目",
            [
                {"order": "1", "name": "立项", "duration_days": "10"},
                {"order": "2", "name": "开工", "duration_days": "5", "marks_start": "on"},
            ],
        ),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    template = PlanTemplate.objects.get(name="工业项目")
    assert list(template.steps.values_list("name", flat=True)) == ["立项", "开工"]
    created = AuditEntry.objects.filter(action=AuditAction.CREATE)
    assert created.filter(content_type__model="plantemplate", object_id=str(template.pk)).exists()
    assert created.filter(content_type__model="plantemplatestep").count() == 2


def test_changing_and_deleting_a_step_in_the_admin_is_audited(client, admin_user):
    template = PlanTemplate.objects.create(name="服务业项目")
    first = PlanTemplateStep.objects.create(
        template=template, order=1, name="签约", duration_days=3
    )
    second = PlanTemplateStep.objects.create(
        template=template, order=2, name="注册", duration_days=4
    )
    client.force_login(admin_user)
    response = client.post(
        f"/admin/dispatch/plantemplate/{template.pk}/change/",
        _payload(
            "服务业项目",
            [
                {
                    "id": str(first.pk),
                    "template": str(template.pk),
                    "order": "1",
                    "name": "签约",
                    "duration_days": "6",
                },
                {
                    "id": str(second.pk),
                    "template": str(template.pk),
                    "order": "2",
                    "name": "注册",
                    "duration_days": "4",
                    "DELETE": "on",
                },
            ],
            initial=2,
        ),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert list(template.steps.values_list("name", "duration_days")) == [("签约", 6)]
    changed = AuditEntry.objects.get(
        action=AuditAction.UPDATE, content_type__model="plantemplatestep"
    )
    assert (changed.before["duration_days"], changed.after["duration_days"]) == (3, 6)
    deleted = AuditEntry.objects.get(
        action=AuditAction.DELETE, content_type__model="plantemplatestep"
    )
    assert (deleted.object_id, deleted.before["name"]) == (str(second.pk), "注册")


def test_staff_cannot_reach_the_plan_templates_admin(client, staff):
    client.force_login(staff)
    assert client.get("/admin/dispatch/plantemplate/").status_code == 302  # to sign-in
    response = client.post("/admin/dispatch/plantemplate/add/", _payload("私自模板", []))
    assert response.status_code == 302
    assert not PlanTemplate.objects.filter(name="私自模板").exists()
