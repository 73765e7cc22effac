"""``manage.py export_survey CODE``: write a questionnaire's definition (YAML or JSON)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from surveys.definition_files import dump_definition, survey_export_definition
from surveys.models import Survey


class Command(BaseCommand):
    """``export_survey``: print or write a questionnaire's definition in the import format."""

    help = "Exporte la définition d'un questionnaire au format d'import (YAML ou JSON)."

    def add_arguments(self, parser):
        """Argument ``code``; options ``--format yaml|json`` and ``-o/--output FILE``."""
        parser.add_argument("code", help="code du questionnaire")
        parser.add_argument("--format", choices=["yaml", "json"], default=None)
        parser.add_argument("-o", "--output", help="fichier de sortie (sinon la sortie standard)")

    def handle(self, *args, code, format, output, **options):
        """Write the definition (JSON if ``-o`` ends in .json, else YAML); CommandError if none."""
        survey = Survey.objects.filter(code=code).first()
        if survey is None:
            raise CommandError(f"Aucun questionnaire de code « {code} ».")
        fmt = format or ("json" if output and output.endswith(".json") else "yaml")
        text = dump_definition(survey_export_definition(survey=survey), fmt)
        if output:
            try:
                Path(output).write_text(text, encoding="utf-8")
            except OSError as exc:
                raise CommandError(f"Impossible d'écrire {output} : {exc.strerror}.") from exc
            self.stderr.write(f"Écrit dans {output}")
        else:
            self.stdout.write(text, ending="")
