"""E-mail through Django's backend (SMTP settings: EMAIL_HOST …)."""

from __future__ import annotations

import smtplib

from django.core.mail import send_mail
from django.utils.translation import gettext as _

from gaoxin.notifications.channels.base import (
    Adapter,
    PermanentError,
    Sent,
    TemporaryError,
    absolute,
)


class EmailAdapter(Adapter):
    channel = "email"

    def send(self, delivery) -> Sent:
        to = delivery.user.email if delivery.user else ""
        if not to:
            raise PermanentError(_("no e-mail address on the profile"))
        text = "\n\n".join(p for p in (delivery.body, absolute(delivery.link)) if p)
        try:
            send_mail(
                subject=delivery.title,
                message=text or delivery.title,
                from_email=None,
                recipient_list=[to],
            )
        except smtplib.SMTPRecipientsRefused as exc:
            raise PermanentError(_("recipient refused: %(error)s") % {"error": exc}) from None
        except (smtplib.SMTPException, OSError) as exc:
            raise TemporaryError(_("mail server: %(error)s") % {"error": exc}) from None
        return Sent(response="accepted by the mail server")
