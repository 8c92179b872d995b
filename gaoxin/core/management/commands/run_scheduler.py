"""Enqueue periodic jobs when they fall due (see gaoxin.core.scheduling)."""

import time

from django.core.management.base import BaseCommand
from django.db import OperationalError

from gaoxin.core.scheduling import registered_jobs, run_due_jobs


class Command(BaseCommand):
    help = (
        "Run the periodic-job scheduler (reminders and housekeeping). "
        "Safe to run on several servers."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--interval", type=float, default=30.0, help="Seconds between passes (default 30)."
        )
        parser.add_argument("--once", action="store_true", help="Run one pass and exit.")

    def handle(self, *args, interval: float, once: bool, **options):
        names = ", ".join(job.name for job in registered_jobs())
        self.stdout.write(f"Scheduler started; jobs: {names}")
        while True:
            try:
                for name in run_due_jobs():
                    self.stdout.write(f"enqueued {name}")
            except OperationalError as exc:  # database briefly away: try again next pass
                self.stderr.write(f"scheduler pass failed: {exc}")
            if once:
                return
            time.sleep(interval)
