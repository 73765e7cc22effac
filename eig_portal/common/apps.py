"""The common ground as a Django app (label ``common``): the email outbox and data versions."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommonConfig(AppConfig):
    """Shared models of every workflow (the email outbox)."""

    name = "eig_portal.common"
    label = "common"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = _("Commun")

    def ready(self):
        """SQLite connections get the accent-stripping function of the text search."""
        from django.db.backends.signals import connection_created

        from .search import register_sqlite_unaccent

        connection_created.connect(register_sqlite_unaccent, dispatch_uid="portal_unaccent")

        from .data_versions import connect_signals

        connect_signals()  # stored figures: saves and deletes bump their data's version
