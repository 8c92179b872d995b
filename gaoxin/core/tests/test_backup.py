import datetime as dt
import gzip
import json

import pytest
from django.core.management import CommandError, call_command

from gaoxin.core.backup import manifest
from gaoxin.enterprises.models import Enterprise
from gaoxin.projects import services
from gaoxin.projects.models import Project, StageEvent
from gaoxin.projects.stages import Stage

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
