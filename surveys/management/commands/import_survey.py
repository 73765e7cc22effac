"""``manage.py import_survey FILE``: load a questionnaire from a YAML or JSON definition file."""

from django.core.management.base import BaseCommand, CommandError

from surveys.definition_files import (
    DefinitionError,
    load_definition_file,
    survey_import_definition,
)


class Command(BaseCommand):
    """``import_survey``: create (``--replace``: rebuild) a questionnaire from a definition file."""

    help = "Importe un questionnaire depuis un fichier de définition YAML ou JSON."

    def add_arguments(self, parser):
        """Argument ``file`` (.yaml, .yml or .json); option ``--replace``."""
        parser.add_argument("file", help="fichier .yaml, .yml ou .json")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="reconstruit un questionnaire existant de même code (s'il n'a aucune réponse)",
        )

    def handle(self, *args, file, replace, **options):
        """Load and import the definition; ``CommandError`` listing every error if invalid."""
        try:
            data = load_definition_file(file)
            survey = survey_import_definition(data=data, replace=replace)
        except DefinitionError as exc:
            raise CommandError(
                f"{file} : définition invalide, rien n'a été importé.\n"
                + "\n".join(f"  - {e}" for e in exc.errors)
            ) from exc
        n_questions = survey.questions.count()
        self.stdout.write(
            self.style.SUCCESS(
                f"Questionnaire « {survey.code} » importé : "
                f"{survey.sections.count()} sections, {n_questions} questions."
            )
        )
