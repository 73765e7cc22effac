"""The common ground as a Django app (label ``common``): it holds the email outbox model."""

from django.apps import AppConfig


class CommonConfig(AppConfig):
    """Shared models of every workflow (the email outbox)."""

    name = "eig_portal.common"
    label = "common"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "Commun"
