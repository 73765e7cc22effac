"""``manage.py import_eig_data``: load the programme's real data, idempotently, never undoing
an edit made on the portal."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from challenges.importers import ImportDataError, import_eig_data


class Command(BaseCommand):
    """``import_eig_data``: load the reference figures and public EIG data (``import_eig_data``)."""

    help = (
        "Load data/reference/report-2019-figures.json and data/eig-public/ (promotions, défis, "
        "administrations, EIG, mentors, budget, declared figures). Creates what is missing and "
        "updates a field only while it holds the value the previous import wrote: a field "
        "edited on the portal is kept and reported. A malformed file stops it before anything "
        "is written."
    )

    def add_arguments(self, parser):
        """Options ``--data-dir`` (default ``settings.DATA_DIR``) and ``--dry-run``."""
        parser.add_argument(
            "--data-dir",
            type=Path,
            default=None,
            help=f"folder holding reference/ and eig-public/ (default: {settings.DATA_DIR})",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="compute the report, then roll back"
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="do nothing when the database already holds promotions (first start only)",
        )

    def handle(self, *args, data_dir=None, dry_run=False, if_empty=False, **options):
        """Run the import and print its report; ``CommandError`` if a file is malformed.
        With ``--if-empty``, a database already holding promotions is left alone."""
        from promotions.models import Promotion

        if if_empty and Promotion.objects.exists():
            self.stdout.write("The database already holds the EIG data: import skipped.")
            return
        try:
            report = import_eig_data(data_dir=data_dir, dry_run=dry_run)
        except ImportDataError as exc:
            raise CommandError(f"Import stopped, nothing was written. {exc}") from exc
        self.stdout.write(report.as_text())
