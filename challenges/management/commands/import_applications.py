"""``manage.py import_applications PROMOTION_CODE FILE.csv``: past campaigns' applications."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from challenges.recruitment.importer import ApplicationImportError, import_applications


class Command(BaseCommand):
    """Import a CSV of applications into a promotion's call for candidates, idempotently."""

    help = (
        "Import applications of a past campaign (columns: email, first_name, last_name, "
        "profile, choices, submitted_at, status, interviewed[, selected_challenge]). Running "
        "it twice updates the same rows; any invalid row stops it before anything is written."
    )

    def add_arguments(self, parser):
        """Positional ``promotion_code`` (« EIG 3 ») and ``file`` (a CSV path)."""
        parser.add_argument("promotion_code")
        parser.add_argument("file", type=Path)

    def handle(self, *args, promotion_code, file, **options):
        """Run the import and print its counts; ``CommandError`` (exit 1) listing every error."""
        try:
            content = file.read_bytes()
        except OSError as exc:
            raise CommandError(f"{file}: {exc}") from exc
        try:
            result = import_applications(promotion_code=promotion_code, content=content)
        except ApplicationImportError as exc:
            lines = "\n".join(f"{file}: {e}" for e in exc.errors)
            raise CommandError(f"Import arrêté, rien n'a été écrit.\n{lines}") from exc
        self.stdout.write(f"{result.call.promotion}: {result.summary()}")
