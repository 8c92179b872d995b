"""The API does what the screens do (issue 22): the new write operations call the pages'
services through the pages' forms — the same records, refusals, field errors, conflicts and
audit entries — creating writes honour the Idempotency-Key, and long jobs and files work over
the API."""

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile

from gaoxin.accounts.services import api_token_create
from gaoxin.core.models import AuditEntry, BackgroundJob
from gaoxin.platforms.models import Event, Platform, TransferDeal
from gaoxin.projects.models import Project
from gaoxin.projects.tasks import import_projects
from gaoxin.projects.tests.test_import import good_row, workbook
from gaoxin.spaces.models import Building, Lease, Unit
from gaoxin.talent.models import Batch, Instalment, Talent, TalentApplication
from tests.factories import ClusterFactory

pytestmark = pytest.mark.django_db

API = "/api/v1"


def bearer(user, **headers):
    return {"Authorization": f"Bearer {api_token_create(user=user, name='t')[1]}", **headers}


def audited(obj, action):
    return AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk), action=action
    ).count()


# --- space ---------------------------------------------------------------------------------


def test_buildings_units_and_leases_through_the_api(client, staff, enterprise):
    h = bearer(staff)
    answer = client.post(
        f"{API}/spaces/buildings",
        {"name": "创新工场1号楼", "kind": "factory"},
        content_type="application/json",
        headers=h,
    )
    assert answer.status_code == 201, answer.json()
    building = Building.objects.get(pk=answer.json()["id"])
    assert audited(building, "create") == 1

    again = client.post(
        f"{API}/spaces/buildings",
        {"name": "创新工场1号楼", "kind": "factory"},
        content_type="application/json",
        headers=h,
    )
    assert again.status_code == 400
    assert "name" in again.json()["errors"]

    unit = client.post(
        f"{API}/spaces/buildings/{building.pk}/units",
        {"number": "101", "area_m2": "0"},
        content_type="application/json",
        headers=h,
    )
    assert unit.status_code == 400 and "area_m2" in unit.json()["errors"]
    unit = client.post(
        f"{API}/spaces/buildings/{building.pk}/units",
        {"number": "101", "area_m2": "1200.50", "power_kva": 400},
        content_type="application/json",
        headers=h,
    )
    assert unit.status_code == 201
    unit_id = unit.json()["id"]

    let = {
        "enterprise": enterprise.pk,
        "starts_on": "2026-01-01",
        "ends_on": "2027-12-31",
        "rent_m2_month": "25.00",
    }
    first = client.post(
        f"{API}/spaces/units/{unit_id}/leases", let, content_type="application/json", headers=h
    )
    assert first.status_code == 201, first.json()
    lease = Lease.objects.get(pk=first.json()["id"])
    assert first.json()["rent_m2_month"] == "25.00"
    assert audited(lease, "create") == 1
    clash = client.post(
        f"{API}/spaces/units/{unit_id}/leases",
        {**let, "starts_on": "2026-06-01"},
        content_type="application/json",
        headers=h,
    )
    assert clash.status_code == 400
    assert Lease.objects.filter(unit_id=unit_id).count() == 1

    stale = client.post(
        f"{API}/spaces/leases/{lease.pk}/end",
        {"on": "2026-06-30", "version": lease.version + 5},
        content_type="application/json",
        headers=h,
    )
    assert stale.status_code == 409
    assert stale.json()["current"]["version"] == lease.version
    outside = client.post(
        f"{API}/spaces/leases/{lease.pk}/end",
        {"on": "2030-01-01", "version": lease.version},
        content_type="application/json",
        headers=h,
    )
    assert outside.status_code == 400 and "on" in outside.json()["errors"]
    ended = client.post(
        f"{API}/spaces/leases/{lease.pk}/end",
        {"on": "2026-06-30", "version": lease.version},
        content_type="application/json",
        headers=h,
    )
    assert ended.status_code == 200
    lease.refresh_from_db()
    assert lease.terminated_on == dt.date(2026, 6, 30)
    assert audited(lease, "update") == 1


