from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    """Questionnaires sent to EIG and mentors, their invitations, responses and results."""

    name = "surveys"
    verbose_name = _("Questionnaires")

    def ready(self):
        """Saves and deletes of sections, questions and choices move their survey's
        ``updated_at``: the answering pages' cached definition follows (``surveys.selectors``);
        the results' stored answer counts are marked stale by the changes they cannot follow."""
        from django.db.models.signals import post_delete, post_save

        from . import answer_counts
        from .models import Choice, Question, Section
        from .services import on_definition_saved_or_deleted

        for model in (Section, Question, Choice):
            for signal in (post_save, post_delete):
                signal.connect(
                    on_definition_saved_or_deleted,
                    sender=model,
                    dispatch_uid=f"survey_definition_{model._meta.model_name}_{signal is post_save}",
                )
        answer_counts.connect_signals()
