"""``python manage.py import_outcomes FILE.csv`` — past outcomes of défis."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from challenges.followup.outcomes_import import outcomes_import
from eig_portal.common.csv_import import ImportFileError


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
            raise CommandError(
                _("Lecture impossible de %(file)s : %(error)s") % {"file": file, "error": exc}
            ) from exc
        try:
            summary = outcomes_import(data=data)
        except ImportFileError as exc:
            for error in exc.errors:
                self.stderr.write(f"{file.name}, {error}")
            raise CommandError(
                ngettext(
                    "%(n)d erreur : rien n'a été importé.",
                    "%(n)d erreurs : rien n'a été importé.",
                    len(exc.errors),
                )
                % {"n": len(exc.errors)}
            ) from exc
        self.stdout.write(
            self.style.SUCCESS(
                _("Réalisations créées : %(created)d ; mises à jour : %(updated)d.")
                % {"created": summary.created, "updated": summary.updated}
            )
        )
