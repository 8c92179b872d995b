import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from gaoxin.core.models import Attachment, AuditEntry
from gaoxin.projects.services import project_create
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def project(staff, enterprise):
    return project_create(by=staff, data={"name": "附件项目", "enterprise": enterprise})


def upload(client, project, name, content, **extra):
    return client.post(
        f"/projects/{project.pk}/attachments/",
        {"file": SimpleUploadedFile(name, content), **extra},
        follow=True,
    )


def test_a_contract_is_attached_audited_and_downloaded_by_those_who_see_the_project(
    client, staff, enterprise_user, project, media
):
    client.force_login(staff)
    page = upload(client, project, "投资协议.pdf", PDF, description="正式合同")
    assert "投资协议.pdf" in page.text
    attachment = Attachment.objects.get()
    assert attachment.size == len(PDF)
    assert "投资协议" not in attachment.file.name  # stored under a random name
    assert AuditEntry.objects.filter(content_type__model="attachment", action="create").exists()
    url = f"/projects/{project.pk}/attachments/{attachment.pk}/"
    response = client.get(url)
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert "attachment;" in response["Content-Disposition"]
    client.force_login(enterprise_user)  # the investor enterprise sees its own project's files
    assert client.get(url).status_code == 200


def test_another_enterprise_cannot_download(client, staff, project, other_enterprise):

    client.force_login(staff)
    upload(client, project, "协议.pdf", PDF)
    outsider = UserFactory(role="enterprise", enterprise=other_enterprise)
    client.force_login(outsider)
    attachment = Attachment.objects.get()
    assert client.get(f"/projects/{project.pk}/attachments/{attachment.pk}/").status_code == 404


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("setup.exe", b"MZ\x90\x00", "允许的文件类型"),
        ("合同.pdf", b"MZ\x90\x00 not a pdf", "不是 PDF 文件"),
        ("空.pdf", b"", "文件为空"),
        ("大.pdf", b"%PDF" + b"0" * (20 * 1024 * 1024), "20 MB"),
    ],
)
def test_wrong_type_fake_content_empty_and_oversize_files_are_refused(
    client, staff, project, name, content, message
):
    client.force_login(staff)
    page = upload(client, project, name, content)
    assert message in page.text
    assert not Attachment.objects.exists()


def test_a_hostile_name_is_kept_only_as_a_display_name(client, staff, project, media):
    client.force_login(staff)
    upload(client, project, "../../etc/\x07passwd.pdf", PDF)
    attachment = Attachment.objects.get()
    assert attachment.original_name == "passwd.pdf"
    assert (media / attachment.file.name).resolve().is_relative_to(media.resolve())


def test_removing_deletes_the_file_and_is_audited(
    client, staff, project, media, django_capture_on_commit_callbacks
):
    client.force_login(staff)
    upload(client, project, "协议.pdf", PDF)
    attachment = Attachment.objects.get()
    path = media / attachment.file.name
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/projects/{project.pk}/attachments/{attachment.pk}/delete/")
    assert not Attachment.objects.exists()
    assert not path.exists()
    assert AuditEntry.objects.filter(content_type__model="attachment", action="delete").exists()


def test_leaders_cannot_attach(client, leader, project):
    client.force_login(leader)
    response = client.post(
        f"/projects/{project.pk}/attachments/", {"file": SimpleUploadedFile("a.pdf", PDF)}
    )
    assert response.status_code == 403
