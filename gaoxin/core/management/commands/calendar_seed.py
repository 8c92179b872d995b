"""Load the official holiday schedule for the years the chinese-calendar package knows."""

from django.core.management.base import BaseCommand

from gaoxin.core.workcalendar import calendar_seed_from_package, package_years


class Command(BaseCommand):
    help = (
        "Load State Council holidays and make-up working days from the chinese-calendar "
        "package for years not yet in the database. Years entered by an admin are kept."
    )

    def handle(self, *args, **options):
        added = calendar_seed_from_package(by=None)
        known = package_years()
        if added:
            self.stdout.write(self.style.SUCCESS(f"Loaded {len(added)} years: {added}"))
        else:
            self.stdout.write(
                "Nothing to load; the database already has every year the "
                f"package knows ({known[0]}–{known[-1]})."
            )
        self.stdout.write(f"Enter {known[-1] + 1} on /platform/calendar/ once it is published.")
