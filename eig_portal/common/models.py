"""Models of the common ground: the log of emails sent, which makes every email idempotent."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class NotificationLog(models.Model):
    """One email sent (or being sent) by any workflow; ``key`` (unique) makes sending idempotent.

    The table keeps the name it had when only the call for projects sent emails.
    """

    key = models.CharField(_("clé"), max_length=200, unique=True)  # e.g. "ack:proposal:12:v3"
    recipients = models.TextField(_("destinataires"), blank=True)
    sent_at = models.DateTimeField(_("envoyé le"), auto_now_add=True)

    class Meta:
        db_table = "challenges_notificationlog"
        ordering = ["-sent_at"]
        verbose_name = _("notification envoyée")
        verbose_name_plural = _("notifications envoyées")

    def __str__(self):
        return self.key


class DataVersion(models.Model):
    """A counter bumped whenever a family of data changes (see ``common.data_versions``).

    ``key``: ``programme`` (promotions, people, défis, budget, calls and proposals) or
    ``surveys`` (questionnaires and their responses).
    """

    key = models.CharField(_("clé"), max_length=40, primary_key=True)
    version = models.BigIntegerField(_("version"), default=0)

    class Meta:
        verbose_name = _("version des données")
        verbose_name_plural = _("versions des données")

    def __str__(self):
        return f"{self.key} v{self.version}"
