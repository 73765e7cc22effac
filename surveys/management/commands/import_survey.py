"""``manage.py import_survey FILE``: load a questionnaire from a YAML or JSON definition file."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from surveys.definition_files import (
    DefinitionError,
    load_definition_file,
    survey_import_definition,
)


class Command(BaseCommand):
    """``import_survey``: create (``--replace``: rebuild) a questionnaire from a definition file."""

    help = gettext_lazy("Importe un questionnaire depuis un fichier de définition YAML ou JSON.")

    def add_arguments(self, parser):
        """Argument ``file`` (.yaml, .yml or .json); option ``--replace``."""
        parser.add_argument("file", help=gettext_lazy("fichier .yaml, .yml ou .json"))
        parser.add_argument(
            "--replace",
            action="store_true",
            help=gettext_lazy(
                "reconstruit un questionnaire existant de même code (s'il n'a aucune réponse)"
            ),
        )

    def handle(self, *args, file, replace, **options):
        """Load and import the definition; ``CommandError`` listing every error if invalid."""
        try:
            data = load_definition_file(file)
            survey = survey_import_definition(data=data, replace=replace)
        except DefinitionError as exc:
            raise CommandError(
                _("%(file)s : définition invalide, rien n'a été importé.") % {"file": file}
                + "\n"
                + "\n".join(f"  - {e}" for e in exc.errors)
            ) from exc
        n_questions = survey.questions.count()
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Questionnaire « %(code)s » importé : %(sections)s sections, %(questions)s questions."
                )
                % {
                    "code": survey.code,
                    "sections": survey.sections.count(),
                    "questions": n_questions,
                }
            )
        )
