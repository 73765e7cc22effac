"""``manage.py import_eig_data``: load the programme's real data, idempotently."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from promotions.importers import ImportDataError, import_eig_data


class Command(BaseCommand):
    """``import_eig_data``: load the reference figures and public EIG data (``import_eig_data``)."""

    help = (
        "Load data/reference/report-2019-figures.json and data/eig-public/ (promotions, défis, "
        "administrations, EIG, mentors, budget, declared figures). Running it twice changes "
        "nothing; a malformed file stops it before anything is written."
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

    def handle(self, *args, data_dir=None, dry_run=False, **options):
        """Run the import and print its report; ``CommandError`` if a file is malformed."""
        try:
            report = import_eig_data(data_dir=data_dir, dry_run=dry_run)
        except ImportDataError as exc:
            raise CommandError(f"Import stopped, nothing was written. {exc}") from exc
        self.stdout.write(report.as_text())
