"""``python manage.py personal_data --check | --markdown [PATH]``: the register against the models."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import ngettext

from eig_portal.privacy.register import (
    load_register,
    register_markdown,
    stale_entries,
    unregistered_fields,
)

DEFAULT_MARKDOWN = Path(settings.BASE_DIR) / "docs" / "personal-data.md"


class Command(BaseCommand):
    """Check the register of personal data, or write it as markdown."""

    help = (
        "Registre des données personnelles : --check échoue en nommant chaque champ qui semble "
        "personnel et n'est pas au registre, et chaque entrée qui ne correspond à aucun champ ; "
        "--markdown écrit docs/personal-data.md."
    )

    def add_arguments(self, parser):
        """Options ``--check`` and ``--markdown [PATH]`` (default ``docs/personal-data.md``)."""
        parser.add_argument("--check", action="store_true")
        parser.add_argument("--markdown", nargs="?", const=str(DEFAULT_MARKDOWN), default=None)

    def handle(self, *args, check=False, markdown=None, **options):
        """Run the check (``CommandError``, exit 1, on any problem) and/or write the markdown."""
        if not check and markdown is None:
            raise CommandError("Indiquez --check ou --markdown.")
        register = load_register()
        if markdown is not None:
            Path(markdown).write_text(register_markdown(register), encoding="utf-8")
            self.stdout.write(f"{markdown} : {len(register.entries)} champs.")
        if check:
            problems = [
                f"{label} : semble personnel et n'est pas au registre (register.yaml)"
                for label in unregistered_fields(register)
            ] + [
                f"{label} : au registre mais ce champ n'existe pas (ou plus)"
                for label in stale_entries(register)
            ]
            for problem in problems:
                self.stderr.write(problem)
            if problems:
                raise CommandError(
                    ngettext(
                        "%(n)s problème dans le registre.",
                        "%(n)s problèmes dans le registre.",
                        len(problems),
                    )
                    % {"n": len(problems)}
                )
            self.stdout.write(f"Registre à jour : {len(register.entries)} champs personnels.")
