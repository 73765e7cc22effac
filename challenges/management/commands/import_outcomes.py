"""``python manage.py import_outcomes FILE.csv`` — past outcomes of défis."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from challenges.followup.outcomes_import import outcomes_import
from surveys.responses_import import ImportFileError


class Command(BaseCommand):
    """``import_outcomes``: load dated outcomes of défis from a CSV file (all or nothing)."""

    help = (
        "Importe des réalisations passées (CSV : challenge, as_of, production_status, maintained, "
        "users, source_code_url, datasets, reused_by ; séparateur , ou ;). Un fichier invalide "
        "n'écrit rien et chaque erreur est listée avec sa ligne et sa colonne. Réimporter une "
        "même date d'un défi met à jour sa réalisation."
    )

    def add_arguments(self, parser):
        """Argument ``file`` (a CSV path)."""
        parser.add_argument("file", type=Path)

    def handle(self, *args, file, **options):
        """Import the file; ``CommandError`` (errors on stderr) if anything is invalid."""
        try:
            data = file.read_bytes()
        except OSError as exc:
            raise CommandError(f"Lecture impossible de {file} : {exc}") from exc
        try:
            summary = outcomes_import(data=data)
        except ImportFileError as exc:
            for error in exc.errors:
                self.stderr.write(f"{file.name}, {error}")
            raise CommandError(f"{len(exc.errors)} erreur(s) : rien n'a été importé.") from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"{summary.created} réalisation(s) créée(s), {summary.updated} mise(s) à jour."
            )
        )
