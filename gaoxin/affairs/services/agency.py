"""Agency (代办委托): an enterprise authorises an agent for listed items or for everything about
one project, for a period; it may revoke. An agent acts only inside an authorisation in force,
and everything it does is recorded as done on the enterprise's behalf."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gaoxin.accounts.models import Role
from gaoxin.affairs.models import Authorization, AuthorizationScope
from gaoxin.core import audit
from gaoxin.core.models import AuditAction
from gaoxin.core.notifications import notify
from gaoxin.core.numbering import create_numbered

__all__ = [
    "MAX_AUTHORIZATION_DAYS",
    "authority",
    "authorization_grant",
    "authorization_revoke",
]

MAX_AUTHORIZATION_DAYS = 366


def authority(*, by, enterprise, items=(), project=None, on: dt.date | None = None):
    """The authorisation under which ``by`` acts for ``enterprise``: None for anyone who is not
    an agent; for an agent, one in force that covers the items (or the project), else refused
    with the reason."""
    if by.role != Role.AGENT:
        return None
    day = on or timezone.localdate()
    granted = Authorization.objects.filter(agent=by, enterprise=enterprise)
    if not granted.exists():
        raise PermissionDenied
    in_force = list(granted.active_on(day).prefetch_related("items"))
    if not in_force:
        raise ValidationError(
            _("Your authorisation from %(enterprise)s has expired or was revoked.")
            % {"enterprise": enterprise}
        )
    wanted = {i.pk for i in items}
    for authorization in in_force:
        if authorization.scope == AuthorizationScope.PROJECT:
            if project is not None and project.pk == authorization.project_id:
                return authorization
        elif wanted and wanted <= {i.pk for i in authorization.items.all()}:
            return authorization
    raise ValidationError(
        _("This is outside what %(enterprise)s authorised you to do.") % {"enterprise": enterprise}
    )


@transaction.atomic
def authorization_grant(
    *,
    enterprise,
    agent,
    scope: str,
    valid_from: dt.date,
    valid_until: dt.date,
    signatory: str,
    by,
    items=(),
    project=None,
) -> Authorization:
    """Authorise an agent (代办委托书). The enterprise grants it; the window may record a
    signed paper one."""
    if not by.has_perm("affairs.add_authorization", enterprise):
        raise PermissionDenied
    items = list(items)
    errors: dict[str, list[str]] = {}
    if agent is None or agent.role != Role.AGENT or not agent.is_active:
        errors["agent"] = [_("Choose one of the zone's agents.")]
    if scope == AuthorizationScope.ITEMS:
        if not items:
            errors["items"] = [_("List the items the agent may handle.")]
        project = None
    elif scope == AuthorizationScope.PROJECT:
        if project is None or project.enterprise_id != enterprise.pk:
            errors["project"] = [_("Choose one of the enterprise's projects.")]
        items = []
    else:
        errors["scope"] = [_("Unknown scope.")]
    if valid_until < valid_from:
        errors["valid_until"] = [_("The end cannot come before the start.")]
    elif valid_until < timezone.localdate():
        errors["valid_until"] = [_("The period has already ended.")]
    elif (valid_until - valid_from).days > MAX_AUTHORIZATION_DAYS:
        errors["valid_until"] = [_("An authorisation runs for at most one year.")]
    if not signatory.strip():
        errors["signatory"] = [_("Record who signed for the enterprise.")]
    if errors:
        raise ValidationError(errors)
    authorization = create_numbered(
        Authorization,
        pattern=f"DB{valid_from.year}{{pk:06d}}",
        enterprise=enterprise,
        agent=agent,
        scope=scope,
        project=project,
        valid_from=valid_from,
        valid_until=valid_until,
        signatory=signatory.strip()[:50],
        granted_by=by,
    )
    authorization.items.set(items)
    audit.record(
        action=AuditAction.CREATE,
        obj=authorization,
        by=by,
        after={**audit.snapshot(authorization), "items": sorted(i.pk for i in items)},
    )
    notify(
        user=agent,
        key=f"authorization:{authorization.pk}:granted",
        title=_("%(enterprise)s authorised you as its agent") % {"enterprise": enterprise.name},
        link=f"/affairs/authorizations/{authorization.pk}/",
    )
    return authorization


@transaction.atomic
def authorization_revoke(*, authorization, by) -> Authorization:
    authorization = Authorization.objects.select_for_update().get(pk=authorization.pk)
    if not by.has_perm("affairs.add_authorization", authorization.enterprise):
        raise PermissionDenied
    if authorization.revoked_at is not None:
        raise ValidationError(_("This authorisation was revoked already."))
    before = audit.snapshot(authorization)
    authorization.revoked_at, authorization.revoked_by = timezone.now(), by
    authorization.save(update_fields=["revoked_at", "revoked_by", "updated_at"])
    audit.record(
        action=AuditAction.UPDATE,
        obj=authorization,
        by=by,
        before=before,
        after=audit.snapshot(authorization),
    )
    notify(
        user=authorization.agent,
        key=f"authorization:{authorization.pk}:revoked",
        title=_("%(enterprise)s revoked your authorisation %(number)s")
        % {"enterprise": authorization.enterprise.name, "number": authorization.number},
        link=f"/affairs/authorizations/{authorization.pk}/",
    )
    return authorization
