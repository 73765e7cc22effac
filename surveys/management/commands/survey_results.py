"""``python manage.py survey_results CODE [--format json|text] [--role R] [--promotion P]``."""

import json

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from eig_portal.common.shares import format_percent
from promotions.models import Promotion
from surveys.models import Role, Survey
from surveys.results import results_as_data, survey_results


class Command(BaseCommand):
    """``survey_results``: print a questionnaire's results as JSON (the API's shape) or text."""

    help = gettext_lazy(
        "Résultats d'un questionnaire : par question, répondants et, par choix, effectif et part "
        "(0–1), au total, par rôle et par promotion (même forme que l'API)."
    )

    def add_arguments(self, parser):
        """Argument ``code``; options ``--format json|text``, ``--role``, ``--promotion`` (code)."""
        parser.add_argument("code", help=gettext_lazy("code du questionnaire"))
        parser.add_argument("--format", choices=["json", "text"], default="json")
        parser.add_argument("--role", choices=list(Role.values))
        parser.add_argument("--promotion", help=gettext_lazy("code de promotion, p. ex. « EIG 2 »"))

    def handle(self, *args, code, format, role=None, promotion=None, **options):
        """Print the filtered results; ``CommandError`` if the survey or promotion is unknown."""
        try:
            survey = Survey.objects.get(code=code)
        except Survey.DoesNotExist as exc:
            raise CommandError(_("Questionnaire inconnu : « %(code)s »") % {"code": code}) from exc
        promotion_id = None
        if promotion:
            try:
                promotion_id = Promotion.objects.get(code=promotion).pk
            except Promotion.DoesNotExist as exc:
                raise CommandError(
                    _("Promotion inconnue : « %(code)s »") % {"code": promotion}
                ) from exc
        results = survey_results(
            survey=survey, role=role, promotion_id=promotion_id, text_sample_size=0
        )
        if format == "json":
            self.stdout.write(json.dumps(results_as_data(results), ensure_ascii=False, indent=2))
            return
        n = results.n_respondents
        self.stdout.write(
            ngettext("%(title)s — %(n)s réponse", "%(title)s — %(n)s réponses", n)
            % {"title": survey.title, "n": n}
        )
        for r in results.questions:
            self.stdout.write(f"\n[{r.question.code}] {r.question.text} (n = {r.overall.n})")
            for c in r.overall.choices:
                self.stdout.write(f"  {c.label}: {c.count} ({format_percent(c.percent)})")
            if r.overall.mean is not None:
                self.stdout.write(_("  moyenne : %(mean)s") % {"mean": r.overall.mean})
