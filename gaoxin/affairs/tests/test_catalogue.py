"""The catalogue of service items: limits checked, Excel out and in (all or nothing), who sees
what."""

from decimal import Decimal
from io import BytesIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from gaoxin.affairs import catalogue, services
from gaoxin.affairs.filters import ServiceItemFilter
from gaoxin.affairs.models import Commitment, ServiceItem
from gaoxin.core.attachments import attachments_of
from gaoxin.core.models import AuditEntry
from tests.factories import DepartmentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def approval(db):
    return DepartmentFactory(code="approval", name="行政审批服务局", short_name="审批局")


@pytest.fixture
def item(admin_user, approval, department):
    return services.item_create(
        by=admin_user,
        data={
            "code": "3711000101",
            "name": "企业设立登记",
            "department": approval,
            "legal_limit_days": 15,
            "promised_limit": 30,
            "promised_unit": "working_minutes",
        },
        reviewing_departments=[department],
        materials=[
            {"name": "公司章程", "essential": True},
            {"name": "住所使用证明", "essential": False},
        ],
    )


def test_an_item_keeps_its_materials_and_is_audited(item):
    assert [(m.name, m.essential) for m in item.materials.all()] == [
        ("公司章程", True),
        ("住所使用证明", False),
    ]
    entry = AuditEntry.objects.get(content_type__model="serviceitem", action="create")
    assert entry.after["materials"] == [["公司章程", True], ["住所使用证明", False]]


def test_the_promised_limit_never_exceeds_the_legal_limit(admin_user, approval):
    data = {
        "code": "X1",
        "name": "测试事项",
        "department": approval,
        "legal_limit_days": 5,
        "promised_limit": 36,  # 36 working hours is more than 5 working days of 7 hours
        "promised_unit": "working_hours",
    }
    with pytest.raises(ValidationError) as error:
        services.item_create(by=admin_user, data=data)
    assert "promised_limit" in error.value.message_dict
    services.item_create(by=admin_user, data={**data, "promised_limit": 35})
    assert ServiceItem.objects.count() == 1


def test_export_then_import_updates_by_code(item, admin_user, approval):
    content = catalogue.export_workbook(ServiceItem.objects.all())
    book = load_workbook(BytesIO(content))
    sheet = book.active
    header = [c.value for c in sheet[1]]
    assert header == catalogue.HEADERS
    sheet.cell(row=2, column=header.index("承诺时限") + 1, value=20)
    sheet.append(
        [
            "3711000201",
            "食品经营许可",
            "审批局",
            20,
            5,
            "工作日",
            0,
            "",
            "是",
            "是",
            "否",
            "",
            "【必要】食品经营许可申请书\n【容缺】经营场所平面图",
            "是",
            "",
        ]
    )
    buffer = BytesIO()
    book.save(buffer)
    result = catalogue.import_workbook(buffer.getvalue(), by=admin_user)
    assert result.ok, result.errors
    assert (result.created, result.updated) == (1, 1)
    item.refresh_from_db()
    assert item.promised_limit == 20
    food = ServiceItem.objects.get(code="3711000201")
    assert food.online_allowed is False
    assert [m.essential for m in food.materials.all()] == [True, False]


def test_a_bad_cell_imports_nothing_and_names_row_and_column(item, admin_user):
    book = load_workbook(BytesIO(catalogue.export_workbook(ServiceItem.objects.all())))
    sheet = book.active
    sheet.cell(row=2, column=5, value=99)  # promised 99 minutes: fine
    sheet.append(["3711000301", "新事项", "不存在的局", "abc", 1, "工作周", -1, "", "也许"])
    sheet.append(["3711000302", "超限事项", "审批局", 5, 10, "工作日"])
    buffer = BytesIO()
    book.save(buffer)
    result = catalogue.import_workbook(buffer.getvalue(), by=admin_user)
    assert not result.ok
    cells = {(row, column) for row, column, _m in result.errors}
    assert {
        (3, "实施部门"),
        (3, "法定时限（工作日）"),
        (3, "承诺时限单位"),
        (3, "一次办好"),
    } <= cells
    assert ServiceItem.objects.count() == 1
    item.refresh_from_db()
    assert item.promised_limit == 30  # the good row did not land either