def test_a_commissioner_lets_talent_apartments_only(client, commissioner, enterprise):
    factory = Building.objects.create(name="厂房", kind="factory")
    unit = Unit.objects.create(building=factory, number="1", area_m2=Decimal(100))
    answer = client.post(
        f"{API}/spaces/units/{unit.pk}/leases",
        {
            "enterprise": enterprise.pk,
            "starts_on": "2026-01-01",
            "ends_on": "2026-12-31",
            "rent_m2_month": "0",
        },
        content_type="application/json",
        headers=bearer(commissioner),
    )
    assert answer.status_code == 403
    assert "人才公寓" in answer.json()["message"] or answer.json()["message"]
    assert not Lease.objects.exists()


def test_a_creating_write_with_an_idempotency_key_runs_once(client, staff):
    h = bearer(staff, **{"Idempotency-Key": "building-42"})
    answers = [
        client.post(
            f"{API}/spaces/buildings",
            {"name": "孵化器A座", "kind": "incubator"},
            content_type="application/json",
            headers=h,
        )
        for _ in range(2)
    ]
    assert [a.status_code for a in answers] == [201, 201]
    assert answers[1].headers["Idempotent-Replayed"] == "true"
    assert answers[0].json() == answers[1].json()
    assert Building.objects.filter(name="孵化器A座").count() == 1


# --- platforms and events ------------------------------------------------------------------


def test_platforms_deals_events_and_participants(
    client, admin_user, department, enterprise, other_enterprise
):
    h = bearer(admin_user)
    platform = client.post(
        f"{API}/platforms/",
        {"name": "中试基地", "kind": "tech_transfer"},
        content_type="application/json",
        headers=h,
    )
    assert platform.status_code == 201, platform.json()
    pk = platform.json()["id"]
    negative = client.post(
        f"{API}/platforms/{pk}/deals",
        {
            "title": "激光焊接",
            "enterprise": enterprise.pk,
            "amount": "-1",
            "signed_on": "2026-05-01",
        },
        content_type="application/json",
        headers=h,
    )
    assert negative.status_code == 400 and "amount" in negative.json()["errors"]
    deal = client.post(
        f"{API}/platforms/{pk}/deals",
        {
            "title": "激光焊接",
            "enterprise": enterprise.pk,
            "amount": "120.5",
            "signed_on": "2026-05-01",
        },
        content_type="application/json",
        headers=h,
    )
    assert deal.status_code == 201
    assert TransferDeal.objects.get().amount == Decimal("120.50")
    assert list(Platform.objects.get(pk=pk).enterprises_served.all()) == [enterprise]

    kind = Event._meta.get_field("kind").choices[0][0]
    event = client.post(
        f"{API}/platforms/events",
        {"name": "招商推介会", "kind": kind, "held_on": "2026-04-01"},
        content_type="application/json",
        headers=h,
    )
    # The administrator belongs to no department: the organiser must be named.
    assert event.status_code == 400 and "organiser" in event.json()["errors"]
    event = client.post(
        f"{API}/platforms/events",
        {"name": "招商推介会", "kind": kind, "held_on": "2026-04-01", "organiser": department.pk},
        content_type="application/json",
        headers=h,
    )
    assert event.status_code == 201 and event.json()["organiser"] == department.pk
    event_pk = event.json()["id"]
    joined = client.post(
        f"{API}/platforms/events/{event_pk}/participants",
        {"enterprises": [enterprise.pk, other_enterprise.pk]},
        content_type="application/json",
        headers=h,
    )
    assert joined.status_code == 200
    assert sorted(joined.json()["participants"]) == sorted([enterprise.pk, other_enterprise.pk])
    assert audited(Event.objects.get(pk=event_pk), "update") == 1


# --- talent --------------------------------------------------------------------------------


def test_talent_registration_refuses_a_bad_id_number(client, commissioner):
    answer = client.post(
        f"{API}/talent/talents",
        {"name": "张三", "id_number": "110101199003070000", "arrived_on": "2026-03-01"},
        content_type="application/json",
        headers=bearer(commissioner),
    )
    assert answer.status_code == 400
    assert "id_number" in answer.json()["errors"]
    assert not Talent.objects.exists()


