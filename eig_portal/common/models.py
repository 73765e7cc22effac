"""Models of the common ground: the log of emails sent, which makes every email idempotent;
:func:`choice_label`, the label of a choice without the cost of ``get_<field>_display``."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .limits import BoundedTextField


def choice_label(choices: type[models.Choices], value) -> str:
    """The label of ``value`` in ``choices`` (``value`` itself if it is not one of them).

    What ``get_<field>_display()`` gives, without its cost: Django rebuilds and hashes the
    field's whole list of (translated) choices at each call, a tenth of a millisecond that
    admin lists pay on every row (each row's ``__str__`` labels its selection box).
    """
    try:
        return str(choices(value).label)
    except ValueError:
        return str(value)


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
    #: What the role applies to (e.g. ``{"challenge_id": 3}``), given to the role's grant.
    context = models.JSONField(_("contexte"), default=dict, blank=True)
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


class OutboxJob(models.Model):
    """A background job (Celery task name and JSON arguments) written in the same transaction as
    the change that asks for it, then handed to the broker after commit (``queued_at``).

    A job the broker refused (down, unreachable) stays with ``queued_at`` empty and is handed
    over again by the beat task ``common.tasks.outbox_flush``; tasks are idempotent, so a job
    handed over twice does its work once.
    """

    task = models.CharField(_("tâche"), max_length=200)
    args = models.JSONField(_("arguments"), default=list)
    kwargs = models.JSONField(_("arguments nommés"), default=dict)
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    queued_at = models.DateTimeField(_("confiée au courtier le"), null=True, blank=True)
    attempts = models.PositiveIntegerField(_("essais"), default=0)
    last_error = models.CharField(_("dernière erreur"), max_length=500, blank=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("tâche en attente")
        verbose_name_plural = _("tâches en attente")
        indexes = [models.Index(fields=["queued_at", "created_at"], name="outbox_unsent")]

    def __str__(self):
        return f"{self.task} #{self.pk}"


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


class StatusChange(models.Model):
    """Who changed a status (``by``, None once the account is gone), when (``at``, aware) and the
    message given; a concrete subclass adds the object, ``from_status`` and ``to_status``.
    Shared by the proposals of the call for projects and the applications of the call for
    candidates."""

    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("par"),
    )
    at = models.DateTimeField(_("le"))
    message = BoundedTextField(_("message"), blank=True)

    class Meta:
        abstract = True
