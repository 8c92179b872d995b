"""Who hears of a case's steps: the applicant (and its agent while the authorisation is in
force), the window, and each reviewing department. A rule module below the writers: each writer
calls it after its change; it changes nothing of the case."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from gaoxin.accounts.models import Role, User
from gaoxin.affairs.models import Application, Review, Window
from gaoxin.core.notifications import notify

__all__ = ["tell_applicant"]


def applicant_users(application: Application) -> list:
    """The enterprise's own accounts and, while its authorisation is in force, the agent."""
    users = list(
        User.objects.filter(
            enterprise_id=application.enterprise_id, role=Role.ENTERPRISE, is_active=True
        )
    )
    authorization = application.authorization
    if authorization is not None and authorization.active_on(timezone.localdate()):
        users.append(authorization.agent)
    return users


def case_link(application: Application) -> str:
    return reverse("affairs:application", args=[application.pk])


def item_names(application: Application) -> str:
    return "、".join(i.name for i in application.items.all())


def quoted_names(materials) -> str:
    """Materials named in a message: “申请书”、“平面图”."""
    return "、".join(f"“{m.name}”" for m in materials)


def tell_applicant(application: Application, *, event: str, title: str, body: str = "") -> None:
    """A notice to the applicant (and its agent) of a step of its case, once per event."""
    for user in applicant_users(application):
        notify(
            user=user,
            key=f"case:{application.pk}:{event}",
            title=f"{application.number} {title}",
            body=body or item_names(application),
            link=case_link(application),
        )


def window_clerks(application: Application):
    """The clerks of the window that serves the case (its own once accepted, else the first
    window serving its items) — by the window's department; every clerk when it has none."""
    window = application.window or (
        Window.objects.filter(is_active=True, items__in=application.items.all())
        .order_by("number")
        .first()
    )
    clerks = User.objects.filter(role=Role.CLERK, is_active=True)
    if window is not None and clerks.filter(department_id=window.department_id).exists():
        return clerks.filter(department_id=window.department_id)
    return clerks


def tell_window_of_filing(application: Application) -> None:
    """The window hears of each case filed online or by an agent."""
    for clerk in window_clerks(application):
        notify(
            user=clerk,
            key=f"case:{application.pk}:submitted",
            title=_("New case to accept: %(number)s %(enterprise)s")
            % {"number": application.number, "enterprise": application.enterprise.name},
            body=item_names(application),
            link=case_link(application),
        )


def tell_window_of_commitment(application: Application) -> None:
    """The window hears that committed (容缺) materials wait for its check."""
    for clerk in window_clerks(application):
        notify(
            user=clerk,
            key=f"case:{application.pk}:commitment-supplied:{timezone.now():%Y%m%d%H%M%S%f}",
            title=_("Committed materials to check: %(number)s %(enterprise)s")
            % {"number": application.number, "enterprise": application.enterprise.name},
            link=case_link(application),
        )


def tell_department(review: Review, application: Application) -> None:
    """Each reviewing department hears of its new review."""
    for member in User.objects.filter(department_id=review.department_id, is_active=True):
        notify(
            user=member,
            key=f"review:{review.pk}",
            title=_("New review: %(number)s %(enterprise)s")
            % {"number": application.number, "enterprise": application.enterprise.name},
            body=_("Due %(when)s · %(items)s")
            % {
                "when": timezone.localtime(review.deadline).strftime("%Y-%m-%d %H:%M"),
                "items": item_names(application),
            },
            link=case_link(application),
        )