def test_a_batch_from_call_to_award_and_a_subsidy_paid(
    client, admin_user, commissioner, staff, leader, steward, enterprise
):
    h = bearer(commissioner)
    talent = client.post(
        f"{API}/talent/talents",
        {
            "name": "李四",
            "id_number": "11010519491231002X",
            "arrived_on": "2026-03-01",
            "enterprise": enterprise.pk,
        },
        content_type="application/json",
        headers=h,
    )
    assert talent.status_code == 201, talent.json()
    talent_pk = talent.json()["id"]
    assert talent.json()["id_number"] != "11010519491231002X"  # masked, as on screen

    panel = [staff, leader, steward]
    batch = client.post(
        f"{API}/talent/batches",
        {"name": "2026年第一批", "closes_on": "2026-06-30", "panel": [u.pk for u in panel]},
        content_type="application/json",
        headers=h,
    )
    assert batch.status_code == 201, batch.json()
    batch_pk = batch.json()["id"]
    applied = client.post(
        f"{API}/talent/batches/{batch_pk}/applications",
        {"kind": "innovative_talent", "talent": talent_pk, "summary": "激光器研发"},
        content_type="application/json",
        headers=h,
    )
    assert applied.status_code == 201, applied.json()
    application_pk = applied.json()["id"]
    early = client.post(
        f"{API}/talent/batches/{batch_pk}/applications/{application_pk}/scores",
        {"score": 90},
        content_type="application/json",
        headers=bearer(staff),
    )
    assert early.status_code == 400  # the call is still open
    closed = client.post(f"{API}/talent/batches/{batch_pk}/close-call", headers=h)
    assert closed.status_code == 200
    for expert in panel:
        scored = client.post(
            f"{API}/talent/batches/{batch_pk}/applications/{application_pk}/scores",
            {"score": 90, "opinion": "同意"},
            content_type="application/json",
            headers=bearer(expert),
        )
        assert scored.status_code == 201, scored.json()
    awarded = client.post(f"{API}/talent/batches/{batch_pk}/award", headers=h)
    assert awarded.status_code == 200 and awarded.json()["state"] == "awarded"
    assert TalentApplication.objects.get().state == "awarded"

    wrong_sum = client.post(
        f"{API}/talent/talents/{talent_pk}/applications/{application_pk}/subsidy",
        {"total": "30", "instalments": [{"due_on": "2026-07-01", "amount": "10"}]},
        content_type="application/json",
        headers=h,
    )
    assert wrong_sum.status_code == 400 and "instalments" in wrong_sum.json()["errors"]
    granted = client.post(
        f"{API}/talent/talents/{talent_pk}/applications/{application_pk}/subsidy",
        {
            "total": "30",
            "instalments": [
                {"due_on": "2026-07-01", "amount": "10"},
                {"due_on": "2027-07-01", "amount": "20"},
            ],
        },
        content_type="application/json",
        headers=h,
    )
    assert granted.status_code == 201, granted.json()
    first = Instalment.objects.order_by("due_on").first()
    paid = client.post(
        f"{API}/talent/talents/{talent_pk}/instalments/{first.pk}/pay",
        {"paid_on": "2026-07-02"},
        content_type="application/json",
        headers=h,
    )
    assert paid.status_code == 200 and paid.json()["paid_on"] == "2026-07-02"
    twice = client.post(
        f"{API}/talent/talents/{talent_pk}/instalments/{first.pk}/pay",
        {"paid_on": "2026-07-03"},
        content_type="application/json",
        headers=h,
    )
    assert twice.status_code == 400
    logged = client.post(
        f"{API}/talent/talents/{talent_pk}/log",
        {"on": "2026-07-02", "note": "走访了解住房需求"},
        content_type="application/json",
        headers=h,
    )
    assert logged.status_code == 201
    assert Batch.objects.get().state == "awarded"


def test_a_talent_the_user_may_not_see_is_not_there(client, admin_user, commissioner):
    talent = Talent.objects.create(
        name="王五", id_number="11010519491231002X", arrived_on=dt.date(2026, 1, 1)
    )
    answer = client.post(
        f"{API}/talent/talents/{talent.pk}/log",
        {"on": "2026-07-02", "note": "x"},
        content_type="application/json",
        headers=bearer(commissioner),
    )
    assert answer.status_code in (201, 404)  # a commissioner sees the talents in their care


# --- long jobs and files -------------------------------------------------------------------


