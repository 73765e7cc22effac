from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChallengesConfig(AppConfig):
    """Défis, their themes and outcomes, the call for projects and the call for candidates."""

    name = "challenges"
    verbose_name = _("Défis")

    def ready(self):
        """Declare the roles granted by invitation (the jury of the call for projects) and give
        « Le programme en chiffres » the counts of this app's records (défis, mentors of défis,
        new administrations, proposals received, candidates, candidates interviewed by a jury)
        without promotions importing this app."""
        from eig_portal.common.invitations import role_register
        from promotions.figures import (
            register_record_annotations,
            register_record_group_hook,
            register_record_hook,
        )

        from .calls.jury import JURY_GROUP, juror_grant
        from .calls.selectors import proposals_submitted_by_promotion
        from .figures import new_host_organisation_counts, promotion_record_annotations
        from .recruitment.jury import RECRUITMENT_JURY_ROLE, recruitment_jury_grant
        from .recruitment.selectors import candidate_counts_by_promotion

        role_register(JURY_GROUP, juror_grant)
        role_register(RECRUITMENT_JURY_ROLE, recruitment_jury_grant)
        register_record_group_hook(candidate_counts_by_promotion)
        register_record_group_hook(new_host_organisation_counts)
        register_record_hook("challenges_proposed", proposals_submitted_by_promotion)
        register_record_annotations(promotion_record_annotations)
