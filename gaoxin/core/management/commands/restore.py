"""Replace the platform's data with a backup, verifying every checksum (all or nothing)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from gaoxin.core.backup import RestoreError, restore


class Command(BaseCommand):
    help = "Restore a backup made with `backup`; refuses and changes nothing if it does not verify."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument(
            "--yes", action="store_true", help="Do not ask: the current data will be replaced."
        )

    def handle(self, *args, path, yes, **options):
        if not path.exists():
            raise CommandError(f"{path} does not exist")
        if not yes and input("This replaces all current data. Type 'yes' to go on: ") != "yes":
            raise CommandError("Cancelled; nothing changed.")
        try:
            summary = restore(path)
        except RestoreError as error:
            raise CommandError(f"{error}; nothing changed.") from None
        rows = sum(m["count"] for m in summary.values())
        self.stdout.write(self.style.SUCCESS(f"Restored and verified {rows} rows from {path}"))