def test_a_ledger_upload_answers_a_job_that_reports_its_outcome(
    client, staff, steward, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    ClusterFactory(code="equipment", name="高端智能装备制造")
    h = bearer(staff)
    refused = client.post(
        f"{API}/projects/import",
        {"file": SimpleUploadedFile("ledger.csv", b"a,b\n")},
        headers=h,
    )
    assert refused.status_code == 400 and "file" in refused.json()["errors"]
    assert not BackgroundJob.objects.exists()

    bad = workbook([good_row(), good_row("坏", **{"签约日期": "不是日期"})])
    started = client.post(
        f"{API}/projects/import", {"file": SimpleUploadedFile("台账.xlsx", bad)}, headers=h
    )
    assert started.status_code == 202
    job = started.json()
    assert (job["status"], job["kind"]) == ("queued", "projects.import")
    import_projects.call(job["id"])
    report = client.get(f"{API}/jobs/{job['id']}", headers=h).json()
    assert report["status"] == "failed"
    assert (report["total"], report["done"] <= report["total"]) == (2, True)
    assert report["errors"][0]["row"] == 3 and report["errors"][0]["column"] == "签约日期"
    assert not Project.objects.exists()  # all or nothing
    assert client.get(f"{API}/jobs/{job['id']}", headers=bearer(steward)).status_code == 404

    good = client.post(
        f"{API}/projects/import",
        {"file": SimpleUploadedFile("台账.xlsx", workbook([good_row()]))},
        headers=h,
    ).json()
    import_projects.call(good["id"])
    done = client.get(f"{API}/jobs/{good['id']}", headers=h).json()
    assert (done["status"], done["result"]) == ("succeeded", {"created": 1})


def test_the_catalogue_workbook_and_the_ledger_template_download(client, admin_user):
    h = bearer(admin_user)
    export = client.get(f"{API}/affairs/items/export", headers=h)
    assert export.status_code == 200
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    assert export.content[:2] == b"PK"
    template = client.get(f"{API}/projects/import/template", headers=h)
    assert template.status_code == 200 and template.content[:2] == b"PK"


# --- pre-review, the calendar's years, the battle map --------------------------------------


def test_a_pre_review_asked_answered_and_concluded(
    client, admin_user, enterprise, enterprise_user, other_enterprise, calendar
):
    from gaoxin.affairs.models import PreReview
    from gaoxin.affairs.tests.support import make_item
    from tests.factories import DepartmentFactory, UserFactory

    approval = DepartmentFactory(code="approval", name="行政审批服务局")
    planning = DepartmentFactory(code="planning", name="自然资源和规划局")
    lead = UserFactory(username="lead", role="staff", department=approval)
    planner = UserFactory(username="planner", role="staff", department=planning)
    permit = make_item(admin_user, approval, "PR1")
    ask = {"items": [permit.pk], "departments": [planning.pk], "question": "拟建厂房，是否需环评？"}
    mine = bearer(enterprise_user)
    foreign = client.post(
        f"{API}/affairs/pre-reviews",
        {**ask, "enterprise": other_enterprise.pk},
        content_type="application/json",
        headers=mine,
    )
    assert foreign.status_code == 400 and "enterprise" in foreign.json()["errors"]
    empty = client.post(
        f"{API}/affairs/pre-reviews",
        {**ask, "enterprise": enterprise.pk, "question": " "},
        content_type="application/json",
        headers=mine,
    )
    assert empty.status_code == 400 and "question" in empty.json()["errors"]
    asked = client.post(
        f"{API}/affairs/pre-reviews",
        {**ask, "enterprise": enterprise.pk},
        content_type="application/json",
        headers=mine,
    )
    assert asked.status_code == 201, asked.json()
    pk = asked.json()["id"]
    assert (asked.json()["lead_department"], asked.json()["departments"]) == (
        approval.pk,
        [planning.pk],
    )
    early = client.post(
        f"{API}/affairs/pre-reviews/{pk}/conclude",
        {"conclusion": "可以申报"},
        content_type="application/json",
        headers=bearer(lead),
    )
    assert early.status_code == 400 and "自然资源和规划局" in early.json()["message"]
    not_asked = client.post(
        f"{API}/affairs/pre-reviews/{pk}/opinions",
        {"opinion": "同意"},
        content_type="application/json",
        headers=mine,
    )
    assert not_asked.status_code == 403
    opinion = client.post(
        f"{API}/affairs/pre-reviews/{pk}/opinions",
        {"opinion": "用地符合规划"},
        content_type="application/json",
        headers=bearer(planner),
    )
    assert opinion.status_code == 201 and opinion.json()["department"] == planning.pk
    concluded = client.post(
        f"{API}/affairs/pre-reviews/{pk}/conclude",
        {"conclusion": "可以申报，需附环评批复"},
        content_type="application/json",
        headers=bearer(lead),
    )
    assert concluded.status_code == 200 and concluded.json()["concluded_at"]
    pre_review = PreReview.objects.get(pk=pk)
    assert audited(pre_review, "create") == 1 and audited(pre_review, "update") == 1
    seen = client.get(f"{API}/affairs/pre-reviews/{pk}", headers=mine).json()
    assert [o["opinion"] for o in seen["opinions"]] == ["用地符合规划"]


def test_a_years_holidays_entered_through_the_api(client, admin_user, staff):
    from gaoxin.core import workcalendar

    year = {
        "holidays": ["2031-01-01 元旦", "2031-10-01..2031-10-07 国庆节"],
        "makeup_workdays": ["2031-09-28"],
        "note": "测试",
    }
    refused = client.put(
        f"{API}/calendar/years/2031", year, content_type="application/json", headers=bearer(staff)
    )
    assert refused.status_code == 403
    bad = client.put(
        f"{API}/calendar/years/2031",
        {**year, "holidays": ["2031-13-01 不存在"]},
        content_type="application/json",
        headers=bearer(admin_user),
    )
    assert bad.status_code == 400 and "2031-13-01" in bad.json()["message"]  # names the line
    saved = client.put(
        f"{API}/calendar/years/2031",
        year,
        content_type="application/json",
        headers=bearer(admin_user),
    )
    assert saved.status_code == 200, saved.json()
    kinds = {d["date"]: d["kind"] for d in saved.json()}
    assert len([k for k in kinds.values() if k == "holiday"]) == 8
    assert kinds["2031-09-28"] != "holiday"
    assert workcalendar.is_working_day(dt.date(2031, 10, 2)).value is False


GEOJSON = {
    "type": "FeatureCollection",
    "features": [
        {
            "type": "Feature",
            "properties": {"code": code, "name": f"地块{code}", "area_mu": 50},
            "geometry": {
                "type": "Polygon",
                "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]],
            },
        }
        for code in ("A-01", "A-02")
    ],
}


def test_the_zone_map_and_a_project_placed_on_a_plot(client, admin_user, staff, enterprise):
    import json

    from gaoxin.cockpit.models import ProjectPlot
    from gaoxin.projects.services import project_create

    project = project_create(by=staff, data={"name": "落图项目", "enterprise": enterprise})
    refused = client.post(
        f"{API}/cockpit/map",
        {"geojson": SimpleUploadedFile("map.geojson", json.dumps(GEOJSON).encode())},
        headers=bearer(staff),
    )
    assert refused.status_code == 403
    broken = client.post(
        f"{API}/cockpit/map",
        {"geojson": SimpleUploadedFile("map.geojson", b"{not json")},
        headers=bearer(admin_user),
    )
    assert broken.status_code == 400
    uploaded = client.post(
        f"{API}/cockpit/map",
        {
            "geojson": SimpleUploadedFile("map.geojson", json.dumps(GEOJSON).encode()),
            "name": "园区地图",
        },
        headers=bearer(admin_user),
    )
    assert uploaded.status_code == 201 and uploaded.json()["plots"] == 2
    unknown = client.put(
        f"{API}/cockpit/projects/{project.pk}/plot",
        {"plot": "Z-99"},
        content_type="application/json",
        headers=bearer(staff),
    )
    assert unknown.status_code == 400 and "plot" in unknown.json()["errors"]
    placed = client.put(
        f"{API}/cockpit/projects/{project.pk}/plot",
        {"plot": "A-02"},
        content_type="application/json",
        headers=bearer(staff),
    )
    assert placed.json() == {"project": project.pk, "plot": "A-02"}
    plots = client.get(f"{API}/cockpit/plots", headers=bearer(staff)).json()
    assert {p["code"]: p["projects"] for p in plots} == {"A-01": [], "A-02": [project.pk]}
    removed = client.put(
        f"{API}/cockpit/projects/{project.pk}/plot",
        {"plot": None},
        content_type="application/json",
        headers=bearer(staff),
    )
    assert removed.json()["plot"] is None and not ProjectPlot.objects.exists()


# --- the case page's clocks and closing; the 容缺 commitments ------------------------------


def test_a_cases_clock_stopped_resumed_and_extended_through_the_api(
    client, admin_user, enterprise, enterprise_user, leader, calendar, time_machine
):
    from gaoxin.affairs import services as affairs
    from gaoxin.affairs.models import ExcludedPeriod
    from gaoxin.affairs.tests.support import at, make_item, submitted
    from tests.factories import DepartmentFactory, UserFactory

    approval = DepartmentFactory(code="approval", name="行政审批服务局")
    clerk = UserFactory(username="window", role="clerk", department=approval)
    approver = UserFactory(username="approver", role="staff", department=approval)
    permit = make_item(admin_user, approval, "P1")
    case = submitted(enterprise_user, enterprise, [permit], time_machine, at(2026, 9, 21, 10))
    affairs.application_accept(application=case, by=clerk)
    url = f"{API}/affairs/applications/{case.pk}"
    h = bearer(approver)

    blank = client.post(
        f"{url}/exclusions",
        {"kind": "hearing", "written_notice": ""},
        content_type="application/json",
        headers=h,
    )
    assert blank.status_code == 400 and "written_notice" in blank.json()["errors"]
    stopped = client.post(
        f"{url}/exclusions",
        {"kind": "hearing", "written_notice": "定于9月28日举行听证"},
        content_type="application/json",
        headers=h,
    )
    assert stopped.status_code == 200 and stopped.json()["paused"] is True
    period = ExcludedPeriod.objects.get()
    wrong = client.post(
        f"{url}/exclusions/end",
        {"period": period.pk + 100},
        content_type="application/json",
        headers=h,
    )
    assert wrong.status_code == 400 and "period" in wrong.json()["errors"]
    time_machine.move_to(at(2026, 9, 22, 10), tick=False)
    resumed = client.post(
        f"{url}/exclusions/end",
        {"period": period.pk},
        content_type="application/json",
        headers=h,
    )
    assert resumed.status_code == 200 and resumed.json()["paused"] is False
    case.refresh_from_db()
    assert case.paused_minutes == 420

    extension = {"days": 10, "reason": "需组织专家论证"}
    not_theirs = client.post(f"{url}/extend", extension, content_type="application/json", headers=h)
    assert not_theirs.status_code == 403  # department staff do not extend
    too_long = client.post(
        f"{url}/extend",
        {**extension, "days": 11},
        content_type="application/json",
        headers=bearer(leader),
    )
    assert too_long.status_code == 400 and "days" in too_long.json()["errors"]
    extended = client.post(
        f"{url}/extend", extension, content_type="application/json", headers=bearer(leader)
    )
    assert extended.status_code == 200
    case.refresh_from_db()
    assert extended.json()["deadline"].startswith(case.deadline.date().isoformat())

    undecided = client.post(f"{url}/close", headers=bearer(clerk))
    assert undecided.status_code == 400
    commitments = client.get(f"{API}/affairs/commitments", headers=bearer(clerk)).json()
    assert commitments == {"items": [], "count": 0}
    misspelt = client.get(f"{API}/affairs/commitments?opne=true", headers=bearer(clerk))
    assert misspelt.status_code == 400 and "opne" in misspelt.json()["errors"]


# --- files: a project's documents, a case's materials -------------------------------------

PDF = b"%PDF-1.4\n%api test\n"


def test_a_projects_documents_attached_downloaded_and_removed(
    client, staff, enterprise, enterprise_user, other_enterprise, settings, tmp_path
):
    from gaoxin.core.models import Attachment
    from gaoxin.projects.services import project_create
    from tests.factories import UserFactory

    settings.MEDIA_ROOT = tmp_path
    project = project_create(by=staff, data={"name": "附件项目", "enterprise": enterprise})
    url = f"{API}/projects/{project.pk}/attachments"
    h = bearer(staff)
    fake = client.post(
        url, {"file": SimpleUploadedFile("合同.pdf", b"MZ\x90\x00 not a pdf")}, headers=h
    )
    assert fake.status_code == 400 and not Attachment.objects.exists()
    added = client.post(
        url,
        {"file": SimpleUploadedFile("合同.pdf", PDF, "application/pdf"), "description": "投资协议"},
        headers=h,
    )
    assert added.status_code == 201, added.json()
    pk = added.json()["id"]
    assert [a["description"] for a in client.get(url, headers=h).json()] == ["投资协议"]
    got = client.get(f"{url}/{pk}", headers=h)
    assert got.status_code == 200 and b"".join(got.streaming_content) == PDF
    # The enterprise reads its own project's documents; another enterprise is told nothing.
    assert client.get(f"{url}/{pk}", headers=bearer(enterprise_user)).status_code == 200
    stranger = UserFactory(username="stranger", role="enterprise", enterprise=other_enterprise)
    assert client.get(f"{url}/{pk}", headers=bearer(stranger)).status_code == 404
    assert client.delete(f"{url}/{pk}", headers=bearer(enterprise_user)).status_code in (403, 404)
    removed = client.delete(f"{url}/{pk}", headers=h)
    assert removed.status_code == 204 and not Attachment.objects.exists()


def test_a_cases_files_listed_by_material_and_downloaded(
    client, admin_user, enterprise, enterprise_user, other_enterprise, calendar, settings, tmp_path
):
    from gaoxin.affairs.tests.support import make_item
    from tests.factories import DepartmentFactory, UserFactory

    settings.MEDIA_ROOT = tmp_path
    approval = DepartmentFactory(code="approval", name="行政审批服务局")
    permit = make_item(admin_user, approval, "F1")
    h = bearer(enterprise_user)
    case = client.post(
        f"{API}/affairs/applications",
        {"enterprise": enterprise.pk, "items": [permit.pk]},
        content_type="application/json",
        headers=h,
    ).json()
    material = permit.materials.get(name="申请书")
    client.post(
        f"{API}/affairs/applications/{case['id']}/materials",
        {"material": material.pk, "file": SimpleUploadedFile("申请书.pdf", PDF, "application/pdf")},
        headers=h,
    )
    files = client.get(f"{API}/affairs/applications/{case['id']}/files", headers=h).json()
    assert [(f["material"], f["original_name"]) for f in files] == [(material.pk, "申请书.pdf")]
    got = client.get(f"{API}/affairs/applications/{case['id']}/files/{files[0]['id']}", headers=h)
    assert b"".join(got.streaming_content) == PDF
    stranger = UserFactory(username="stranger", role="enterprise", enterprise=other_enterprise)
    assert (
        client.get(
            f"{API}/affairs/applications/{case['id']}/files/{files[0]['id']}",
            headers=bearer(stranger),
        ).status_code
        == 404
    )


def test_a_catalogue_item_added_and_replaced_with_its_version(client, admin_user, calendar):
    from gaoxin.affairs.models import ServiceItem
    from tests.factories import DepartmentFactory

    approval = DepartmentFactory(code="approval", name="行政审批服务局")
    planning = DepartmentFactory(code="planning", name="自然资源和规划局")
    h = bearer(admin_user)
    item = {
        "code": "API-1",
        "name": "建设工程规划许可",
        "department": approval.pk,
        "legal_limit_days": 20,
        "promised_limit": 5,
        "reviewing_departments": [planning.pk],
        "materials": [{"name": "申请书"}, {"name": "总平面图", "essential": False}],
    }
    added = client.post(f"{API}/affairs/items", item, content_type="application/json", headers=h)
    assert added.status_code == 201, added.json()
    pk = added.json()["id"]
    assert [m["name"] for m in added.json()["materials"]] == ["申请书", "总平面图"]
    assert added.json()["reviewing_departments"] == [planning.pk]
    twice = client.post(f"{API}/affairs/items", item, content_type="application/json", headers=h)
    assert twice.status_code == 400 and "code" in twice.json()["errors"]
    version = ServiceItem.objects.get(pk=pk).version
    stale = client.put(
        f"{API}/affairs/items/{pk}",
        {**item, "name": "改名", "version": version + 3},
        content_type="application/json",
        headers=h,
    )
    assert stale.status_code == 409 and stale.json()["current"]["name"] == "建设工程规划许可"
    replaced = client.put(
        f"{API}/affairs/items/{pk}",
        {
            **item,
            "name": "建设工程规划许可证核发",
            "materials": [{"name": "申请书"}],
            "version": version,
        },
        content_type="application/json",
        headers=h,
    )
    assert replaced.status_code == 200, replaced.json()
    assert replaced.json()["name"] == "建设工程规划许可证核发"
    assert [m["name"] for m in replaced.json()["materials"]] == ["申请书"]
    assert audited(ServiceItem.objects.get(pk=pk), "update") == 1
