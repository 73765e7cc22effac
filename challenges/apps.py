from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChallengesConfig(AppConfig):
    """Défis, their themes and outcomes, the call for projects and the call for candidates."""

    name = "challenges"
    verbose_name = _("Défis")

    def ready(self):
        """Give « Le programme en chiffres » the call for candidates' counts (candidates,
        candidates interviewed by a jury) without promotions importing this app."""
        from promotions.figures import register_record_group_hook

        from .recruitment.selectors import candidate_counts_by_promotion

        register_record_group_hook(candidate_counts_by_promotion)
