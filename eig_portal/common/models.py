"""Models of the common ground: the log of emails sent, which makes every email idempotent."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .limits import BoundedTextField


class NotificationLog(models.Model):
    """One email sent (or being sent) by any workflow; ``key`` (unique) makes sending idempotent.

    The table keeps the name it had when only the call for projects sent emails.
    """

    key = models.CharField(_("clé"), max_length=200, unique=True)  # e.g. "ack:proposal:12:v3"
    recipients = BoundedTextField(_("destinataires"), blank=True)
    sent_at = models.DateTimeField(_("envoyé le"), auto_now_add=True)

    class Meta:
        db_table = "challenges_notificationlog"
        ordering = ["-sent_at"]
        verbose_name = _("notification envoyée")
        verbose_name_plural = _("notifications envoyées")

    def __str__(self):
        return self.key


class RoleInvitation(models.Model):
    """An invitation granting a role (``role``: e.g. ``"jury"``) to whoever controls ``email``.

    Only the SHA-256 of the link's token is stored; the link is single-use (``accepted_at``) and
    expires at ``expires_at``. Nothing is granted before acceptance: the person opening the link
    chooses their password there, which replaces any password the account had (see
    ``eig_portal.common.invitations``).
    """

    email = models.EmailField(_("adresse électronique"))
    role = models.CharField(_("rôle"), max_length=30)
    first_name = models.CharField(_("prénom"), max_length=150, blank=True)
    last_name = models.CharField(_("nom"), max_length=150, blank=True)
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expire le"))
    accepted_at = models.DateTimeField(_("acceptée le"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation à un rôle")
        verbose_name_plural = _("invitations à un rôle")

    def __str__(self):
        return f"{self.role} → {self.email}"
