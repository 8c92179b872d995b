"""Field-level visibility (docs/security.md, “What each role sees”): internal records never
reach an enterprise user or an agent — not in a page, an API answer, an export or a
notification.

A unique marker is planted in every internal field of a key project, a problem, a lease and a
talent that belong to the enterprise user's own enterprise (so that the enterprise can open
the records themselves); the rent and the panel score are distinctive numbers. Then every page
route and every API read is walked as the enterprise user and as an agent, with the real ids
of the planted records, and no answer may contain a marker. A zone staff member sees them (the
planting is real).

Government-service cases (``gaoxin.affairs``) are left out of the planting: see the report
in docs/security.md.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal

import pytest
from django.utils import timezone

from gaoxin.accounts.models import Role
from gaoxin.api import iter_operations
from gaoxin.core.checks import iter_url_patterns
from gaoxin.core.models import Notification

pytestmark = pytest.mark.django_db

MARK = "ZQX7731INTERNAL"
RENT = Decimal("8642.17")  # a rent no other figure of the fixture comes near
SCORE = Decimal("93.71")  # a panel's mean score
NUMBERS = ("8642.17", "8,642.17", "8642.2", "93.71")


def m(field: str) -> str:
    return f"{MARK}-{field}"


@pytest.fixture
def planted(
    calendar,
    enterprise,
    enterprise_user,
    staff,
    steward,
    leader,
    admin_user,
    department,
    agent,
    commissioner,
):
    """The enterprise's project on this year's key list, with an internal record of every
    kind, a problem with its internal log and a supervision notice, a lease, and a talent whose
    own account is the enterprise user."""
    from gaoxin.dispatch import services as dispatch
    from gaoxin.dispatch.models import (
        DispatchMeeting,
        DispatchPeriod,
        Milestone,
        ProblemStep,
        ProgressReport,
        ServiceLogEntry,
        StepKind,
    )
    from gaoxin.projects.services import project_create
    from gaoxin.spaces.models import Building, Lease, Unit
    from gaoxin.talent.models import (
        Batch,
        PanelScore,
        Talent,
        TalentApplication,
    )
    from gaoxin.talent.models import ServiceLogEntry as TalentLog
    from tests.factories import DepartmentFactory, UserFactory

    today = timezone.localdate()
    year = today.year
    office = DepartmentFactory(code="office", name="党政办公室")
    project = project_create(
        by=staff, data={"name": "海声尼克三期", "enterprise": enterprise, "steward": steward}
    )
    kp = dispatch.key_project_add(
        year=year,
        project=project,
        sponsor=leader,
        lead_department=department,
        by=staff,
        note=m("kp-note"),
    )
    milestone = Milestone.objects.create(
        key_project=kp,
        order=1,
        name="用地预审",
        duration_days=5,
        planned_start=today - dt.timedelta(days=30),
        planned_end=today - dt.timedelta(days=20),
        note=m("milestone-note"),
    )
    matter = dispatch.matter_add(
        key_project=kp,
        by=staff,
        title="电力增容帮办",
        mode="escort",
        deadline=today + dt.timedelta(days=30),
        parts=[(department, "")],
    )
    dispatch.matter_act(matter=matter, by=staff, note=m("matter-log"))
    period = DispatchPeriod.objects.create(
        kind="month",
        start=today.replace(day=1) - dt.timedelta(days=40),
        end=today.replace(day=1) - dt.timedelta(days=10),
        due=today.replace(day=1) - dt.timedelta(days=5),
        opened_by=staff,
    )
    report = ProgressReport.objects.create(
        period=period,
        key_project=kp,
        done=m("report-done"),
        next=m("report-next"),
        problems=m("report-problems"),
        filed_by=staff,
        filed_on=today,  # late: a 逾期 flag the enterprise must not see
    )
    meeting = DispatchMeeting.objects.create(
        title=m("meeting-title"), held_on=today - dt.timedelta(days=20), chaired_by=leader
    )
    meeting.attendees.set([leader, staff])
    task = dispatch.decision_add(
        meeting=meeting,
        by=admin_user,
        decision=m("decision-task"),
        owner=staff,
        deadline=today - dt.timedelta(days=1),
        key_project=kp,
    )
    ServiceLogEntry.objects.create(
        project=project, steward=steward, phase="attract", on=today, note=m("steward-log")
    )

    problem = dispatch.problem_raise(
        project=project,
        by=enterprise_user,
        kind="blockage",
        title="用电增容报装慢",
        description="二期厂房用电增容报装两个月未批",
        department=department,
    )
    dispatch.problem_move(
        problem=problem, to_state="accepted", by=staff, limit_days=5, note=m("accept-note")
    )
    notice = dispatch.supervision_issue(
        problem=problem, by=leader, demand=m("supervision-demand"), limit_days=3
    )
    notice.number = m("sup-no")  # the number is at most 30 characters
    notice.reply = m("supervision-reply")
    notice.save()
    ProblemStep.objects.create(
        problem=problem, kind=StepKind.ESCALATION, escalation_level=1, note=m("escalation")
    )
    ProblemStep.objects.create(
        problem=problem,
        kind=StepKind.REASSIGN,
        from_state="accepted",
        to_state="accepted",
        department=department,
        note=m("reassign-reason"),
        by=staff,
    )
    office_staff = UserFactory(username="olga_office", role=Role.STAFF, department=office)

    building = Building.objects.create(name="高新区标准厂房A", kind="factory", notes=m("bnote"))
    unit = Unit.objects.create(building=building, number="A-101", area_m2=Decimal("1200"))
    lease = Lease.objects.create(
        unit=unit,
        enterprise=enterprise,
        starts_on=today - dt.timedelta(days=100),
        ends_on=today + dt.timedelta(days=265),
        rent_m2_month=RENT,
        notes=m("lease-note"),
    )

    talent = Talent.objects.create(
        name="李博士",
        id_number="11010519491231002X",
        enterprise=enterprise,
        arrived_on=today - dt.timedelta(days=60),
        user=enterprise_user,
    )
    batch = Batch.objects.create(name="2026年第一批", closes_on=today - dt.timedelta(days=30))
    application = TalentApplication.objects.create(
        batch=batch,
        kind="innovative_talent",
        talent=talent,
        summary="芯片设计",
        state="awarded",
        mean_score=SCORE,
    )
    PanelScore.objects.create(
        application=application, reviewer=leader, score=94, opinion=m("panel-opinion")
    )
    TalentLog.objects.create(
        talent=talent, commissioner=commissioner, on=today, note=m("talent-log")
    )
    return {
        "year": year,
        "project": project,
        "kp": kp,
        "milestone": milestone,
        "matter": matter,
        "period": period,
        "report": report,
        "meeting": meeting,
        "task": task,
        "problem": problem,
        "notice": notice,
        "building": building,
        "unit": unit,
        "lease": lease,
        "talent": talent,
        "batch": batch,
        "office_staff": office_staff,
    }


# The record a path segment names, for filling a route's ids with the planted records.
SEGMENT = {
    "problems": "problem",
    "key-projects": "kp",
    "matters": "matter",
    "supervisions": "notice",
    "meetings": "meeting",
    "periods": "period",
    "reports": "kp",
    "milestones": "milestone",
    "tasks": "task",
    "projects": "project",
    "buildings": "building",
    "units": "unit",
    "leases": "lease",
    "talents": "talent",
    "batches": "batch",
    "ledger": "project",
}


def _fill(route: str, planted, enterprise) -> str:
    """A concrete path for a route pattern (Django ``<int:pk>`` or ninja ``{int:pk}``)."""
    parts = re.split(r"(<[^>]+>|\{[^}]+\})", route)
    out = []
    for i, part in enumerate(parts):
        if not part.startswith(("<", "{")):
            out.append(part)
            continue
        name = part.strip("<>{}").split(":")[-1]
        before = [p for p in "".join(parts[:i]).split("/") if p]
        segment = before[-1] if before else ""
        if name in ("year",):
            out.append(str(planted["year"]))
        elif name == "project_pk" or segment in ("projects",):
            out.append(str(planted["project"].pk))
        elif name == "key_project_pk":
            out.append(str(planted["kp"].pk))
        elif segment == "enterprises":
            out.append(str(enterprise.pk))
        elif segment in SEGMENT:
            out.append(str(planted[SEGMENT[segment]].pk))
        elif name == "kind":
            out.append("receipt")
        elif name == "code":
            out.append("NO-SUCH")
        else:
            out.append("1")
    return "".join(out)


def _text(response) -> str:
    """What the user receives: the page, the JSON, or every cell of a workbook."""
    kind = response.get("Content-Type", "")
    if "spreadsheetml" in kind:
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(response.content), read_only=True)
        return "\n".join(
            str(cell)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
            for cell in row
            if cell is not None
        )
    if hasattr(response, "streaming_content"):
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return response.content.decode("utf-8", "replace")


def _leaks(text: str) -> list[str]:
    found = re.findall(rf"{MARK}-[a-z-]+", text)
    return sorted(set(found)) + [n for n in NUMBERS if n in text]


def _page_paths(planted, enterprise) -> list[str]:
    year = planted["year"]
    paths = []
    for route, namespace, pattern in iter_url_patterns():
        if namespace == "admin" or getattr(pattern.callback, "api_operation", False):
            continue
        if route.startswith("api/"):
            continue
        path = "/" + _fill(route, planted, enterprise)
        paths.append(path)
        if "<" not in route:  # lists: this year, and their Excel export
            paths += [f"{path}?year={year}", f"{path}?format=xlsx&year={year}"]
            paths.append(f"{path}?export=xlsx")
    for pk in (planted["kp"].pk,):
        paths.append(f"/dispatch/key-projects/{pk}/")
    return sorted(set(paths))


API_QUERIES = {
    "/statistics": "?start=2026-01-01&end=2026-12-31",
    "/stock": "?as_of=2026-12-31",
    "/targets": "?year={year}",
    "/key-projects": "?year={year}",
    "/lights": "?year={year}",
    "/assessment": "?start=2026-01-01&end=2026-12-31",
    "/cockpit": "?start=2026-01-01&end=2026-12-31",
    "/slots": "?day=2026-12-01",
    "/occupancy": "?on={today}",
    "/match": "?kind=factory&area_m2=1000",
    "/figures": "?start=2026-01-01&end=2026-12-31",
    "/add-working-days": "?start=2026-09-30&days=1",
    "/working-time": "?start=2026-09-30T09:00:00%2B08:00&end=2026-09-30T10:00:00%2B08:00",
}


def _api_paths(planted, enterprise) -> list[str]:
    paths = []
    for bound, path, operation in iter_operations():
        if "GET" not in operation.methods:
            continue
        url = f"/api/v1/{bound.prefix}{path}".replace("//", "/")
        url = _fill(url, planted, enterprise)
        query = next((q for suffix, q in API_QUERIES.items() if url.endswith(suffix)), "")
        paths.append(
            url + query.format(year=planted["year"], today=timezone.localdate().isoformat())
        )
        if url.endswith("/matters"):
            paths.append(f"{url}?key_project={planted['kp'].pk}")
    return sorted(set(paths))


def _walk(client, user, paths, headers=None) -> tuple[dict, int]:
    leaks, opened = {}, 0
    client.force_login(user)
    for path in paths:
        response = client.get(path, headers=headers or {})
        if response.status_code != 200:
            continue
        opened += 1
        found = _leaks(_text(response))
        if found:
            leaks[path] = found
    return leaks, opened


def test_staff_see_the_planted_internal_records(client, planted, staff):
    """The planting is real: zone staff see every marker where the outsiders do not."""
    client.force_login(staff)
    kp_page = client.get(f"/dispatch/key-projects/{planted['kp'].pk}/").content.decode()
    for field in ("kp-note", "decision-task", "report-done"):
        assert m(field) in kp_page, field
    problem_page = client.get(f"/dispatch/problems/{planted['problem'].pk}/").content.decode()
    for field in ("sup-no", "accept-note", "reassign-reason"):
        assert m(field) in problem_page, field
    assert (
        m("matter-log") in client.get(f"/dispatch/matters/{planted['matter'].pk}/").content.decode()
    )
    unit_page = client.get(f"/spaces/units/{planted['unit'].pk}/").content.decode()
    assert "8642.17" in unit_page


def test_talent_staff_see_the_scores_and_the_service_log(client, planted, commissioner):
    client.force_login(commissioner)
    page = client.get(f"/talent/talents/{planted['talent'].pk}/").content.decode()
    assert "93.71" in page
    assert m("talent-log") in page


@pytest.mark.parametrize("role", [Role.ENTERPRISE, Role.AGENT])
def test_no_internal_field_reaches_an_outsider_on_any_page(
    client, planted, users_by_role, role, enterprise
):
    leaks, opened = _walk(client, users_by_role[role], _page_paths(planted, enterprise))
    assert leaks == {}
    if role == Role.ENTERPRISE:  # the enterprise opens its own records
        assert opened >= 25, opened
        for path in (
            f"/dispatch/key-projects/{planted['kp'].pk}/",
            f"/dispatch/problems/{planted['problem'].pk}/",
            f"/dispatch/matters/{planted['matter'].pk}/",
            f"/spaces/units/{planted['unit'].pk}/",
            f"/talent/talents/{planted['talent'].pk}/",
        ):
            assert client.get(path).status_code == 200, path


@pytest.mark.parametrize("role", [Role.ENTERPRISE, Role.AGENT])
def test_no_internal_field_reaches_an_outsider_through_the_api(
    client, planted, users_by_role, role, enterprise
):
    from gaoxin.accounts.services import api_token_create

    user = users_by_role[role]
    token = api_token_create(user=user, name="walk")[1]
    leaks, opened = _walk(
        client, user, _api_paths(planted, enterprise), {"Authorization": f"Bearer {token}"}
    )
    assert leaks == {}
    if role == Role.ENTERPRISE:
        assert opened >= 10, opened
        kp = client.get(
            f"/api/v1/dispatch/key-projects/{planted['kp'].pk}",
            headers={"Authorization": f"Bearer {token}"},
        ).json()
        assert kp["project"] == planted["project"].pk  # its own key project, without the notes
        assert kp["note"] == ""
        assert [r for r in kp["reasons"] if MARK in r] == []


def test_no_internal_field_reaches_an_outsider_in_a_notification(planted, enterprise_user, agent):
    from gaoxin.dispatch import services as dispatch

    dispatch.escalate_overdue(timezone.localdate() + dt.timedelta(days=30))
    dispatch.send_reminders(timezone.localdate())
    mine = Notification.objects.filter(user__in=[enterprise_user, agent])
    for note in mine:
        assert _leaks(f"{note.title} {note.body}") == [], note.title
    # Staff were told (the notices went somewhere): the planting reached the notifications.
    assert Notification.objects.filter(body__contains=MARK).exists()
