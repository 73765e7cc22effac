from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChallengesConfig(AppConfig):
    """Défis, their themes and outcomes, and the call for projects."""

    name = "challenges"
    verbose_name = _("Défis")

    def ready(self):
        """Declare the roles granted by invitation: the jury of the call for projects."""
        from eig_portal.common.invitations import role_register

        from .calls.jury import JURY_GROUP, juror_grant

        role_register(JURY_GROUP, juror_grant)
