"""Write a verified backup of the platform's data (see gaoxin.core.backup)."""

from pathlib import Path

from django.core.management.base import BaseCommand
from django.utils import timezone

from gaoxin.core.backup import backup


class Command(BaseCommand):
    help = "Back up the platform's data to a .json.gz file with a checksum manifest."

    def add_arguments(self, parser):
        parser.add_argument("--output", type=Path, default=None)

    def handle(self, *args, output, **options):
        output = output or Path(f"gaoxin-backup-{timezone.localtime():%Y%m%d-%H%M%S}.json.gz")
        summary = backup(output)
        rows = sum(m["count"] for m in summary.values())
        self.stdout.write(self.style.SUCCESS(f"Backed up {rows} rows to {output}"))
