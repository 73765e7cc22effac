"""``python manage.py import_responses SURVEY_CODE FILE.csv`` — past answers from elsewhere."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from surveys.import_summary import import_summary_text
from surveys.models import Survey
from surveys.responses_import import ImportFileError, responses_import


class Command(BaseCommand):
    """``import_responses``: import submitted responses collected elsewhere from a CSV file."""

    help = gettext_lazy(
        "Importe des réponses recueillies ailleurs (CSV : respondent, role, promotion, puis une "
        "colonne par code de question). Un fichier invalide n'écrit rien et chaque erreur est "
        "listée avec sa ligne et sa colonne. Réimporter un même « respondent » remplace ses réponses."
    )

    def add_arguments(self, parser):
        """Arguments ``survey_code`` and ``file`` (a CSV path)."""
        parser.add_argument("survey_code")
        parser.add_argument("file", type=Path)

    def handle(self, *args, survey_code, file, **options):
        """Import the CSV in one go; ``CommandError`` (errors on stderr) if anything is invalid."""
        try:
            survey = Survey.objects.get(code=survey_code)
        except Survey.DoesNotExist as exc:
            raise CommandError(
                _("Questionnaire inconnu : « %(code)s »") % {"code": survey_code}
            ) from exc
        try:
            data = file.read_bytes()
        except OSError as exc:
            raise CommandError(
                _("Lecture impossible de %(file)s : %(error)s") % {"file": file, "error": exc}
            ) from exc
        try:
            summary = responses_import(survey=survey, data=data)
        except ImportFileError as exc:
            for error in exc.errors:
                self.stderr.write(str(error))
            n = len(exc.errors)
            raise CommandError(
                ngettext(
                    "%(n)s erreur : rien n'a été importé.",
                    "%(n)s erreurs : rien n'a été importé.",
                    n,
                )
                % {"n": n}
            ) from exc
        self.stdout.write(self.style.SUCCESS(import_summary_text(summary)))
