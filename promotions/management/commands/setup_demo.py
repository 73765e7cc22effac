"""``manage.py setup_demo``: idempotent demo set-up (site, demo coordinator, and app demos)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
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
        # Lines are printed after every step has run, so that emails printed by the console
        # backend during the steps do not push the credentials out of sight.
        lines = [line for path in DEMO_STEPS for line in import_string(path)()]
        self.stdout.write("\n" + "-" * 79)
        for line in lines:
            self.stdout.write(line)
