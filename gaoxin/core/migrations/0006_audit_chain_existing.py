from django.db import migrations

BATCH = 1000


def link_existing_entries(apps, schema_editor):
    """Chain the entries written before the chain existed, in the order they were written."""
    from gaoxin.core.auditchain import GENESIS, hash_of

    AuditEntry = apps.get_model("core", "AuditEntry")
    AuditChainHead = apps.get_model("core", "AuditChainHead")
    ContentType = apps.get_model("contenttypes", "ContentType")
    labels = {ct.pk: f"{ct.app_label}.{ct.model}" for ct in ContentType.objects.all()}
    seq, previous, batch = 0, GENESIS, []
    for entry in AuditEntry.objects.order_by("id").iterator(chunk_size=BATCH):
        seq += 1
        entry.seq = seq
        entry.prev_hash = previous
        entry.hash = hash_of(entry, labels[entry.content_type_id])
        previous = entry.hash
        batch.append(entry)
        if len(batch) >= BATCH:
            AuditEntry.objects.bulk_update(batch, ["seq", "prev_hash", "hash"])
            batch = []
    if batch:
        AuditEntry.objects.bulk_update(batch, ["seq", "prev_hash", "hash"])
    AuditChainHead.objects.update_or_create(pk=1, defaults={"seq": seq, "hash": previous})


class Migration(migrations.Migration):
    """The audit hash chain, step 2: link the existing entries."""

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0005_audit_chain"),
    ]

    operations = [
        migrations.RunPython(link_existing_entries, migrations.RunPython.noop, elidable=False),
    ]
