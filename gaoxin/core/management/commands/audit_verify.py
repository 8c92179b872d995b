"""Check the audit trail's hash chain: report the first broken link and exit non-zero."""

from django.core.management.base import BaseCommand, CommandError

from gaoxin.core.auditchain import verify
from gaoxin.core.models import AuditChainHead


class Command(BaseCommand):
    help = (
        "Verify the audit trail's hash chain. Prints OK and the chain head (keep it elsewhere to "
        "prove later that nothing was cut from the end), or the first edited or missing entry "
        "and exits with status 1."
    )

    def handle(self, *args, **options):
        result = verify()
        if not result.ok:
            raise CommandError(
                f"Audit chain broken at {result.broken} ({result.checked} entries checked)."
            )
        head = AuditChainHead.objects.filter(pk=1).first()
        head_text = f"head {head.seq} {head.hash}" if head else "empty"
        self.stdout.write(
            self.style.SUCCESS(f"OK: {result.checked} audit entries verified; {head_text}")
        )