def test_a_service_refusal_on_one_row_rolls_back_every_row(item, admin_user):
    book = load_workbook(BytesIO(catalogue.export_workbook(ServiceItem.objects.all())))
    sheet = book.active
    sheet.append(["3711000401", "合规事项", "审批局", 10, 5, "工作日"])
    sheet.append(["3711000402", "超限事项", "审批局", 5, 10, "工作日"])  # promised > legal
    buffer = BytesIO()
    book.save(buffer)
    result = catalogue.import_workbook(buffer.getvalue(), by=admin_user)
    assert [(row, column) for row, column, _m in result.errors] == [(4, "承诺时限")]
    assert not ServiceItem.objects.filter(code="3711000401").exists()


@pytest.mark.parametrize("content", [b"", b"PK\x03\x04 not really a zip", b"name,code\n"])
def test_a_malformed_file_is_refused_cleanly(admin_user, content):
    result = catalogue.import_workbook(content, by=admin_user)
    assert not result.ok
    assert not ServiceItem.objects.exists()


def test_pages_api_and_who_sees_what(client, item, admin_user, enterprise_user, staff):
    hidden = services.item_create(
        by=admin_user,
        data={
            "code": "OLD1",
            "name": "已取消事项",
            "department": item.department,
            "legal_limit_days": 5,
            "promised_limit": 1,
            "is_active": False,
        },
    )
    client.force_login(enterprise_user)
    listing = client.get("/affairs/items/?one_go=true").content.decode()
    assert "企业设立登记" in listing and "已取消事项" not in listing
    assert client.get(f"/affairs/items/{hidden.pk}/").status_code == 404
    assert client.get(f"/affairs/items/{item.pk}/").status_code == 200
    assert client.get("/affairs/items/import/").status_code == 403
    api = client.get("/api/v1/affairs/items").json()
    assert [i["code"] for i in api["items"]] == ["3711000101"]
    client.force_login(staff)
    assert client.get("/api/v1/affairs/items").json()["count"] == 2
    client.force_login(admin_user)
    refused = client.post(
        "/affairs/items/import/",
        {"file": __import__("io").BytesIO(b"not a workbook")},
    )
    assert refused.status_code == 400
    export = client.get("/affairs/items/?format=xlsx")
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    assert Decimal(0) == ServiceItem.objects.get(code="OLD1").fee


