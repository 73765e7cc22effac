from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _grant_coordinators(sender, **kwargs) -> None:
    """Give the ``coordinators`` group every permission of this app (after each migrate)."""
    from django.contrib.auth.models import Group, Permission

    group = Group.objects.filter(name="coordinators").first()
    if group is not None:
        group.permissions.add(*Permission.objects.filter(content_type__app_label="privacy"))


class PrivacyConfig(AppConfig):
    """Personal data: the register, retention that runs by itself and people's rights."""

    name = "eig_portal.privacy"
    label = "privacy"
    verbose_name = _("Données personnelles")

    def ready(self):
        post_migrate.connect(_grant_coordinators, sender=self)
