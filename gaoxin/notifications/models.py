"""The outbox: who gets what where, and every delivery of a notification to a channel.

A ``core.Notification`` is the in-app message; each other channel it goes out on is a
``Delivery`` row written in the same transaction (``outbox.enqueue``) and sent by the task
worker (``outbox.deliver``). ``EventRule`` (admin) says which channels an event type uses,
``Preference`` what each person chose, ``RobotWebhook`` which group chats hear of what.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gaoxin.core.fields import EncryptedCharField
from gaoxin.core.models import TimeStampedModel


class EventType(models.TextChoices):
    ESCALATION = "escalation", _("Escalation")
    SUPERVISION = "supervision", _("Supervision notice (督办单)")
    REMINDER = "reminder", _("Reminder")
    CASE_STEP = "case_step", _("Case step")
    APPOINTMENT = "appointment", _("Appointment reminder")
    COMMITMENT_DUE = "commitment_due", _("Commitment due")
    LIGHT_LIST = "light_list", _("Monthly light list")
    OTHER = "other", _("Other notice")


class Channel(models.TextChoices):
    IN_APP = "in_app", _("In-app")
    EMAIL = "email", _("E-mail")
    SMS = "sms", _("SMS")
    WECOM = "wecom", _("WeCom app message")
    DINGTALK = "dingtalk", _("DingTalk work notification")
    WECOM_ROBOT = "wecom_robot", _("WeCom group robot")
    DINGTALK_ROBOT = "dingtalk_robot", _("DingTalk group robot")


# The channels that reach one person (a robot reaches a group; in-app is always there).
PERSONAL_CHANNELS = (Channel.EMAIL, Channel.SMS, Channel.WECOM, Channel.DINGTALK)
ROBOT_CHANNELS = (Channel.WECOM_ROBOT, Channel.DINGTALK_ROBOT)


class DeliveryState(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed, will retry")
    GIVEN_UP = "given_up", _("Given up")


class EventRule(TimeStampedModel):
    """The default channels of one event type (``routing.DEFAULT_RULES`` until an admin
    saves a row). Mandatory: people cannot turn these channels off. Urgent: SMS is sent
    even in quiet hours."""

    event_type = models.CharField(
        _("event type"), max_length=20, choices=EventType.choices, unique=True
    )
    channels = models.JSONField(_("default channels"), default=list, blank=True)
    mandatory = models.BooleanField(_("mandatory"), default=False)
    urgent = models.BooleanField(_("urgent"), default=False)
    sms_template = models.CharField(
        _("SMS template code"),
        max_length=50,
        blank=True,
        help_text=_("The provider's approved template (Alibaba: SMS_…; Tencent: its ID)."),
    )
    to_robots = models.BooleanField(_("post to group robots"), default=True)

    class Meta:
        verbose_name = _("event rule")
        verbose_name_plural = _("event rules")
        ordering = ["event_type"]

    def __str__(self) -> str:
        return self.get_event_type_display()


class Preference(TimeStampedModel):
    """One person's chat ids, quiet hours and channel choices (the phone is on the user)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="notification_preference",
    )
    wecom_user_id = models.CharField(_("WeCom user id"), max_length=64, blank=True)
    dingtalk_user_id = models.CharField(_("DingTalk user id"), max_length=64, blank=True)
    quiet_start = models.TimeField(_("quiet hours from"), null=True, blank=True)
    quiet_end = models.TimeField(_("quiet hours until"), null=True, blank=True)
    # {event_type: [channel, …]} for the event types that are not mandatory.
    choices = models.JSONField(_("channel choices"), default=dict, blank=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return str(self.user)


class RobotWebhook(TimeStampedModel):
    """A group chat's robot: a department's or a key project's task force (工作专班)."""

    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(
        _("kind"),
        max_length=20,
        choices=[(c.value, c.label) for c in ROBOT_CHANNELS],
    )
    department = models.ForeignKey(
        "accounts.Department",
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="robot_webhooks",
    )
    key_project = models.ForeignKey(
        "dispatch.KeyProject",
        verbose_name=_("task force of key project"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="robot_webhooks",
    )
    # The webhook address carries its access token and the secret signs DingTalk requests:
    # both are secrets, stored encrypted like personal data (core.fields).
    url = EncryptedCharField(_("webhook URL"), max_length=500, mask="id_number")
    secret = EncryptedCharField(_("signing secret"), max_length=200, blank=True, mask="id_number")
    event_types = models.JSONField(_("event types"), default=list, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("group robot webhook")
        verbose_name_plural = _("group robot webhooks")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(department__isnull=False) | models.Q(key_project__isnull=False),
                name="robot_webhook_has_group",
            )
        ]

    def __str__(self) -> str:
        return self.name


class Delivery(models.Model):
    """One notification on one channel: the outbox row the worker sends, and its log."""

    notification = models.ForeignKey(
        "core.Notification",
        verbose_name=_("notification"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="deliveries",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="deliveries",
    )
    webhook = models.ForeignKey(
        RobotWebhook,
        verbose_name=_("group robot"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="deliveries",
    )
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    event_type = models.CharField(_("event type"), max_length=20, choices=EventType.choices)
    urgent = models.BooleanField(_("urgent"), default=False)
    # One row per (notification, channel) or (robot, notification key): a job that runs twice
    # finds the row taken; also sent to providers that deduplicate (Alibaba OutId, WeCom).
    idempotency_key = models.CharField(_("idempotency key"), max_length=200, unique=True)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("message"), blank=True)
    link = models.CharField(_("link"), max_length=300, blank=True)
    recipient = models.CharField(_("to"), max_length=100, blank=True)  # masked, for the log
    state = models.CharField(
        _("state"), max_length=10, choices=DeliveryState.choices, default=DeliveryState.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"))
    locked_until = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    provider_message_id = models.CharField(_("provider's message id"), max_length=100, blank=True)
    response = models.TextField(_("provider's answer"), blank=True)
    last_error = models.TextField(_("error"), blank=True)
    resend_of = models.ForeignKey(
        "self",
        verbose_name=_("sent again from"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="resends",
    )
    is_test = models.BooleanField(_("test message"), default=False)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["state", "next_attempt_at"]),
            models.Index(fields=["channel", "created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} → {self.recipient}: {self.title}"
