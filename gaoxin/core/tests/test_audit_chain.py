"""The audit trail cannot be quietly edited: a hash chain, audit_verify, no admin edits."""

import gzip
import importlib
import json
import threading
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import connection, connections, transaction
from django.db.models import ProtectedError

from gaoxin.core import audit, auditchain
from gaoxin.core.backup import _digest
from gaoxin.core.models import AuditAction, AuditChainHead, AuditEntry
from tests.factories import DepartmentFactory

pytestmark = pytest.mark.django_db


def _entries(n, by=None):
    dept = DepartmentFactory(code="chain", name="链路测试局")
    return [
        audit.record(
            action=AuditAction.UPDATE,
            obj=dept,
            by=by,
            before={"name": f"旧名{i}", "amount": 1.0, "ids": (1, 2)},
            after={"name": f"新名{i}", "amount": 2.5, "ids": (3,)},
        )
        for i in range(n)
    ]


def _verify_output():
    out = StringIO()
    call_command("audit_verify", stdout=out)
    return out.getvalue()


def test_each_entry_links_to_the_one_before_and_the_chain_verifies(staff):
    first, second, third = _entries(3, by=staff)
    assert first.prev_hash == auditchain.GENESIS
    assert second.prev_hash == first.hash
    assert third.prev_hash == second.hash
    assert [e.seq for e in (first, second, third)] == [1, 2, 3]
    head = AuditChainHead.objects.get()
    assert (head.seq, head.hash) == (3, third.hash)
    # What was hashed is what the database gives back (tuples as lists, 1.0 as a number).
    stored = AuditEntry.objects.get(pk=second.pk)
    assert auditchain.hash_of(stored, "accounts.department") == stored.hash
    output = _verify_output()
    assert output.startswith("OK: 3 audit entries verified")
    assert third.hash in output


def test_an_entry_edited_in_the_database_is_named_by_audit_verify(staff):
    _first, second, _third = _entries(3, by=staff)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE core_auditentry SET after = %s WHERE id = %s", ['{"name": "篡改"}', second.pk]
        )
    with pytest.raises(CommandError) as error:
        _verify_output()
    assert f"entry #{second.pk} (position 2)" in str(error.value)
    assert "does not match its hash" in str(error.value)


def test_a_changed_actor_or_time_is_found_too(staff, clerk):
    _first, second = _entries(2, by=staff)
    AuditEntry.objects.filter(pk=second.pk).update(user=clerk)
    result = auditchain.verify()
    assert not result.ok
    assert result.broken.entry_id == second.pk


def test_an_entry_deleted_from_the_middle_is_named(staff):
    _first, second, third = _entries(3, by=staff)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditentry WHERE id = %s", [second.pk])
    with pytest.raises(CommandError) as error:
        _verify_output()
    message = str(error.value)
    assert f"entry #{third.pk} (position 3)" in message
    assert "position 2 missing" in message


def test_entries_deleted_from_the_end_are_found_through_the_head(staff):
    _entries(3, by=staff)
    AuditEntry.objects.filter(seq=3).delete()
    result = auditchain.verify()
    assert not result.ok
    assert "positions 3–3 are missing" in result.broken.reason


def test_a_forged_entry_that_recomputes_its_own_hash_breaks_the_next_link(staff):
    _first, second, third = _entries(3, by=staff)
    forged = AuditEntry.objects.get(pk=second.pk)
    forged.after = {"name": "伪造"}
    forged.hash = auditchain.hash_of(forged, "accounts.department")
    forged.save()
    result = auditchain.verify()
    assert result.broken.entry_id == third.pk
    assert "does not link" in result.broken.reason


def test_the_migration_links_entries_written_before_the_chain(staff):
    entries = _entries(4, by=staff)
    # As the entries stood before the chain existed: no place, no hashes, no head.
    for i, entry in enumerate(entries):
        AuditEntry.objects.filter(pk=entry.pk).update(seq=1000 + i, prev_hash="", hash="")
    AuditChainHead.objects.all().delete()
    assert not auditchain.verify().ok
    migration = importlib.import_module("gaoxin.core.migrations.0006_audit_chain_existing")
    migration.link_existing_entries(apps, None)
    result = auditchain.verify()
    assert result.ok and result.checked == 4
    assert list(AuditEntry.objects.order_by("seq").values_list("pk", flat=True)) == [
        e.pk for e in entries
    ]
    # New entries continue the migrated chain.
    _entries(1, by=staff)
    assert auditchain.verify().ok


