"""The audit log's workbook, one definition for the page and the API (issue 22): the entries
as the log's filters select them, each change in the reader's words (core.audit_display)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from gaoxin.core.audit_display import readable_changes
from gaoxin.core.excel import build_workbook

__all__ = ["audit_workbook"]


def audit_workbook(entries) -> tuple[str, bytes]:
    columns = [
        (_("Time"), lambda e: e.timestamp),
        (_("User"), lambda e: e.user_display),
        (_("Action"), lambda e: e.get_action_display()),
        (_("Object type"), lambda e: e.content_type.name),
        (_("Object"), lambda e: e.object_repr),
        (
            _("Changes"),
            lambda e: "；".join(f"{k}：{b} → {a}" for k, b, a in readable_changes(e)),
        ),
        (_("Request id"), lambda e: e.request_id),
    ]
    return "audit-log", build_workbook(_("Audit log"), columns, entries.iterator())
