from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class PromotionsConfig(AppConfig):
    """Promotions, administrations, EIG, mentors, budget and the programme figures."""

    name = "promotions"
    verbose_name = _("Promotions et personnes")

    def ready(self):
        """Connect ``post_migrate`` to keep the coordinators group's permissions complete;
        key the stored programme figures by the events ended so far (held events)."""
        from eig_portal.common import data_versions

        from .events.figures import events_held_count
        from .permissions import coordinators_group_sync

        data_versions.register_clock("programme", events_held_count)

        # Permissions exist only after migrate; keep the coordinators group complete.
        post_migrate.connect(
            lambda sender, **kw: coordinators_group_sync(),
            dispatch_uid="promotions.coordinators_group_sync",
            weak=False,
        )
