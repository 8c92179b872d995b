import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import OperationalError
from django.utils import timezone
from openapi_spec_validator import validate

from gaoxin.core import views
from gaoxin.core.models import AuditEntry, CalendarYear, Notification, SchedulerTick
from gaoxin.core.notifications import notify
from gaoxin.core.scheduling import registered_jobs, run_due_jobs
from gaoxin.core.tasks import calendar_next_year_check
from gaoxin.enterprises.models import Cluster
from gaoxin.enterprises.services import enterprise_update

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[3]


def test_openapi_document_is_valid_openapi_3(client, staff):
    client.force_login(staff)
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    spec = response.json()
    validate(spec)
    assert spec["openapi"].startswith("3.")
    assert "/api/v1/enterprises/" in spec["paths"]
    assert {"TokenAuth", "SessionAuth"} <= set(spec["components"]["securitySchemes"])


def test_docs_page_loads_nothing_from_outside(client, staff):
    client.force_login(staff)
    page = client.get("/api/v1/docs").text
    assert "swagger-ui-bundle.js" in page
    assert "http://" not in page.replace("http://www.w3.org", "")
    assert "https://" not in page


def test_every_response_carries_a_request_id_that_the_audit_entry_keeps(
    client, staff, enterprise, settings
):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]  # the test client's address, as a local proxy
    client.force_login(staff)
    response = client.post(
        f"/enterprises/{enterprise.pk}/edit/",
        {"name": enterprise.name, "uscc": enterprise.uscc, "address": "x", "version": 1},
        headers={"X-Request-ID": "req-test-0001"},
    )
    assert response["X-Request-ID"] == "req-test-0001"
    assert AuditEntry.objects.get(action="update").request_id == "req-test-0001"


def test_security_headers_are_set(client):
    response = client.get("/login/")
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    script_src = next(d for d in csp.split(";") if d.strip().startswith("script-src"))
    assert script_src.strip() == "script-src 'self'"  # no inline or eval
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_audit_log_filters_by_action_and_object(client, admin_user, staff, enterprise):
    enterprise_update(
        enterprise=enterprise, by=staff, data={"address": "北京路1号"}, expected_version=1
    )
    client.force_login(admin_user)
    page = client.get("/platform/audit/", {"action": "update", "object": "海声"})
    assert "北京路1号" in page.text
    assert page.context["page"].paginator.count == 1
    export = client.get("/platform/audit/", {"action": "update", "export": "xlsx"})
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")


def test_admin_enters_a_year_on_the_calendar_page(client, admin_user):
    client.force_login(admin_user)
    response = client.post(
        "/platform/calendar/year/",
        {
            "year": 2027,
            "holidays": "2027-01-01 元旦\n2027-10-01..2027-10-07 国庆节",
            "makeup_workdays": "2027-09-26 国庆节",
            "note": "国办发明电〔2026〕号",
        },
    )
    assert response.status_code == 302
    assert CalendarYear.objects.get(year=2027).source == CalendarYear.Source.ADMIN
    page = client.get("/platform/calendar/", {"year": 2027, "start": "2027-09-30", "days": 1})
    assert page.context["result"].value == dt.date(2027, 10, 8)
    assert page.context["result"].certain


def test_bad_calendar_input_is_explained_and_changes_nothing(client, admin_user):
    client.force_login(admin_user)
    response = client.post(
        "/platform/calendar/year/",
        {"year": 2027, "holidays": "2027-13-01 元旦", "makeup_workdays": ""},
    )
    assert response.status_code == 400
    assert "不是日期" in response.text
    response = client.post(
        "/platform/calendar/year/",
        {"year": 2027, "holidays": "2028-01-01 元旦", "makeup_workdays": ""},
    )
    assert "不在 2027 年内" in response.text
    assert not CalendarYear.objects.filter(year=2027).exists()


def test_unknown_year_is_shown_as_uncertain_on_the_page(client, staff, calendar):
    client.force_login(staff)
    page = client.get("/platform/calendar/", {"year": 2027, "start": "2026-12-28", "days": 5})
    assert 'data-testid="year-unknown"' in page.text
    assert "待确认" in page.text


