from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChallengesConfig(AppConfig):
    """Défis, their themes and outcomes, and the call for projects."""

    name = "challenges"
    verbose_name = _("Défis")
