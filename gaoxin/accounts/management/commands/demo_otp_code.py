"""Print the current two-factor code of a demo account (admin, leader …) for `make run`."""

from django.core.management.base import BaseCommand, CommandError

from gaoxin.accounts.demo import DEMO_TOTP_SECRET, demo_code


class Command(BaseCommand):
    help = (
        "Print the current 6-digit code of a demo account's demo authenticator (the one "
        "seed_demo set up). Works only for the published demo key, never for a real one."
    )

    def add_arguments(self, parser):
        parser.add_argument("username", nargs="?", default="admin")

    def handle(self, *args, username, **options):
        try:
            code, seconds = demo_code(username)
        except LookupError:
            raise CommandError(
                f"{username} has no demo authenticator (seed_demo sets one up for the demo's "
                "admin and leader accounts)."
            ) from None
        self.stdout.write(code)
        self.stderr.write(
            f"Valid for about {seconds} more seconds; each code works once, so after using it "
            f"wait for the next one. Or add the key {DEMO_TOTP_SECRET} to an authenticator app."
        )
