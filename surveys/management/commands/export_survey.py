"""``manage.py export_survey CODE``: write a questionnaire's definition (YAML or JSON)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from surveys.definition_files import dump_definition, survey_export_definition
from surveys.models import Survey


class Command(BaseCommand):
    """``export_survey``: print or write a questionnaire's definition in the import format."""

    help = gettext_lazy(
        "Exporte la définition d'un questionnaire au format d'import (YAML ou JSON)."
    )

    def add_arguments(self, parser):
        """Argument ``code``; options ``--format yaml|json`` and ``-o/--output FILE``."""
        parser.add_argument("code", help=gettext_lazy("code du questionnaire"))
        parser.add_argument("--format", choices=["yaml", "json"], default=None)
        parser.add_argument(
            "-o", "--output", help=gettext_lazy("fichier de sortie (sinon la sortie standard)")
        )

    def handle(self, *args, code, format, output, **options):
        """Write the definition (JSON if ``-o`` ends in .json, else YAML); CommandError if none."""
        survey = Survey.objects.filter(code=code).first()
        if survey is None:
            raise CommandError(_("Aucun questionnaire de code « %(code)s ».") % {"code": code})
        fmt = format or ("json" if output and output.endswith(".json") else "yaml")
        text = dump_definition(survey_export_definition(survey=survey), fmt)
        if output:
            try:
                Path(output).write_text(text, encoding="utf-8")
            except OSError as exc:
                raise CommandError(
                    _("Impossible d'écrire %(file)s : %(error)s.")
                    % {"file": output, "error": exc.strerror}
                ) from exc
            self.stderr.write(_("Écrit dans %(file)s") % {"file": output})
        else:
            self.stdout.write(text, ending="")
