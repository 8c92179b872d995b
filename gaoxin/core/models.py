"""Base models and the platform's own records: audit trail, work calendar, scheduler ticks."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class RestrictedQuerySet(models.QuerySet):
    """A queryset that narrows itself to what a user may see or do (NetBox's idea).

    ``restrict(user, action)`` first asks the rule set for the model-level permission
    ``<app>.<action>_<model>``; a model's own queryset then narrows the rows in ``visible_to``
    (an enterprise user sees only its own enterprise's records). Every list, detail view and
    API endpoint reads through ``restrict``, so the rule lives in one place.
    """

    def restrict(self, user, action: str = "view") -> RestrictedQuerySet:
        opts = self.model._meta
        perm = f"{opts.app_label}.{action}_{opts.model_name}"
        if user is None or not user.is_authenticated or not user.has_perm(perm):
            return self.none()
        return self.visible_to(user, action)

    def visible_to(self, user, action: str) -> RestrictedQuerySet:
        return self


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class VersionedModel(models.Model):
    """Carries a version number for optimistic locking; see ``core.locking``."""

    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        abstract = True


class AuditAction(models.TextChoices):
    CREATE = "create", _("Created")
    UPDATE = "update", _("Changed")
    DELETE = "delete", _("Deleted")


class AuditEntry(models.Model):
    """One change to business data: who, when, which object, values before and after.

    Written by ``core.audit.record`` inside the same transaction as the change itself. Each
    entry is a link of a hash chain (``core.auditchain``): ``seq`` is its place, ``hash`` the
    SHA-256 of its fields and ``prev_hash``, the hash of the entry before it. Editing or
    deleting an entry breaks the chain, which ``manage.py audit_verify`` reports.
    """

    # Set by core.audit before the insert, because the time is part of the hash.
    timestamp = models.DateTimeField(_("time"), default=timezone.now, editable=False, db_index=True)
    # An account that acted is deactivated, never deleted: its id is part of the hash.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    user_repr = models.CharField(_("user"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=10, choices=AuditAction.choices)
    content_type = models.ForeignKey(
        ContentType, verbose_name=_("object type"), on_delete=models.PROTECT, related_name="+"
    )
    object_id = models.CharField(_("object id"), max_length=64)
    object_repr = models.CharField(_("object"), max_length=200)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    request_id = models.CharField(_("request id"), max_length=36, blank=True, db_index=True)
    seq = models.PositiveBigIntegerField(_("chain position"), unique=True, editable=False)
    prev_hash = models.CharField(_("previous hash"), max_length=64, editable=False)
    hash = models.CharField(_("hash"), max_length=64, editable=False)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-timestamp", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id", "-timestamp"])]

    def __str__(self) -> str:
        when = f"{self.timestamp:%Y-%m-%d %H:%M}"
        return f"{when} {self.user_display} {self.get_action_display()} {self.object_repr}"

    @property
    def user_display(self) -> str:
        """Who, as a reader says it: a change made by no person (a job, the demo) is the
        system's (recorded as "system": the stored text stays as the hash chain covers it)."""
        return (
            str(_("System"))
            if self.user_id is None and self.user_repr == "system"
            else self.user_repr
        )

    @property
    def changes(self) -> list[tuple[str, object, object]]:
        """Fields whose value differs between before and after, as (field, before, after)."""
        before = self.before or {}
        after = self.after or {}
        keys = [k for k in {**before, **after} if before.get(k) != after.get(k)]
        return [(k, before.get(k), after.get(k)) for k in keys]


class AuditChainHead(models.Model):
    """The end of the audit hash chain: one row, locked by every append, so two writers
    never link to the same entry (no fork) and an entry deleted from the end is noticed."""

    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("audit chain head")
        verbose_name_plural = _("audit chain head")

    def __str__(self) -> str:
        return f"{self.seq} {self.hash[:12]}"


class CalendarYear(models.Model):
    """A year whose official holiday schedule is known (from the package or entered by an admin).

    Dates in a year without a row are computed as a plain Monday–Friday week and flagged as
    uncertain, never silently trusted.
    """

    class Source(models.TextChoices):
        PACKAGE = "package", _("chinese-calendar package")
        ADMIN = "admin", _("entered by an administrator")

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("calendar year")
        verbose_name_plural = _("calendar years")
        ordering = ["year"]

    def __str__(self) -> str:
        return str(self.year)


class CalendarDay(models.Model):
    """An exception to the Monday–Friday week: a public holiday or a make-up working day (调休)."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("Public holiday")
        MAKEUP_WORKDAY = "makeup_workday", _("Make-up working day")

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()} {self.name}"


class SchedulerTick(models.Model):
    """Marks that a periodic job was enqueued for a time slot, so several schedulers never
    enqueue it twice (the unique constraint is the lock)."""

    job = models.CharField(max_length=100)
    slot = models.DateTimeField()
    enqueued_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("scheduler run")
        verbose_name_plural = _("scheduler runs")
        constraints = [models.UniqueConstraint(fields=["job", "slot"], name="unique_job_slot")]

    def __str__(self) -> str:
        return f"{self.job}@{self.slot:%Y-%m-%d %H:%M}"


class Notification(models.Model):
    """A message to one user (reminders, escalations). ``key`` makes a reminder idempotent."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    key = models.CharField(_("key"), max_length=100)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("message"), blank=True)
    link = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="unique_notification_key")
        ]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self) -> str:
        return self.title


class BackgroundJob(models.Model):
    """A long job a user started (an import, a large export): its progress and its outcome.

    The worker updates ``done``/``total`` as it goes; the page polls and shows a progress bar.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Checking")
        SAVING = "saving", _("Saving")
        SUCCEEDED = "succeeded", _("Done")
        FAILED = "failed", _("Failed")

    kind = models.CharField(_("kind"), max_length=50)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="jobs",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    file_name = models.CharField(_("file"), max_length=200, blank=True)
    file_path = models.CharField(max_length=300, blank=True)
    total = models.PositiveIntegerField(_("total"), default=0)
    done = models.PositiveIntegerField(_("done"), default=0)
    message = models.CharField(_("message"), max_length=300, blank=True)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    result = models.JSONField(_("result"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} {self.status}"

    @property
    def percent(self) -> int:
        return int(self.done * 100 / self.total) if self.total else 0

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.SUCCEEDED, self.Status.FAILED)


class IdempotencyRecord(models.Model):
    """Remembers the answer to a request that carried an idempotency key, so a retried request
    (double click, network retry) gets the same answer instead of creating a second record."""

    key = models.CharField(max_length=200, unique=True)
    method = models.CharField(max_length=10)
    path = models.CharField(max_length=300)
    completed = models.BooleanField(default=False)
    status_code = models.PositiveSmallIntegerField(null=True)
    content_type = models.CharField(max_length=100, blank=True)
    body = models.BinaryField(blank=True, default=b"")
    location = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("repeated-request record")
        verbose_name_plural = _("repeated-request records")

    def __str__(self) -> str:
        return f"{self.method} {self.path} ({self.key[:12]}…)"


def _attachment_path(instance, filename):
    return f"attachments/{timezone.now():%Y/%m}/{uuid.uuid4().hex}"


class Attachment(models.Model):
    """A file attached to a business record (a project's contract, a licence scan …).

    Stored under a random name outside any served folder; downloaded only through a view that
    checks access to the record it belongs to.
    """

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.CharField(max_length=64)
    file = models.FileField(upload_to=_attachment_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    mime_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(_("size"))
    sha256 = models.CharField(max_length=64)
    description = models.CharField(_("description"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["-uploaded_at"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return self.original_name