def test_the_admin_has_no_add_change_or_delete_for_audit_entries(client, admin_user, staff):
    (entry,) = _entries(1, by=staff)
    client.force_login(admin_user)
    assert client.get("/admin/core/auditentry/").status_code == 200
    assert client.get("/admin/core/auditentry/add/").status_code == 403
    page = client.get(f"/admin/core/auditentry/{entry.pk}/change/")
    assert page.status_code == 200
    assert 'name="_save"' not in page.text  # read-only view
    refused = client.post(
        f"/admin/core/auditentry/{entry.pk}/change/", {"object_repr": "改过", "action": "delete"}
    )
    assert refused.status_code == 403
    deleting = client.post(f"/admin/core/auditentry/{entry.pk}/delete/", {"post": "yes"})
    assert deleting.status_code == 403
    bulk = client.post(
        "/admin/core/auditentry/",
        {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"},
    )
    assert bulk.status_code in (200, 302)
    assert AuditEntry.objects.filter(pk=entry.pk, object_repr=entry.object_repr).exists()
    assert auditchain.verify().ok


def test_a_person_who_acted_cannot_be_deleted_only_deactivated(staff):
    _entries(1, by=staff)
    with pytest.raises(ProtectedError):
        staff.delete()


def test_backup_and_restore_keep_the_chain_verifiable(staff, tmp_path):
    _entries(5, by=staff)
    path = tmp_path / "backup.json.gz"
    call_command("backup", output=path, stdout=None)
    _entries(2, by=staff)  # written after the backup: gone after the restore
    call_command("restore", path, yes=True)
    assert AuditEntry.objects.count() == 5
    assert AuditChainHead.objects.get().seq == 5
    assert _verify_output().startswith("OK: 5 audit entries verified")
    _entries(1, by=staff)  # the restored chain goes on
    assert auditchain.verify().checked == 6


def test_restore_refuses_a_backup_whose_chain_was_tampered(staff, tmp_path):
    _entries(3, by=staff)
    path = tmp_path / "backup.json.gz"
    call_command("backup", output=path)
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        payload = json.load(fh)
    assert payload["audit_chain"] == {"ok": True, "entries": 3}
    rows = payload["data"]["core.AuditEntry"]
    rows[1]["fields"]["after"] = {"name": "改过的"}
    # A forger who also fixes the manifest's checksum is still caught by the chain.

    payload["manifest"]["core.AuditEntry"]["sha256"] = _digest(rows)
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        json.dump(payload, fh, ensure_ascii=False)
    before = list(AuditEntry.objects.values_list("hash", flat=True))
    with pytest.raises(CommandError, match="audit chain does not verify"):
        call_command("restore", path, yes=True)
    assert list(AuditEntry.objects.values_list("hash", flat=True)) == before


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_do_not_fork_the_chain():
    """Threads appending at once (each in its own transaction, with a little work between
    the lock and the commit) end with one unbroken chain, on SQLite and PostgreSQL."""
    dept = DepartmentFactory(code="threads", name="并发测试局")
    writers, per_writer = 4, 8
    errors = []
    start = threading.Barrier(writers)

    def write(n):
        try:
            start.wait()
            for i in range(per_writer):
                with transaction.atomic():
                    audit.record(
                        action=AuditAction.UPDATE, obj=dept, by=None, after={"w": n, "i": i}
                    )
                    audit.record(
                        action=AuditAction.UPDATE, obj=dept, by=None, after={"w": n, "i2": i}
                    )
        except Exception as exc:  # reported below; a thread's exception would vanish
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(writers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    total = writers * per_writer * 2
    result = auditchain.verify()
    assert result.ok, result.broken
    assert result.checked == total
    seqs = list(AuditEntry.objects.order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, total + 1))
    hashes = AuditEntry.objects.values_list("prev_hash", flat=True)
    assert len(set(hashes)) == total  # no two entries link to the same predecessor
