"""Hole 4 of issue 15: spreadsheet bombs.

A small .xlsx whose parts unpack to hundreds of megabytes is refused before anything parses it,
with a Chinese message naming the limit, and without the memory it would take to unpack it;
imports are parsed by the task worker (streaming, read-only), never in the web process.
"""

from __future__ import annotations

import tracemalloc
import zipfile
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from gaoxin.core.models import BackgroundJob
from gaoxin.core.uploads import check_spreadsheet, check_xlsx_archive

pytestmark = pytest.mark.django_db

MB = 1024 * 1024
MEMORY_CEILING = 150 * MB

CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
    b'package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.'
    b'openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType='
    b'"application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.'
    b'openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/'
    b'worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.'
    b'spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType='
    b'"application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'
)
RELS = (
    b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats'
    b'.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
    b'openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target='
    b'"xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    b'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/'
    b'spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
    b'relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats'
    b'.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
    b'openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/'
    b'sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/'
    b'officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
    b"</Relationships>"
)
SHEET = (
    b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
    b'spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row>'
    b"</sheetData></worksheet>"
)


def write_bomb(path, unpacked_mb: int = 300) -> int:
    """An .xlsx whose shared strings unpack to ``unpacked_mb`` MB, streamed into the zip one
    megabyte at a time so the test itself never holds more than that. Returns its file size."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        archive.writestr("xl/worksheets/sheet1.xml", SHEET)
        strings = b"<si><t>" + b"A" * 1000 + b"</t></si>"
        megabyte = strings * (MB // len(strings))
        count = unpacked_mb * (MB // len(strings))
        with archive.open("xl/sharedStrings.xml", "w", force_zip64=True) as fh:
            fh.write(
                b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.'
                b'openxmlformats.org/spreadsheetml/2006/main" count="%d" uniqueCount="%d">'
                % (count, count)
            )
            for _ in range(unpacked_mb):
                fh.write(megabyte)
            fh.write(b"</sst>")
    return path.stat().st_size


@pytest.fixture(scope="module")
def bomb(tmp_path_factory):
    path = tmp_path_factory.mktemp("bomb") / "台账.xlsx"
    size = write_bomb(path)
    assert size < 2 * MB  # small on the wire: the old 10 MB limit let it through
    with zipfile.ZipFile(path) as archive:
        assert archive.getinfo("xl/sharedStrings.xml").file_size > 300 * 1000 * 1000
    return path.read_bytes()


def workbook_bytes(rows) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def peak_memory(function):
    """(result, peak bytes allocated by Python while it ran)."""
    tracemalloc.start()
    try:
        result = function()
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return result, peak


def test_a_bomb_uploaded_to_the_project_import_is_refused_within_150_mb(client, admin_user, bomb):
    client.force_login(admin_user)
    upload = SimpleUploadedFile("台账.xlsx", bomb)
    response, peak = peak_memory(lambda: client.post("/projects/import/", {"file": upload}))
    assert response.status_code == 400
    page = response.content.decode()
    assert "解压后超过 100 MB" in page  # the limit, named
    assert not BackgroundJob.objects.exists()  # nothing stored, nothing queued
    assert peak < MEMORY_CEILING, f"peak {peak / MB:.0f} MB"


def test_a_bomb_that_reached_the_worker_is_refused_there_too(admin_user, bomb, settings, tmp_path):
    """Defence in depth: the worker checks the archive again before parsing."""
    from gaoxin.projects.tasks import import_projects

    settings.MEDIA_ROOT = tmp_path
    from django.core.files.storage import default_storage

    job = BackgroundJob.objects.create(
        kind="projects.import",
        user=admin_user,
        file_name="台账.xlsx",
        file_path=default_storage.save("imports/bomb.xlsx", BytesIO(bomb)),
    )
    _result, peak = peak_memory(lambda: import_projects.call(job.pk))
    job.refresh_from_db()
    assert job.status == BackgroundJob.Status.FAILED
    assert "解压后超过 100 MB" in job.errors[0]["message"]
    assert peak < MEMORY_CEILING, f"peak {peak / MB:.0f} MB"


def test_a_bomb_in_the_catalogue_import_is_refused_in_page_and_worker(client, admin_user, bomb):
    from gaoxin.affairs import catalogue

    client.force_login(admin_user)
    response, peak = peak_memory(
        lambda: client.post(
            "/affairs/items/import/", {"file": SimpleUploadedFile("事项.xlsx", bomb)}
        )
    )
    assert response.status_code == 400
    assert "解压后超过 100 MB" in response.content.decode()
    assert peak < MEMORY_CEILING
    result, peak = peak_memory(lambda: catalogue.import_workbook(bomb, by=admin_user))
    assert not result.ok and "解压后超过 100 MB" in result.errors[0][2]
    assert peak < MEMORY_CEILING


def test_a_packed_part_under_the_size_limit_is_refused_by_its_ratio(tmp_path):
    path = tmp_path / "packed.xlsx"
    write_bomb(path, unpacked_mb=20)  # 20 MB of one repeated string: ~1000 times packed
    with pytest.raises(ValidationError) as refused:
        check_xlsx_archive(path.read_bytes())
    assert refused.value.code == "file_ratio"
    assert "上限 100 倍" in refused.value.messages[0]


def test_limits_come_from_settings(settings, tmp_path):
    ordinary = workbook_bytes([["项目名称", "投资方"], ["智能装备", "某公司"]] * 50)
    check_spreadsheet(SimpleUploadedFile("ok.xlsx", ordinary))  # an ordinary workbook passes
    settings.SPREADSHEET_MAX_UNCOMPRESSED_BYTES = 2000
    with pytest.raises(ValidationError) as refused:
        check_spreadsheet(SimpleUploadedFile("ok.xlsx", ordinary))
    assert refused.value.code == "file_unpacked_size"
    settings.SPREADSHEET_MAX_BYTES = 1000
    with pytest.raises(ValidationError) as refused:
        check_spreadsheet(SimpleUploadedFile("ok.xlsx", ordinary))
    assert refused.value.code == "file_size"


def test_a_zip_of_thousands_of_parts_or_a_broken_zip_is_refused():
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for n in range(1001):
            archive.writestr(f"x/{n}.xml", b"")
    with pytest.raises(ValidationError) as refused:
        check_xlsx_archive(buffer.getvalue())
    assert refused.value.code == "file_parts"
    with pytest.raises(ValidationError) as refused:
        check_spreadsheet(SimpleUploadedFile("a.xlsx", b"PK\x03\x04 not really a zip"))
    assert refused.value.code == "file_content"


def test_a_forged_sheet_size_does_not_pad_rows(admin_user):
    """A sheet declaring A1:XFD1048576 is read by its real cells (no million padded rows)."""
    from gaoxin.projects import importer

    content = workbook_bytes([importer.HEADERS])
    buffer = BytesIO()
    with zipfile.ZipFile(BytesIO(content)) as source, zipfile.ZipFile(buffer, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b'<dimension ref="A1:Z1"', b'<dimension ref="A1:XFD1048576"')
                assert b"XFD1048576" in data
            target.writestr(item, data)
    rows, errors = importer.read_rows(buffer.getvalue())
    assert (rows, errors) == ([], [])


def test_the_catalogue_import_runs_in_the_worker_and_reports_on_the_job_page(
    client, admin_user, department, settings, tmp_path
):
    from gaoxin.affairs import catalogue
    from gaoxin.affairs.models import ServiceItem
    from gaoxin.core.jobs import run_import

    settings.MEDIA_ROOT = tmp_path
    content = workbook_bytes(
        [catalogue.HEADERS, ["3711000901", "企业设立登记", department.name, 20, 1, "工作日"]]
    )
    client.force_login(admin_user)
    response = client.post(
        "/affairs/items/import/", {"file": SimpleUploadedFile("事项.xlsx", content)}
    )
    job = BackgroundJob.objects.get(kind="affairs.catalogue_import")
    assert response.status_code == 302 and response["Location"] == f"/platform/jobs/{job.pk}/"
    assert not ServiceItem.objects.exists()  # nothing parsed or saved by the web process
    run_import.call(job.pk, "gaoxin.affairs.catalogue.import_workbook")
    job.refresh_from_db()
    assert job.status == BackgroundJob.Status.SUCCEEDED
    assert job.result == {"created": 1, "updated": 0}
    assert ServiceItem.objects.get().name == "企业设立登记"
    assert not list(tmp_path.rglob("*.xlsx"))  # the upload is deleted after use
    page = client.get(f"/platform/jobs/{job.pk}/").content.decode()
    assert "新增 1 个事项，更新 0 个" in page
    listing = client.get("/affairs/items/import/").content.decode()
    assert "事项.xlsx" in listing  # my recent imports


def test_a_bad_catalogue_reports_every_cell_on_the_job(client, admin_user, settings, tmp_path):
    from gaoxin.affairs import catalogue
    from gaoxin.core.jobs import run_import

    settings.MEDIA_ROOT = tmp_path
    content = workbook_bytes([catalogue.HEADERS, ["3711000901", "", "不存在的局", "x", 1]])
    client.force_login(admin_user)
    client.post("/affairs/items/import/", {"file": SimpleUploadedFile("事项.xlsx", content)})
    job = BackgroundJob.objects.get()
    run_import.call(job.pk, "gaoxin.affairs.catalogue.import_workbook")
    job.refresh_from_db()
    assert job.status == BackgroundJob.Status.FAILED
    assert {e["column"] for e in job.errors} >= {"事项名称", "实施部门", "法定时限（工作日）"}
    assert 'data-testid="job-errors"' in client.get(f"/platform/jobs/{job.pk}/").content.decode()
