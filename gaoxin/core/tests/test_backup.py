import datetime as dt
import gzip
import json
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command

from gaoxin.accounts.models import Department
from gaoxin.core.backup import EXCLUDED, business_models, manifest
from gaoxin.core.models import AuditEntry
from gaoxin.enterprises.models import Enterprise
from gaoxin.projects import services
from gaoxin.projects.models import Project, StageEvent
from gaoxin.projects.stages import Stage
from gaoxin.spaces import services as spaces
from gaoxin.talent import services as talent
from gaoxin.talent.models import Batch
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def zone(staff, enterprise, calendar):
    project = services.project_create(
        by=staff,
        data={"name": "备份项目", "enterprise": enterprise},
        stage=Stage.NEGOTIATING,
        on=dt.date(2026, 3, 1),
    )
    event = services.project_advance(
        project=project, to_stage=Stage.SIGNED, on=dt.date(2026, 4, 1), by=staff
    )
    services.event_correct(event=event, by=staff, reason="误录")
    # Every module's records are in the backup: a lease, a talent, a service case.

    building = spaces.building_create(by=staff, data={"name": "科创大厦", "kind": "office"})
    unit = spaces.unit_create(building=building, by=staff, data={"number": "501", "area_m2": 100})
    spaces.lease_create(
        unit=unit,
        enterprise=enterprise,
        starts_on=dt.date(2026, 1, 1),
        ends_on=dt.date(2027, 12, 31),
        rent_m2_month=Decimal(20),
        by=staff,
    )
    commissioner = UserFactory(username="talent_staff", role="commissioner")
    talent.talent_create(
        by=commissioner,
        data={
            "name": "李教授",
            "id_number": "11010519491231002X",
            "arrived_on": dt.date(2026, 3, 1),
        },
    )
    # Keys that point at rows loaded later: a department's head (users load after departments)
    # and a batch's panel (many-to-many).
    staff.department.head = staff
    staff.department.save()
    experts = [UserFactory(username=f"expert{n}", role="staff") for n in range(3)]
    talent.batch_create(
        by=commissioner, name="第一批", closes_on=dt.date(2026, 6, 30), panel=experts
    )
    # A time whose milliseconds are zero keeps its microseconds.

    AuditEntry.objects.filter(pk=AuditEntry.objects.order_by("pk").first().pk).update(
        timestamp=dt.datetime(2026, 3, 1, 9, 0, 0, 456, tzinfo=dt.UTC)
    )
    return project


def test_backup_and_restore_round_trip_gives_identical_data(zone, tmp_path):
    before = manifest()
    path = tmp_path / "b.json.gz"
    call_command("backup", output=path)
    Enterprise.objects.update(address="被改动")
    StageEvent.objects.filter(stage=Stage.NEGOTIATING).delete()
    Project.objects.create(name="备份后新增", prospective_investor="x")
    assert manifest() != before
    call_command("restore", path, yes=True)
    after = manifest()
    assert after == before
    assert after["projects.StageEvent"]["count"] == 2
    assert after["core.AuditEntry"]["count"] > 0
    assert after["spaces.Lease"]["count"] == 1 and after["talent.Talent"]["count"] == 1

    assert Department.objects.exclude(head=None).count() == 1
    assert Batch.objects.get().panel.count() == 3
    assert AuditEntry.objects.order_by("pk").first().timestamp.microsecond == 456


def test_every_module_is_in_the_backup():
    labels = business_models()
    everything = {m._meta.label for m in apps.get_models() if m.__module__.startswith("gaoxin.")}
    assert set(labels) == everything - EXCLUDED
    # Load order: every key points backwards (a nullable key may point forwards in a cycle).
    position = {label: i for i, label in enumerate(labels)}
    for label in labels:
        for field in apps.get_model(label)._meta.get_fields():
            if (field.many_to_one or field.one_to_one) and field.concrete and not field.null:
                target = field.related_model._meta.label
                if target in position and target != label:
                    assert position[target] < position[label], (label, target)


def test_a_tampered_backup_is_refused_and_changes_nothing(zone, tmp_path):
    path = tmp_path / "b.json.gz"
    call_command("backup", output=path)
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        payload = json.load(fh)
    payload["data"]["projects.Project"][0]["fields"]["name"] = "被篡改"
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        json.dump(payload, fh, ensure_ascii=False)
    before = manifest()
    with pytest.raises(CommandError, match="differs"):
        call_command("restore", path, yes=True)
    assert manifest() == before


def test_a_file_that_is_not_a_backup_is_refused(tmp_path, db):
    path = tmp_path / "x.json.gz"
    with gzip.open(path, "wt") as fh:
        json.dump({"format": "other"}, fh)
    with pytest.raises(CommandError, match="not a Gaoxin backup"):
        call_command("restore", path, yes=True)
