"""Application config of the portal's shared module (signals of ``data_versions``)."""

from django.apps import AppConfig


class PortalConfig(AppConfig):
    """Connects ``eig_portal.data_versions`` to the save/delete signals at start-up."""

    name = "eig_portal"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        """Connect the data-version signals."""
        from .data_versions import connect_signals

        connect_signals()
