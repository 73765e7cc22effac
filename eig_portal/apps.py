"""The project package as a Django app: its templates, commands and account signals."""

from django.apps import AppConfig


class EigPortalConfig(AppConfig):
    """Connects the login signal (staff session length, reset of a client's login failures)."""

    name = "eig_portal"
    verbose_name = "EIG Portal"

    def ready(self):
        """Connect ``user_logged_in`` to :func:`eig_portal.security.on_user_logged_in`."""
        from django.contrib.auth.signals import user_logged_in

        from .security import on_user_logged_in

        user_logged_in.connect(on_user_logged_in, dispatch_uid="eig_portal_on_user_logged_in")
