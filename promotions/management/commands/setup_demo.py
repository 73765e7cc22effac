"""``manage.py setup_demo``: idempotent demo set-up (site, demo coordinator, and app demos)."""

from django.conf import settings
from django.core import mail
from django.core.management.base import BaseCommand, CommandError
from django.test.utils import override_settings
from django.utils.module_loading import import_string

#: Steps run in order; each is a function returning the lines to print (see promotions.demo).
#: To add a step from another app, append its dotted path here (e.g. "challenges.demo.demo_call").
DEMO_STEPS = [
    "promotions.demo.demo_site",
    "promotions.demo.demo_coordinator",
    "surveys.demo.create_demo_survey",
    "challenges.demo.create_demo_call",
    "challenges.recruitment.demo.create_demo_recruitment",
    "challenges.followup.demo.create_demo_programme",
]


class Command(BaseCommand):
    """``setup_demo``: run ``DEMO_STEPS`` in order, then print their lines (credentials, links)."""

    help = "Create the demo coordinator (credentials printed) and demo data. Safe to re-run."

    def add_arguments(self, parser):
        """Option ``--allow-production`` to run with ``DEBUG=False``."""
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="run even when DEBUG is False (the demo password is public: avoid)",
        )

    def handle(self, *args, allow_production=False, **options):
        """Run every demo step, then print their lines; ``CommandError`` if DEBUG is off."""
        if not settings.DEBUG and not allow_production:
            raise CommandError(
                "setup_demo creates an account with a public password; it refuses to run with "
                "DEBUG=False unless --allow-production is given."
            )
        # The demo's emails (fictitious recipients) are kept in memory, not sent nor printed:
        # the printout shows the accounts and links, not the raw messages.
        outbox_before = len(getattr(mail, "outbox", []))
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            lines = [line for path in DEMO_STEPS for line in import_string(path)()]
        n_emails = len(getattr(mail, "outbox", [])) - outbox_before
        self.stdout.write("\n" + "-" * 79)
        for line in lines:
            self.stdout.write(line)
        if n_emails:
            self.stdout.write(
                f"{n_emails} demo emails were prepared for fictitious recipients and not sent."
            )
