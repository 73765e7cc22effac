from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    """Questionnaires sent to EIG and mentors, their invitations, responses and results."""

    name = "surveys"
    verbose_name = _("Questionnaires")

    def ready(self):
        from . import answer_counts

        answer_counts.connect_signals()
