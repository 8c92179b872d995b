"""Attaching files to records (services of the owning app call these after their own
permission check) and serving them back."""

from __future__ import annotations

import hashlib

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.http import FileResponse

from gaoxin.core import audit
from gaoxin.core.models import Attachment, AuditAction
from gaoxin.core.uploads import check_attachment


def attachments_of(obj):
    ct = ContentType.objects.get_for_model(obj, for_concrete_model=True)
    return Attachment.objects.filter(content_type=ct, object_id=str(obj.pk)).select_related(
        "uploaded_by"
    )


@transaction.atomic
def attach(*, obj, upload, by, description: str = "") -> Attachment:
    name, mime = check_attachment(upload)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    attachment = Attachment(
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=True),
        object_id=str(obj.pk),
        original_name=name,
        mime_type=mime,
        size=upload.size,
        sha256=digest.hexdigest(),
        description=description[:200],
        uploaded_by=by,
    )
    attachment.file.save("upload", upload, save=False)
    attachment.save()
    audit.record(
        action=AuditAction.CREATE,
        obj=attachment,
        by=by,
        after={
            "owner": f"{attachment.content_type.app_label}.{attachment.content_type.model}"
            f":{attachment.object_id}",
            "name": name,
            "size": attachment.size,
            "sha256": attachment.sha256,
        },
    )
    return attachment


@transaction.atomic
def detach(*, attachment: Attachment, by) -> None:
    audit.record(
        action=AuditAction.DELETE,
        obj=attachment,
        by=by,
        before={"name": attachment.original_name, "sha256": attachment.sha256},
    )
    stored = attachment.file.name
    storage = attachment.file.storage
    attachment.delete()
    transaction.on_commit(lambda: storage.delete(stored))


def download(attachment: Attachment) -> FileResponse:
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.mime_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
