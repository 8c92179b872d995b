"""The audit log reads in Chinese: fields by their names, choices by their labels, related
records by their names, times in local time (issue 17), never ``role: staff → leader``."""

import pytest
from django.utils import translation

from gaoxin.accounts.models import Role, User
from gaoxin.core import audit
from gaoxin.core.audit_display import readable_changes
from gaoxin.core.models import AuditAction

pytestmark = pytest.mark.django_db


def test_fields_choices_records_and_times_read_as_a_person_writes_them(staff, department):
    with translation.override("zh-hans"):
        entry = audit.record(
            action=AuditAction.UPDATE,
            obj=staff,
            by=None,
            before={"role": "staff", "department": None, "last_login": "2026-03-01T01:30:00Z"},
            after={
                "role": "leader",
                "department": department.pk,
                "last_login": "2026-03-02T16:05:00Z",
            },
        )
        rows = {label: (before, after) for label, before, after in readable_changes(entry)}
        role = str(User._meta.get_field("role").verbose_name)
        assert rows[role[0].upper() + role[1:]] == (Role.STAFF.label, Role.LEADER.label)
        department_label = str(User._meta.get_field("department").verbose_name)
        assert rows[department_label[0].upper() + department_label[1:]] == ("—", str(department))
        last_login = str(User._meta.get_field("last_login").verbose_name)
        # Asia/Shanghai: 01:30 UTC is 09:30, and 16:05 UTC is past midnight the next day.
        assert rows[last_login[0].upper() + last_login[1:]] == (
            "2026-03-01 09:30",
            "2026-03-03 00:05",
        )
        assert all(not label.isascii() for label in rows)


def test_what_is_not_a_field_reads_in_chinese_too(staff):
    with translation.override("zh-hans"):
        entry = audit.record(
            action=AuditAction.UPDATE,
            obj=staff,
            by=None,
            before={"two_factor": "enrolled"},
            after={"two_factor": "reset by an administrator"},
        )
        [(label, before, after)] = readable_changes(entry)
    assert (label, before, after) == ("双因素登录", "已设置", "已由管理员重置")


def test_the_audit_page_shows_the_readable_changes(client, admin_user, staff):
    audit.record(
        action=AuditAction.UPDATE,
        obj=staff,
        by=admin_user,
        before={"role": "staff"},
        after={"role": "leader"},
    )
    client.force_login(admin_user)
    page = client.get("/platform/audit/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert f'{Role.STAFF.label}</span> → <span class="audit-after">{Role.LEADER.label}' in page
    assert "<code>role</code>" not in page
