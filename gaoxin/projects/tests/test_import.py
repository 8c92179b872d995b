import datetime as dt
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from gaoxin.core.models import AuditEntry, BackgroundJob
from gaoxin.projects import importer
from gaoxin.projects.models import Project, StageEvent
from gaoxin.projects.stages import Stage
from gaoxin.projects.tasks import import_projects
from tests.factories import ClusterFactory

pytestmark = pytest.mark.django_db


def workbook(rows, headers=None) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(headers or importer.HEADERS)
    for row in rows:
        ws.append([row.get(h) for h in (headers or importer.HEADERS)])
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def good_row(name="智能装备项目", **extra):
    return {
        "项目名称": name,
        "投资方": "苏州某某科技有限公司",
        "产业集群": "高端智能装备制造",
        "行业代码": "34",
        "招引渠道": "以商招商",
        "来源省份": "江苏省",
        "总投资（万元）": 20000,
        "固定资产投资（万元）": 15000,
        "洽谈日期": "2026-03-01",
        "签约日期": "2026-05-20",
        **extra,
    }


@pytest.fixture
def cluster(db):
    return ClusterFactory(code="equipment", name="高端智能装备制造")


def test_template_has_every_column_and_the_allowed_values(cluster):
    wb = load_workbook(BytesIO(importer.template_workbook()))
    assert [c.value for c in wb["项目台账"][1]] == importer.HEADERS
    notes = {row[0]: row[1] for row in wb["填写说明"].iter_rows(values_only=True)}
    assert "高端智能装备制造" in notes["产业集群"]


def test_a_good_ledger_is_imported_with_its_history_through_the_services(staff, cluster):
    content = workbook([good_row(), good_row("传感器项目", **{"开工日期": "2026-07-01"})])
    ids, errors = importer.run_import(content, by=staff)
    assert errors == []
    assert len(ids) == 2
    project = Project.objects.get(name="智能装备项目")
    assert project.stage == Stage.SIGNED
    assert project.channel == "investor_referral"
    assert list(project.events.values_list("stage", "on")) == [
        ("negotiating", dt.date(2026, 3, 1)),
        ("signed", dt.date(2026, 5, 20)),
    ]
    # An expansion without a registration date goes from signed straight to construction.
    assert Project.objects.get(name="传感器项目").stage == Stage.UNDER_CONSTRUCTION
    assert AuditEntry.objects.filter(content_type__model="project", action="create").count() == 2


def test_a_malformed_ledger_changes_nothing_and_reports_each_bad_row(staff, cluster):
    content = workbook(
        [
            good_row("好项目"),
            good_row("坏日期", **{"签约日期": "2026-13-45"}),
            good_row("跳步", **{"签约日期": None, "投产日期": "2026-06-01"}),
            good_row("倒序", **{"签约日期": "2026-01-01"}),
            good_row("未来", **{"签约日期": (dt.date.today() + dt.timedelta(days=3)).isoformat()}),
            good_row("负数", **{"总投资（万元）": -5}),
            good_row("", **{"产业集群": "不存在的集群"}),
            good_row("好项目"),
        ]
    )
    before = (Project.objects.count(), StageEvent.objects.count(), AuditEntry.objects.count())
    ids, errors = importer.run_import(content, by=staff)
    assert ids == []
    assert (
        Project.objects.count(),
        StageEvent.objects.count(),
        AuditEntry.objects.count(),
    ) == before
    found = {(e.row, e.column) for e in errors}
    assert (3, "签约日期") in found  # not a date
    assert (4, "投产日期") in found  # skipped stages
    assert (5, "签约日期") in found  # earlier than negotiation
    assert (6, "签约日期") in found  # in the future
    assert (7, "总投资（万元）") in found
    assert (8, "项目名称") in found and (8, "产业集群") in found
    assert (9, "项目名称") in found  # duplicate of row 2
    assert 2 not in {e.row for e in errors}
    assert all(e.message for e in errors)


def test_a_workbook_without_the_template_columns_is_refused(staff):
    ids, errors = importer.run_import(workbook([{"名称": "x"}], headers=["名称"]), by=staff)
    assert ids == []
    assert any(e.column == "项目名称" for e in errors)


def test_garbage_bytes_are_refused_cleanly(staff):
    ids, errors = importer.run_import(b"PK\x03\x04 not really a zip", by=staff)
    assert ids == []
    assert errors[0].row == 0


def test_check_costs_a_fixed_number_of_queries(staff, cluster, django_assert_max_num_queries):
    rows, _e = importer.read_rows(workbook([good_row(f"项目{i}") for i in range(3)]))
    with django_assert_max_num_queries(10) as few:
        importer.check_rows(rows)
    rows, _e = importer.read_rows(workbook([good_row(f"项目{i}") for i in range(60)]))
    with django_assert_max_num_queries(len(few.captured_queries)):
        parsed, errors = importer.check_rows(rows)
    assert len(parsed) == 60 and errors == []


def test_upload_runs_as_a_job_with_progress_and_a_report(
    client, staff, cluster, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(staff)
    content = workbook([good_row(), good_row("坏", **{"签约日期": "不是日期"})])
    response = client.post("/projects/import/", {"file": SimpleUploadedFile("台账.xlsx", content)})
    job = BackgroundJob.objects.get()
    assert response.status_code == 302
    assert response.url == f"/platform/jobs/{job.pk}/"
    import_projects.call(job.pk)
    job.refresh_from_db()
    assert job.status == BackgroundJob.Status.FAILED
    assert job.total == 2
    assert job.errors == [
        {"row": 3, "column": "签约日期", "message": "“不是日期”不是日期（格式 YYYY-MM-DD）。"}
    ]
    assert not Project.objects.exists()
    assert not list(tmp_path.rglob("*.xlsx"))  # the upload is removed afterwards
    page = client.get(f"/platform/jobs/{job.pk}/")
    assert "不是日期" in page.text


def test_a_successful_job_reports_the_count(client, staff, cluster, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(staff)
    client.post(
        "/projects/import/", {"file": SimpleUploadedFile("ledger.xlsx", workbook([good_row()]))}
    )
    job = BackgroundJob.objects.get()
    import_projects.call(job.pk)
    job.refresh_from_db()
    assert (job.status, job.result, job.done, job.total) == ("succeeded", {"created": 1}, 1, 1)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("ledger.csv", b"a,b\n", "Excel"),
        ("../../etc/passwd.xlsx", b"root:x:0:0", "不是有效的"),
        ("big.xlsx", b"PK\x03\x04" + b"0" * (10 * 1024 * 1024 + 1), "10 MB"),
    ],
)
def test_wrong_type_hostile_name_and_oversize_uploads_are_refused(
    client, staff, name, content, message
):
    client.force_login(staff)
    response = client.post("/projects/import/", {"file": SimpleUploadedFile(name, content)})
    assert response.status_code == 400
    assert message in response.text
    assert not BackgroundJob.objects.exists()


def test_someone_elses_job_is_not_visible(client, staff, steward):
    job = BackgroundJob.objects.create(kind="projects.import", user=staff)
    client.force_login(steward)
    assert client.get(f"/platform/jobs/{job.pk}/").status_code == 404