def test_calendar_api_flags_an_unknown_year(client, staff, calendar):
    client.force_login(staff)
    body = client.get(
        "/api/v1/calendar/add-working-days", {"start": "2026-12-28", "days": 5}
    ).json()
    assert body == {
        "start": "2026-12-28",
        "working_days": 5,
        "deadline": "2027-01-04",
        "certain": False,
        "unknown_years": [2027],
    }
    bad = client.get("/api/v1/calendar/add-working-days", {"start": "2026-12-28", "days": -1})
    assert bad.status_code == 422


def test_database_outage_answers_503_not_500(client, staff, monkeypatch):
    client.force_login(staff)

    def down(request):
        raise OperationalError("could not connect to server: Connection refused")

    monkeypatch.setattr(views, "render", lambda *a, **k: down(None))
    response = client.get("/platform/notifications/")
    assert response.status_code == 503
    assert response["Retry-After"] == "10"


def test_scheduler_enqueues_each_job_once_per_slot(admin_user):
    now = dt.datetime(2026, 11, 28, 10, 0, tzinfo=dt.UTC)
    names = {job.name for job in registered_jobs()}
    assert "calendar_next_year_check" in names
    assert set(run_due_jobs(now)) == names
    assert run_due_jobs(now + dt.timedelta(minutes=5)) == []  # a second scheduler, same slot
    assert SchedulerTick.objects.count() == len(names)


def test_calendar_reminder_notifies_admins_once(admin_user, calendar, monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda: dt.date(2026, 11, 28))
    assert calendar_next_year_check.call() == {"missing": 2027, "notified": 1}
    calendar_next_year_check.call()
    assert Notification.objects.filter(user=admin_user).count() == 1


def test_notifications_page_marks_read(client, staff):
    notify(user=staff, key="k1", title="请处理", body="正文")
    client.force_login(staff)
    page = client.get("/platform/notifications/")
    assert "请处理" in page.text
    client.post("/platform/notifications/")
    assert not Notification.objects.filter(read_at__isnull=True).exists()


def test_admin_site_edits_are_audited(client, admin_user, enterprise):
    client.force_login(admin_user)

    cluster = Cluster.objects.create(code="c9", name="旧名")
    response = client.post(
        f"/admin/enterprises/cluster/{cluster.pk}/change/",
        {"code": "c9", "name": "新名", "order": 0, "is_active": "on", "description": ""},
    )
    assert response.status_code == 302
    entry = AuditEntry.objects.get(content_type__model="cluster")
    assert (entry.before["name"], entry.after["name"]) == ("旧名", "新名")


def _settings_subprocess(**env):
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'gaoxin.settings'; "
        "django.setup()"
    )
    full_env = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "SECRET_KEY")}
    full_env.update(env)
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_refuses_the_demo_secret():
    result = _settings_subprocess(DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_a_malformed_setting_stops_start_up_with_its_name():
    result = _settings_subprocess(DEBUG="maybe")
    assert result.returncode != 0
    assert "DEBUG='maybe' is not a boolean" in result.stderr


def test_deploy_check_is_clean_with_production_settings():
    env = {k: v for k, v in os.environ.items() if k not in ("DEBUG",)}
    env.update(
        DEBUG="0",
        SECRET_KEY="x" * 30 + "production-secret-value-123456",
        ALLOWED_HOSTS="zone.example",
        # From the secret store, not var/field-keys (gaoxin.W010 otherwise).
        FIELD_ENCRYPTION_KEYS="prod1:" + "QUFB" * 10 + "QUE=",
        FIELD_HASH_KEYS="prod1:" + "QkJC" * 10 + "QkI=",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_error_pages_are_styled_and_chinese(client, staff, enterprise_user):
    client.force_login(enterprise_user)
    forbidden = client.get("/platform/audit/")
    assert forbidden.status_code == 403
    assert "您无权访问此页面" in forbidden.text
    missing = client.get("/no-such-page/")
    assert missing.status_code == 404
    assert "此页面不存在" in missing.text