def test_a_materials_blank_form_is_uploaded_by_the_window_and_read_by_all(
    client, item, admin_user, enterprise_user, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path
    material = item.materials.first()
    client.force_login(enterprise_user)
    refused = client.post(
        f"/affairs/items/{item.pk}/",
        {"material": material.pk, "file": SimpleUploadedFile("a.pdf", b"%PDF-1.4\n")},
        follow=True,
    )
    assert [m.level_tag for m in refused.context["messages"]] == ["error"]
    client.force_login(admin_user)
    client.post(
        f"/affairs/items/{item.pk}/",
        {"material": material.pk, "file": SimpleUploadedFile("章程模板.pdf", b"%PDF-1.4\n1")},
    )
    client.post(
        f"/affairs/items/{item.pk}/",
        {"material": material.pk, "file": SimpleUploadedFile("章程模板v2.pdf", b"%PDF-1.4\n2")},
    )
    client.force_login(enterprise_user)
    page = client.get(f"/affairs/items/{item.pk}/").content.decode()
    assert "章程模板v2.pdf" in page and "章程模板.pdf" not in page  # replaced, not piled up
    response = client.get(f"/affairs/items/{item.pk}/materials/{material.pk}/template/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4\n2"
    other = item.materials.last()
    missing = client.get(f"/affairs/items/{item.pk}/materials/{other.pk}/template/")
    assert missing.status_code == 404


def _form_post(item, **changes):
    data = {
        "version": item.version,
        "name": item.name,
        "department": item.department_id,
        "legal_limit_days": item.legal_limit_days,
        "promised_limit": item.promised_limit,
        "promised_unit": item.promised_unit,
        "fee": "0",
        "one_go": "on",
        "online_allowed": "on",
        "appointment_allowed": "on",
        "is_active": "on",
        "unmet_commitment_terminates": "on",
        "reviewing_departments": [d.pk for d in item.reviewing_departments.all()],
        "materials-TOTAL_FORMS": "3",
        "materials-INITIAL_FORMS": "2",
        "materials-MIN_NUM_FORMS": "0",
        "materials-MAX_NUM_FORMS": "60",
        "materials-0-name": "公司章程",
        "materials-0-essential": "on",
        "materials-1-name": "住所使用证明",
        "materials-2-name": "",
        "materials-2-essential": "on",
    }
    data.update(changes)
    return data


def test_the_window_edits_an_item_and_its_materials_keep_their_forms(
    client, item, clerk, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path
    kept = item.materials.get(name="公司章程")
    services.material_template_attach(
        material=kept,
        upload=__import__("django").core.files.uploadedfile.SimpleUploadedFile(
            "章程模板.pdf", b"%PDF-1.4\n"
        ),
        by=clerk,
    )
    client.force_login(clerk)
    assert client.get(f"/affairs/items/{item.pk}/edit/").status_code == 200
    response = client.post(
        f"/affairs/items/{item.pk}/edit/",
        _form_post(
            item,
            promised_limit="20",
            **{
                "materials-0-name": "股东会决议",  # a new first material
                "materials-0-essential": "on",
                "materials-1-name": "公司章程",
                "materials-1-essential": "on",
                "materials-2-name": "住所使用证明",
                "materials-2-DELETE": "on",
            },
        ),
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.promised_limit == 20 and item.version == 2
    assert [(m.name, m.order) for m in item.materials.all()] == [
        ("股东会决议", 1),
        ("公司章程", 2),
    ]
    assert item.materials.get(name="公司章程").pk == kept.pk  # same row, same blank form
    assert attachments_of(kept).count() == 1
    entry = AuditEntry.objects.filter(content_type__model="serviceitem", action="update").get()
    assert entry.before["materials"] == [["公司章程", True], ["住所使用证明", False]]
    assert entry.after["materials"] == [["股东会决议", True], ["公司章程", True]]


def test_an_edit_on_a_stale_version_is_a_conflict_and_changes_nothing(client, item, clerk):
    client.force_login(clerk)
    stale = _form_post(item, name="改名一")
    client.post(f"/affairs/items/{item.pk}/edit/", _form_post(item, name="改名二"))
    response = client.post(f"/affairs/items/{item.pk}/edit/", stale)
    assert response.status_code == 409
    assert "改名二" in response.content.decode()  # the current values are shown
    item.refresh_from_db()
    assert item.name == "改名二"


def test_bad_input_is_refused_by_field_and_changes_nothing(client, item, clerk):
    client.force_login(clerk)
    over = client.post(
        f"/affairs/items/{item.pk}/edit/",
        _form_post(item, promised_limit="16", promised_unit="working_days"),
    )
    assert over.status_code == 400
    assert "不能超过法定时限" in over.content.decode()
    twice = client.post(
        f"/affairs/items/{item.pk}/edit/",
        _form_post(item, **{"materials-1-name": "公司章程"}),
    )
    assert twice.status_code == 400
    item.refresh_from_db()
    assert item.version == 1 and item.promised_limit == 30
    assert item.materials.count() == 2


def test_a_material_named_in_a_commitment_cannot_be_removed(item, admin_user, enterprise):
    application = services.application_create(
        enterprise=enterprise, items=[item], by=admin_user, channel="window"
    )
    commitment = Commitment.objects.create(
        application=application, due_on="2026-12-01", signatory="张三", signed_on="2026-11-20"
    )
    commitment.materials.set([item.materials.get(name="住所使用证明")])
    with pytest.raises(ValidationError, match="住所使用证明"):
        services.item_update(
            item=item,
            by=admin_user,
            data={},
            expected_version=item.version,
            materials=[{"name": "公司章程", "essential": True}],
        )
    assert item.materials.count() == 2


def test_a_department_keeps_only_its_own_items(client, item, staff, approval, admin_user):
    own = services.item_create(
        by=admin_user,
        data={
            "code": "DEPT1",
            "name": "本部门事项",
            "department": staff.department,
            "legal_limit_days": 20,
            "promised_limit": 10,
        },
    )
    client.force_login(staff)
    assert client.get(f"/affairs/items/{item.pk}/edit/").status_code == 403
    assert "item-edit" not in client.get(f"/affairs/items/{item.pk}/").content.decode()
    assert client.get(f"/affairs/items/{own.pk}/edit/").status_code == 200
    # Creating an item for another department is refused: the form offers only its own.
    response = client.post(
        "/affairs/items/new/",
        {
            "code": "DEPT2",
            "name": "他部门事项",
            "department": approval.pk,
            "legal_limit_days": "20",
            "promised_limit": "10",
            "promised_unit": "working_days",
            "fee": "0",
            "materials-TOTAL_FORMS": "0",
            "materials-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 400
    assert not ServiceItem.objects.filter(code="DEPT2").exists()
    with pytest.raises(PermissionDenied):
        services.item_create(
            by=staff,
            data={
                "code": "DEPT3",
                "name": "他部门事项",
                "department": approval,
                "legal_limit_days": 20,
                "promised_limit": 10,
            },
        )


def test_the_window_creates_an_item(client, clerk, approval):
    client.force_login(clerk)
    response = client.post(
        "/affairs/items/new/",
        {
            "code": "NEW1",
            "name": "新设事项",
            "department": approval.pk,
            "legal_limit_days": "20",
            "promised_limit": "3",
            "promised_unit": "working_days",
            "fee": "0",
            "one_go": "on",
            "is_active": "on",
            "materials-TOTAL_FORMS": "2",
            "materials-INITIAL_FORMS": "0",
            "materials-0-name": "申请书",
            "materials-0-essential": "on",
            "materials-1-name": "",
            "materials-1-essential": "on",
        },
    )
    created = ServiceItem.objects.get(code="NEW1")
    assert response.status_code == 302 and response["Location"] == f"/affairs/items/{created.pk}/"
    assert [m.name for m in created.materials.all()] == ["申请书"]
    assert AuditEntry.objects.filter(content_type__model="serviceitem", action="create").exists()


def test_the_catalogue_is_found_by_pinyin_initials_code_and_department(
    admin_user, departments, calendar
):
    services.item_create(
        by=admin_user,
        data={
            "code": "370100-QY-01",
            "name": "企业设立登记",
            "department": departments["approval"],
            "legal_limit_days": 3,
            "promised_limit": 1,
            "promised_unit": "working_days",
        },
    )
    services.item_create(
        by=admin_user,
        data={
            "code": "370100-HP-02",
            "name": "环境影响评价审批",
            "department": departments["environment"],
            "legal_limit_days": 20,
            "promised_limit": 10,
            "promised_unit": "working_days",
        },
    )

    def found(q):
        return [i.name for i in ServiceItemFilter({"q": q}, ServiceItem.objects.all()).qs]

    assert found("qysl") == ["企业设立登记"]
    assert found("QYSL") == ["企业设立登记"]
    assert found("qiye") == ["企业设立登记"]
    assert found("HP-02") == ["环境影响评价审批"]
    assert found("生态环境") == ["环境影响评价审批"]
    assert found("设立") == ["企业设立登记"]
    # Renaming keeps the key in step.
    item = ServiceItem.objects.get(code="370100-QY-01")
    services.item_update(
        item=item, by=admin_user, data={"name": "个体工商户登记"}, expected_version=item.version
    )
    assert found("qysl") == [] and found("gtgsh") == ["个体工商户登记"]
